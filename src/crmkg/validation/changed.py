"""``crmkg validate --changed FILE…``: re-validate what changed files can affect, merged into a previous report.

The previous report is an earlier full run's JSON report (``--format json``). The changed files'
earlier content comes from git (``HEAD``) or from a folder holding the earlier tree; the triples in
one version and not the other are the change (blank-node triples always count as changed, since
their labels differ between parses). :func:`~crmkg.validation.fast.incremental.validate_changed`
re-validates the focus nodes within reach of the change (in either direction, so nodes reached
through inverse paths too); the previous findings of every other focus node are kept. The merged
report equals a full run as a set of findings.
"""

from __future__ import annotations

import datetime as dt
import subprocess
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.extras.shacl import SHACLPathError, parse_shacl_path
from rdflib.term import Node

from crmkg.errors import Said, UsageError
from crmkg.formats import RdfFormat
from crmkg.loading import expand_paths, parse_bytes
from crmkg.validation.baseline import read_json_report
from crmkg.validation.fast.engine import FastEngine
from crmkg.validation.fast.incremental import IncrementalReport, validate_changed
from crmkg.validation.fast.results import dedupe
from crmkg.validation.fast.shapes import sh
from crmkg.validation.parameters import (
    DEFAULT_FOLLOW_UP_DAYS,
    DEFAULT_OWNER_GAP_DAYS,
    DEFAULT_REVIEW_DAYS,
    ValidationParameters,
    substitute,
)
from crmkg.validation.report import ResultPath, Severity, ValidationReport, ValidationResult, path_key
from crmkg.validation.run import PathLike, Progress, announce_notes, finish_report, load_data, load_shapes
from crmkg.validation.shacl_graph import ShapeNamer


@dataclass(frozen=True)
class PreviousVersion:
    """Where the changed files' earlier content comes from: a folder, else git's ``HEAD``."""

    folder: Path | None = None

    def content(self, file: Path) -> bytes | None:
        """The earlier bytes of ``file``, or ``None`` when it did not exist then."""
        if self.folder is not None:
            rel = _relative_to_cwd(file)
            old = self.folder / rel
            return old.read_bytes() if old.is_file() else None
        return _git_head_content(file)


def _relative_to_cwd(file: Path) -> Path:
    try:
        return file.resolve().relative_to(Path.cwd().resolve())
    except ValueError:
        raise UsageError(key="error.changed_outside_workdir", file=file) from None


def _git(args: list[str], cwd: Path) -> subprocess.CompletedProcess[bytes]:
    try:
        return subprocess.run(["git", *args], cwd=cwd, capture_output=True, check=False, timeout=60)
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise UsageError(key="error.changed_no_git", problem=str(exc)) from exc


def _git_head_content(file: Path) -> bytes | None:
    folder = file.resolve().parent
    while not folder.is_dir():  # a deleted file's folder may be gone too
        folder = folder.parent
    inside = _git(["rev-parse", "--is-inside-work-tree"], folder)
    if inside.returncode != 0 or inside.stdout.strip() != b"true":
        raise UsageError(key="error.changed_not_in_git", file=file)
    top = _git(["rev-parse", "--show-toplevel"], folder).stdout.decode().strip()
    rel = file.resolve().relative_to(Path(top).resolve()).as_posix()
    shown = _git(["show", f"HEAD:{rel}"], folder)
    if shown.returncode != 0:
        # Either the file is new since HEAD, or there is no HEAD yet: both mean "no earlier content".
        return None
    return shown.stdout


def _quads(data: bytes | None, file: Path) -> list[ox.Quad]:
    if data is None:
        return []
    return parse_bytes(data, RdfFormat.from_path(file), source=f"{file} (earlier version)")


def _diff(before: list[ox.Quad], after: list[ox.Quad]) -> tuple[list[ox.Quad], list[ox.Quad]]:
    """(added, removed) between two versions of a file; blank-node quads are always both."""
    old, new = set(before), set(after)
    return [q for q in after if q not in old], [q for q in before if q not in new]


# ---------------------------------------------------------------- the previous report


def _term(value: object, where: str) -> URIRef | BNode | Literal | None:
    if value is None:
        return None
    if not isinstance(value, dict) or not isinstance(value.get("value"), str):
        raise UsageError(key="error.previous_not_term", where=where)
    kind, text = value.get("type"), value["value"]
    if kind == "uri":
        return URIRef(text)
    if kind == "bnode":
        return BNode(text)
    if kind == "literal":
        lang, datatype = value.get("xml:lang"), value.get("datatype")
        return Literal(text, lang=lang if isinstance(lang, str) else None, datatype=datatype if datatype else None)
    raise UsageError(key="error.previous_term_type", where=where, kind=kind)


