"""``crmkg hook validate|check``: what the pre-commit hooks run (``.pre-commit-hooks.yaml``).

pre-commit appends the staged files it matched to the command. Validating only those would be
wrong (a relationship's owner assignment in another file is then "missing"), so the hook
validates the **whole data set** — ``--data``, else ``[validate] paths`` of crmkg.toml, else
every RDF file git tracks — and uses the staged files only to go faster: when it has a report
of the data as it is in ``HEAD`` (kept in the git directory by an earlier run of the hook, for
the same as-of date, windows and data set), it re-validates incrementally with the staged files
as ``--changed``. The result equals a full run either way.

``crmkg hook check`` runs the ontology QA on the project's own ontology extensions
(``--ontology``, else ``[check] ontology``, else the staged files) — not on crmkg's ontology.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

from crmkg import gitwork
from crmkg._version import __version__
from crmkg.cli._common import add_input_limit_options, iso_date
from crmkg.cli._progress import FileProgress
from crmkg.cli.validate import (
    EXIT_CODES,
    add_run_options,
    add_validation_report_options,
    finish,
    note_printer,
    project_config,
    windows,
)
from crmkg.errors import UsageError
from crmkg.formats import RdfFormat
from crmkg.loading import expand_paths
from crmkg.validation.baseline import read_baseline
from crmkg.validation.formats import RenderOptions, render
from crmkg.validation.parameters import ValidationParameters
from crmkg.validation.project import ProjectConfig
from crmkg.validation.report import ValidationReport

#: What "every RDF file git tracks" means: the data formats (``.owl`` and ``.xml`` files are rarely data).
DATA_SUFFIXES = (".ttl", ".nt", ".nq", ".trig", ".rdf", ".jsonld", ".json-ld")
#: Reports of the data set kept for the incremental mode, one per git tree id (a few at most).
CACHE_FOLDER = "crmkg-pre-commit"
_KEEP = 4


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    hook = subparsers.add_parser(
        "hook",
        help="what the pre-commit hooks run: validate the whole data set, check your ontology extensions",
        description=__doc__.split("\n\n", 1)[1] if __doc__ else None,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    verbs = hook.add_subparsers(dest="hook_verb", required=True, metavar="VERB")
    validate = verbs.add_parser(
        "validate",
        help="validate the whole data set; the staged FILES (from pre-commit) only make it incremental",
        epilog=EXIT_CODES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    validate.add_argument("files", metavar="FILE", nargs="*", type=Path, help="the staged files (pre-commit)")
    validate.add_argument(
        "--data",
        metavar="PATH",
        action="append",
        type=Path,
        help="a file or folder of the data set (repeatable: pre-commit's files follow); default: "
        "crmkg.toml's [validate] paths, else every RDF data file git tracks",
    )
    add_run_options(validate)
    add_validation_report_options(validate)
    add_input_limit_options(validate)
    validate.set_defaults(func=run_hook_validate, title="crmkg validate")

    check = verbs.add_parser(
        "check",
        help="the ontology QA of your ontology extensions (meta-shapes, qc queries; HermiT with --reasoner)",
        epilog=EXIT_CODES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    check.add_argument("files", metavar="FILE", nargs="*", type=Path, help="the staged files (pre-commit)")
    check.add_argument(
        "--ontology",
        metavar="PATH",
        action="append",
        type=Path,
        help="one of your ontology modules or their folder (repeatable); default: crmkg.toml's [check] "
        "ontology, else the staged files",
    )
    check.add_argument("--namespace", action="append", metavar="IRI", help="your terms' namespace (repeatable)")
    check.add_argument("--reasoner", action="store_true", help="also run HermiT (needs Java)")
    check.add_argument("--as-of", type=iso_date, metavar="DATE", help="date for date-relative checks")
    add_validation_report_options(check)
    add_input_limit_options(check)
    check.set_defaults(func=run_hook_check, title="crmkg check")


def _rdf_files(paths: list[Path]) -> list[Path]:
    return [p for p in paths if RdfFormat.is_rdf_file(p)]


def data_set(args: argparse.Namespace, config: ProjectConfig) -> list[Path]:
    """The paths that make the whole data set."""
    configured = args.data or list(config.section("validate").files)
    if configured:
        return list(configured)
    tracked = [p for p in gitwork.tracked_files() if p.suffix.lower() in DATA_SUFFIXES and p.exists()]
    if not tracked:
        raise UsageError(key="error.hook_nothing_to_validate")
    return tracked


def _within(file: Path, paths: list[Path]) -> bool:
    target = file.resolve()
    for path in paths:
        root = path.resolve()
        if target == root or (path.is_dir() and target.is_relative_to(root)):
            return True
    return False


def run_hook_validate(args: argparse.Namespace) -> int:
    config = project_config(args)
    days = windows(args, config)
    paths = data_set(args, config)
    files = expand_paths(paths)
    parameters = ValidationParameters.for_date(args.as_of, **days)
    key = _cache_key(files, parameters, args.shapes)
    changed = [f for f in args.files if RdfFormat.is_rdf_file(f) and _within(f, paths)]
    changed += [d for d in gitwork.staged_deletions() if RdfFormat.is_rdf_file(d) and _within(d, paths)]
    previous = _cached_report(key)
    baseline = read_baseline(args.baseline) if args.baseline else None
    if previous is not None:
        from crmkg.validation.changed import validate_incrementally

        report = validate_incrementally(
            files,
            changed,
            previous,
            shapes=args.shapes,
            as_of=parameters.today,
            **days,
            progress=FileProgress(),
            on_note=note_printer(args),
        )
        note_printer(args)(report.notes[-1])
    else:
        from crmkg.validation import validate

        report = validate(
            files,
            shapes=args.shapes,
            as_of=parameters.today,
            engine=args.engine or "fast",
            **days,
            progress=FileProgress(),
            on_note=note_printer(args),
        )
    _keep_report(report, key)
    return finish(report, args, baseline, config, "validate")


def _cache_key(files: list[Path], parameters: ValidationParameters, shapes: list[Path] | None) -> dict[str, Any]:
    """What a kept report must have been made with to serve as the incremental run's previous report."""
    return {
        "version": __version__,
        "parameters": parameters.as_strings(),
        "data": sorted(str(f.resolve()) for f in files),
        "shapes": sorted(str(p.resolve()) for p in shapes) if shapes else None,
    }


