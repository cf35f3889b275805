"""``crmkg serve``: the HTTP API (lookups, terms, catalogue, /sparql, /validate) on uvicorn."""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
from pathlib import Path

from crmkg import resources
from crmkg.cli._common import EXIT_OK, add_data_options
from crmkg.config import Settings
from crmkg.errors import UsageError
from crmkg.loading import load
from crmkg.store import Store, open_store


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "serve",
        help="run the HTTP API: lookups, term search, catalogue queries, /sparql, /validate",
        description=(
            "Serve the crmkg HTTP API (OpenAPI docs at /docs). With --data (or nothing: the example "
            "organisation) the data is loaded into an on-disk store in a temporary folder; with --store "
            "an existing store is served. Other settings come from CRMKG_* variables "
            "(CRMKG_QUERY_TIMEOUT_S, CRMKG_MAX_ROWS, CRMKG_MAX_REQUEST_BYTES, CRMKG_CORS_ORIGINS, "
            "CRMKG_VALIDATE_TOKEN, CRMKG_LANG)."
        ),
    )
    add_data_options(parser, default_example=True)
    parser.add_argument("--host", default=None, help="interface to listen on (default 127.0.0.1, CRMKG_HOST)")
    parser.add_argument("--port", type=int, default=None, help="port (default 8000, CRMKG_PORT)")
    parser.add_argument(
        "--workers",
        type=int,
        default=1,
        help="server processes sharing the store read-only (default 1; use the number of cores for throughput)",
    )
    parser.add_argument("--log-level", default="info", choices=("critical", "error", "warning", "info", "debug"))
    parser.set_defaults(func=run_serve)


def _prepare_store(args: argparse.Namespace) -> tuple[Store, Path | None]:
    """The store to serve, and a temporary folder to remove afterwards (if one was made)."""
    paths: list[Path] = list(args.data)
    tmp: Path | None = None
    if args.store is None:
        tmp = Path(tempfile.mkdtemp(prefix="crmkg-serve-"))
        store = open_store(tmp)
        if not paths:
            paths = [resources.example_dir("esimerkki")]
    else:
        store = open_store(args.store)
    if paths and not args.no_ontology:
        paths = [*resources.ontology_files(), *paths]
    if paths:
        if store.backend == "sparql":
            raise UsageError("--data cannot be loaded into a remote endpoint; load it there first")
        load(store, paths)
    return store, tmp


def run_serve(args: argparse.Namespace) -> int:
    try:
        import uvicorn

        from crmkg.api import create_app
    except ModuleNotFoundError as exc:
        raise UsageError(f"crmkg serve needs the api extra (pip install 'crmkg[api]'): {exc}") from None
    settings = Settings.from_env(host=args.host, port=args.port, store=args.store)
    if args.workers < 1:
        raise UsageError("--workers must be at least 1")
    store, tmp = _prepare_store(args)
    # Access lines are logged at info level; below it, skip building them at all (they are per request).
    access_log = args.log_level in ("info", "debug")
    base = f"http://{settings.host}:{settings.port}"
    print(
        f"crmkg: serving {len(store)} quads at {base}\n"
        f"  API docs (OpenAPI): {base}/docs\n"
        f"  SPARQL endpoint:    {base}/sparql\n"
        f"  example lookup:     {base}/relationships/ex:rel-kauppakulma-kiinteistohuolto/owner\n"
        "  stop with Ctrl+C",
        file=sys.stderr,
        flush=True,
    )
    try:
        if args.workers == 1:
            try:
                uvicorn.run(
                    create_app(settings, store),
                    host=settings.host,
                    port=settings.port,
                    log_level=args.log_level,
                    access_log=access_log,
                )
            finally:
                store.close()
            return EXIT_OK
        location = tmp if tmp is not None else args.store
        if location is None or str(location).startswith(("http://", "https://")):
            raise UsageError("--workers needs an on-disk store (--store DIR, or --data)")
        store.close()
        del store  # each server process opens the store read-only
        os.environ["CRMKG_STORE"] = str(location)
        os.environ.pop("CRMKG_DATA", None)
        uvicorn.run(
            "crmkg.api.app:app_from_env",
            factory=True,
            host=settings.host,
            port=settings.port,
            workers=args.workers,
            log_level=args.log_level,
            access_log=access_log,
        )
        return EXIT_OK
    finally:
        if tmp is not None:
            shutil.rmtree(tmp, ignore_errors=True)