def _paths_of(shapes: Graph) -> dict[str, ResultPath]:
    """Every shape path by its SPARQL text (how the JSON report writes paths)."""
    out: dict[str, ResultPath] = {}
    for node in set(shapes.objects(None, sh("path"))):
        try:
            path = parse_shacl_path(shapes, node)
        except (SHACLPathError, TypeError, ValueError):
            continue
        out[path_key(path)] = path
    return out


@dataclass(frozen=True)
class PreviousReport:
    """An earlier run's JSON report, read back as results (terms, paths, messages, shape ids)."""

    file: Path
    as_of: dt.date | None
    parameters: Mapping[str, str]
    results: tuple[ValidationResult, ...]


def read_previous(path: Path, shapes: Graph) -> PreviousReport:
    """Read a ``--format json`` report; a :class:`UsageError` naming the file for anything else."""
    data = read_json_report(path, "previous")
    paths = _paths_of(shapes)
    results = [_result(item, paths, f"{path}: result {n}") for n, item in enumerate(data["results"], start=1)]
    as_of = data.get("asOf")
    params = data.get("parameters") if isinstance(data.get("parameters"), dict) else {}
    return PreviousReport(
        file=path,
        as_of=dt.date.fromisoformat(as_of) if isinstance(as_of, str) else None,
        parameters={str(k): str(v) for k, v in (params or {}).items()},
        results=tuple(results),
    )


def _result(item: Any, paths: Mapping[str, ResultPath], where: str) -> ValidationResult:
    if not isinstance(item, dict):
        raise UsageError(key="error.previous_not_object", where=where)
    focus = _term(item.get("focusNode"), f"{where}: focusNode")
    if focus is None:
        raise UsageError(key="error.previous_no_focus", where=where)
    path_text = item.get("path")
    path: ResultPath | None = None
    if isinstance(path_text, str) and path_text:
        if path_text in paths:
            path = paths[path_text]
        elif path_text.startswith("<") and path_text.endswith(">"):
            path = URIRef(path_text[1:-1])
        else:
            raise UsageError(key="error.previous_path", where=where, path=path_text)
    shape = item.get("sourceShape")
    source: URIRef | BNode | None = None
    if isinstance(shape, str):
        source = URIRef(shape) if ":" in shape else BNode(shape)  # blank-node labels have no colon
    messages = item.get("messages") if isinstance(item.get("messages"), dict) else {}
    try:
        severity = Severity(item.get("severity"))
    except ValueError:
        raise UsageError(key="error.previous_severity", where=where, severity=item.get("severity")) from None
    return ValidationResult(
        severity=severity,
        focus_node=focus,
        path=path,
        value=_term(item.get("value"), f"{where}: value"),
        source_shape=source,
        constraint_component=URIRef(str(item.get("constraintComponent"))),
        messages={str(k): str(v) for k, v in (messages or {}).items()},
        shape_id=item.get("shapeId") if isinstance(item.get("shapeId"), str) else None,
    )


def _kept(previous: PreviousReport, inc: IncrementalReport, shapes: Graph) -> list[ValidationResult]:
    """The previous findings this run did not re-validate.

    A finding is placed in its root shapes by its shape IRI, or by its shape id (blank-node shapes
    get new labels in every run); one that cannot be placed means the shapes changed: refuse.
    """
    namer = ShapeNamer(shapes)
    by_id: dict[tuple[str, str], set[Node]] = {}
    for shape, shape_roots in inc.roots_of.items():
        name = namer(shape)
        if name:
            path = shapes.value(shape, sh("path"))
            try:
                key = "" if path is None else path_key(parse_shacl_path(shapes, path))
            except (SHACLPathError, TypeError, ValueError):
                key = ""
            for k in {(name, key), (name, "*")}:
                by_id.setdefault(k, set()).update(shape_roots)
    kept = []
    for r in previous.results:
        roots: set[Node] = set()
        if isinstance(r.source_shape, URIRef) and r.source_shape in inc.roots_of:
            roots = set(inc.roots_of[r.source_shape])
        elif r.shape_id is not None:
            roots = by_id.get((r.shape_id, path_key(r.path)), set()) or by_id.get((r.shape_id, "*"), set())
        if not roots:
            raise UsageError(key="error.previous_shape_gone", file=previous.file, shape=r.shape_id or r.source_shape)
        done = {
            root in inc.full_roots
            or (
                root in inc.restricted and (isinstance(r.focus_node, BNode) or r.focus_node in inc.restricted[root])  # type: ignore[index]
            )
            for root in roots
        }
        if len(done) > 1:
            raise UsageError(key="error.previous_shape_unclear", file=previous.file, shape=r.shape_id)
        redone = done == {True}
        if not redone:
            kept.append(r)
    return kept