def _cache_dir() -> Path | None:
    folder = gitwork.git_dir()
    return folder / CACHE_FOLDER if folder is not None else None


def _cached_report(key: dict[str, Any]) -> Path | None:
    """The kept report of the data as it is in HEAD, made the same way; None when there is none."""
    folder, tree = _cache_dir(), gitwork.head_tree()
    if folder is None or tree is None:
        return None
    report, meta = folder / f"{tree}.json", folder / f"{tree}.key.json"
    try:
        if json.loads(meta.read_text(encoding="utf-8")) == key and report.is_file():
            return report
    except (OSError, ValueError):
        return None
    return None


def _keep_report(report: ValidationReport, key: dict[str, Any]) -> None:
    """Keep ``report`` (the engine's, before suppressions) under the staged tree's id."""
    folder, tree = _cache_dir(), gitwork.index_tree()
    if folder is None or tree is None:
        return
    try:
        folder.mkdir(exist_ok=True)
        text = render(report, "json", RenderOptions(tool_version=__version__))
        (folder / f"{tree}.json").write_text(text, encoding="utf-8")
        (folder / f"{tree}.key.json").write_text(json.dumps(key), encoding="utf-8")
        kept = sorted(folder.glob("*.key.json"), key=lambda p: p.stat().st_mtime, reverse=True)
        for old in kept[_KEEP:]:
            old.unlink(missing_ok=True)
            old.with_name(old.name.replace(".key.json", ".json")).unlink(missing_ok=True)
    except OSError:
        return  # only a cache: the next run is a full run


def run_hook_check(args: argparse.Namespace) -> int:
    from crmkg.validation.check import check

    config = project_config(args)
    ontology = args.ontology or list(config.section("check").files) or _rdf_files(args.files)
    if not ontology:
        raise UsageError(key="error.hook_no_ontology")
    baseline = read_baseline(args.baseline) if args.baseline else None
    report = check(
        ontology=ontology,
        namespaces=args.namespace or (),
        as_of=args.as_of,
        reasoner=args.reasoner,
        engine=args.engine or "fast",
        progress=FileProgress(),
    )
    return finish(report, args, baseline, config, "check")
