"""``crmkg serve``: the HTTP API (lookups, terms, catalogue, /sparql, /validate) on uvicorn."""

from __future__ import annotations

import argparse
import datetime as dt
import importlib.util
import os
import signal
import socket
import sys
import time
from pathlib import Path

from crmkg import resources
from crmkg.cli._common import EXIT_OK, add_data_options
from crmkg.config import Settings
from crmkg.errors import UsageError
from crmkg.i18n import counted, message
from crmkg.language import cli_language
from crmkg.store import Store
from crmkg.tempdirs import OwnedTempDir, owned_temp_dir

#: How long the server processes of --workers N get, together, to shut down gracefully.
_STOP_GRACE_S = 15.0


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "serve",
        help="run the HTTP API: lookups, term search, catalogue queries, /sparql, /validate",
        description=(
            "Serve the crmkg HTTP API (OpenAPI docs at /docs). With --data (or nothing: the example "
            "organisation) the data is loaded into an on-disk store in a temporary folder; with --store "
            "an existing store is served. Other settings come from CRMKG_* variables "
            "(CRMKG_QUERY_TIMEOUT_S, CRMKG_MAX_ROWS, CRMKG_MAX_REQUEST_BYTES, CRMKG_CORS_ORIGINS, "
            "CRMKG_VALIDATE_TOKEN, CRMKG_LANG, and the /sparql limits CRMKG_SPARQL_MAX_QUERY_BYTES, "
            "CRMKG_SPARQL_MAX_DEPTH, CRMKG_SPARQL_WORKER_MEMORY_MB, CRMKG_SPARQL_WORKERS, CRMKG_SPARQL_WORKER_NICE, "
            "CRMKG_SPARQL_PER_CLIENT)."
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


def _prepare_store(args: argparse.Namespace, tmp: OwnedTempDir | None) -> Store:
    """The store to serve: ``--store``, or a new one in ``tmp``; ``--data`` (or the example) loaded."""
    from crmkg.api.app import serving_store

    paths: list[Path] = list(args.data)
    location = args.store
    if tmp is not None:
        location = tmp.path / "store"
        if not paths:
            paths = [resources.example_dir("esimerkki")]
    if paths and not args.no_ontology:
        paths = [*resources.ontology_files(), *paths]
    if paths and str(location).startswith(("http://", "https://")):
        raise UsageError(key="error.serve_remote_data")
    # The rules' results for today go in with the data, in their own graph, so `?r akj:hasOwner ?o`
    # over /sparql answers as the lookups do (issue 14 §6); `crmkg load` into the store derives them
    # again. Not into a remote endpoint: that store is someone else's.
    remote = str(location).startswith(("http://", "https://"))
    return serving_store(location, paths, derive_as_of=None if remote else dt.date.today())


def _stop_on_signals() -> None:
    """SIGTERM (a service manager's stop) and SIGHUP end the server the way Ctrl+C does: through
    every ``finally``, so the temporary store goes too. uvicorn takes SIGTERM over while it serves
    (shutting down gracefully) and raises it again afterwards, which lands here.

    SIGINT is set explicitly too: a process started in the background by a non-interactive shell
    (``cmd &`` in a script, CI) inherits SIGINT *ignored*, and Python then never raises
    KeyboardInterrupt — one server process stopped anyway (uvicorn sets its own handler), but the
    supervisor of ``--workers N`` ignored the signal and served on.
    """

    def stop(signum: int, _frame: object) -> None:
        raise SystemExit(128 + signum)

    def hang_up(_signum: int, _frame: object) -> None:
        signal.raise_signal(signal.SIGTERM)  # while uvicorn serves: its graceful shutdown

    signal.signal(signal.SIGINT, signal.default_int_handler)
    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGHUP, hang_up)


def run_serve(args: argparse.Namespace) -> int:
    missing = next((name for name in ("uvicorn", "fastapi") if importlib.util.find_spec(name) is None), None)
    if missing:
        raise UsageError(key="error.needs_api_extra", verb="serve", missing=f"no module {missing!r}")
    settings = Settings.from_env(
        host=args.host,
        port=args.port,
        store=args.store,
        max_nesting_depth=args.max_nesting_depth,
        max_xml_attributes=args.max_xml_attributes,
    )
    if args.workers < 1:
        raise UsageError(key="error.workers_at_least_one")
    _stop_on_signals()
    tmp = owned_temp_dir("crmkg-serve-") if args.store is None else None
    try:
        _serve(args, settings, tmp)
    finally:
        if tmp is not None:
            tmp.remove()
    return EXIT_OK


def banner(quads: int, base: str, lang: str) -> str:
    """The start-up lines: what is served where, and how to stop (in ``lang``)."""
    return message("serve.banner", lang, quads=counted("count.served_quads", lang, quads), base=base)