# ---------------------------------------------------------------- the run


def validate_incrementally(
    paths: Sequence[PathLike] | PathLike,
    changed: Sequence[PathLike],
    previous: Path,
    *,
    earlier: PreviousVersion | None = None,
    shapes: Graph | PathLike | Sequence[PathLike] | None = None,
    as_of: dt.date | None = None,
    follow_up_days: int = DEFAULT_FOLLOW_UP_DAYS,
    review_days: int = DEFAULT_REVIEW_DAYS,
    owner_gap_days: int = DEFAULT_OWNER_GAP_DAYS,
    progress: Progress | None = None,
    on_note: Callable[[str], None] | None = None,
) -> ValidationReport:
    """The report of a full run of ``paths``, computed from ``previous`` (a full run's JSON report
    before the change) by re-validating only what the ``changed`` files can affect.

    ``changed`` files may be new, edited or deleted. Their earlier content comes from ``earlier``
    (default: git ``HEAD``). Raises :class:`UsageError` when the previous report does not fit
    (another as-of date or windows, or shapes it does not know).
    """
    if isinstance(paths, (str, Path)):
        paths = [paths]
    data_files = expand_paths(paths)
    if not data_files:
        raise UsageError(key="error.no_rdf_files", paths=", ".join(str(p) for p in paths))
    parameters = ValidationParameters.for_date(
        as_of, follow_up_days=follow_up_days, review_days=review_days, owner_gap_days=owner_gap_days
    )
    shapes_graph = substitute(load_shapes(shapes), parameters)
    before = read_previous(Path(previous), shapes_graph)
    wanted = parameters.as_strings()
    if before.as_of != parameters.today or (before.parameters and dict(before.parameters) != dict(wanted)):
        raise UsageError(
            key="error.previous_parameters",
            file=before.file,
            before_date=before.as_of,
            before=dict(before.parameters),
            date=parameters.today,
            now=dict(wanted),
        )
    changed_paths = [Path(c) for c in changed]
    data_set = {f.resolve() for f in data_files}
    for c in changed_paths:
        if c.exists() and c.resolve() not in data_set:
            raise UsageError(key="error.changed_not_validated", file=c)
    if on_note is not None:
        announce_notes(FastEngine(), shapes_graph, on_note)
    loaded = load_data(data_files, backend="oxigraph", progress=progress, keep=changed_paths)
    source = earlier or PreviousVersion()
    added: list[ox.Quad] = []
    removed: list[ox.Quad] = []
    per_file: list[Said] = []
    for c in changed_paths:
        now = loaded.kept.get(c.resolve(), [])
        earlier_content = source.content(c)
        plus, minus = _diff(_quads(earlier_content, c), now)
        added.extend(plus)
        removed.extend(minus)
        state = "note.file_new" if earlier_content is None else "note.file_deleted" if not c.exists() else "note.file"
        per_file.append(Said(state, file=str(c), plus=len(plus), minus=len(minus)))
    if progress is not None:
        progress(loaded.total, loaded.total, "validating the changes with fast")
    inc = validate_changed(loaded.store, shapes_graph, added, removed=removed, parameters=parameters)
    # Kept findings are located afresh (finish_report): the changed files' lines may have moved.
    kept = _kept(before, inc, shapes_graph)
    partial = sorted({n for nodes in inc.restricted.values() for n in nodes}, key=str)
    summary = Said(
        "note.incremental",
        files=per_file,
        restricted=len(inc.restricted),
        nodes=len(partial),
        full=len(inc.full_roots),
        kept=len(kept),
        earlier=len(before.results),
    )
    merged = inc.report.replace(results=tuple(dedupe([*kept, *inc.report.results])), notes=(*inc.report.notes, summary))
    return finish_report(merged, loaded, parameters, shapes_graph, "fast")