def _serve(args: argparse.Namespace, settings: Settings, tmp: OwnedTempDir | None) -> None:
    import uvicorn

    from crmkg.api import create_app

    store = _prepare_store(args, tmp)
    # Access lines are logged at info level; below it, skip building them at all (they are per request).
    access_log = args.log_level in ("info", "debug")
    base = f"http://{settings.host}:{settings.port}"
    print(banner(len(store), base, cli_language(getattr(args, "lang", None))), file=sys.stderr, flush=True)
    if args.workers == 1:
        try:
            uvicorn.run(
                create_app(settings, store, owns_store=True),
                host=settings.host,
                port=settings.port,
                log_level=args.log_level,
                access_log=access_log,
            )
        finally:
            store.close()
        return
    location = tmp.path / "store" if tmp is not None else args.store
    if location is None or str(location).startswith(("http://", "https://")):
        raise UsageError(key="error.workers_need_disk")
    store.close()
    del store  # each server process opens the store read-only
    os.environ["CRMKG_STORE"] = str(location)
    os.environ.pop("CRMKG_DATA", None)
    os.environ["CRMKG_MAX_NESTING_DEPTH"] = str(settings.max_nesting_depth)
    os.environ["CRMKG_MAX_XML_ATTRIBUTES"] = str(settings.max_xml_attributes)
    if hasattr(socket, "SO_REUSEPORT"):
        _serve_reuse_port(settings.host, settings.port, args.workers, args.log_level, access_log)
        return
    uvicorn.run(
        "crmkg.api.app:app_from_env",
        factory=True,
        host=settings.host,
        port=settings.port,
        workers=args.workers,
        log_level=args.log_level,
        access_log=access_log,
    )


def _serve_reuse_port(host: str, port: int, workers: int, log_level: str, access_log: bool) -> None:
    """``workers`` server processes, each with its own ``SO_REUSEPORT`` listening socket.

    With one shared socket (uvicorn's ``--workers``) whichever process wakes first accepts a burst
    of keep-alive connections: 12 of 16 went to one process in a measurement, which then set the
    p99 while the other idled. With a socket each, the kernel spreads new connections across them.
    """
    import multiprocessing

    context = multiprocessing.get_context("spawn")
    processes = [
        # Not daemonic: a worker starts its own SPARQL worker processes.
        context.Process(target=_reuse_port_worker, args=(host, port, log_level, access_log))
        for _ in range(workers)
    ]

    def stop(signum: int, _frame: object) -> None:
        raise SystemExit(128 + signum)

    previous = signal.signal(signal.SIGTERM, stop)
    previous_int = signal.getsignal(signal.SIGINT)
    try:
        for process in processes:
            process.start()
        for process in processes:
            process.join()
            if process.exitcode:  # e.g. the port is taken: do not keep serving on fewer processes
                raise UsageError(key="error.server_process_exited", code=process.exitcode)
    except KeyboardInterrupt:
        pass
    finally:
        # The stop is under way and bounded: a second Ctrl+C or SIGTERM must not cut it short and
        # leave server processes behind (Ctrl+C at a terminal reaches them too: uvicorn then hurries).
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        for process in processes:
            if process.is_alive():
                process.terminate()  # SIGTERM: uvicorn shuts down gracefully
        # One deadline for all of them, not one each: a stop must end in bounded time (a service
        # manager's stop timeout), and then what is left is killed; the finally blocks of this
        # process still remove the temporary store.
        deadline = time.monotonic() + _STOP_GRACE_S
        for process in processes:
            process.join(timeout=max(0.0, deadline - time.monotonic()))
        for process in processes:
            if process.is_alive():
                process.kill()
                process.join(timeout=5)
        signal.signal(signal.SIGTERM, previous)
        signal.signal(signal.SIGINT, previous_int)


def listening_socket(host: str, port: int) -> socket.socket:
    """A ``SO_REUSEPORT`` TCP socket bound to ``host:port`` whose connections send without Nagle's delay.

    ``IPPROTO_TCP`` explicitly: asyncio only sets ``TCP_NODELAY`` on sockets whose protocol says TCP,
    and with protocol 0 every keep-alive response waited ~40 ms for a delayed ACK (``--workers 2``
    was slower than one process). Linux also passes the listening socket's ``TCP_NODELAY`` on to
    the connections it accepts.
    """
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
    sock.bind((host, port))
    sock.listen(2048)
    sock.set_inheritable(True)
    return sock


def _reuse_port_worker(host: str, port: int, log_level: str, access_log: bool) -> None:
    import uvicorn

    config = uvicorn.Config("crmkg.api.app:app_from_env", factory=True, log_level=log_level, access_log=access_log)
    # The app first (imports, the store opened), then the socket: the kernel hands a listening
    # socket its share of new connections, and they must not wait for a process still starting.
    config.load()
    sock = listening_socket(host, port)
    uvicorn.Server(config).run(sockets=[sock])
