"""``validate(paths)``: load data + ontology, fill in the shape parameters, run an engine, locate findings."""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox
from rdflib import Graph

from crmkg import resources
from crmkg.errors import UsageError
from crmkg.formats import RdfFormat
from crmkg.inputcheck import check_document
from crmkg.library_logs import library_notes
from crmkg.loading import expand_paths, parse_bytes
from crmkg.process_exit import keep_until_exit
from crmkg.store import Store, open_store
from crmkg.store.parsing import read_document
from crmkg.store.terms import from_ox
from crmkg.validation.engine import DEFAULT_ENGINE, get_engine
from crmkg.validation.explain import explain, labels_from_graph, labels_from_store
from crmkg.validation.locations import LocationIndex
from crmkg.validation.parameters import (
    DEFAULT_FOLLOW_UP_DAYS,
    DEFAULT_OWNER_GAP_DAYS,
    DEFAULT_REVIEW_DAYS,
    ValidationParameters,
    substitute,
)
from crmkg.validation.profile import Profile, phase
from crmkg.validation.protocol import ValidationEngine
from crmkg.validation.report import ValidationReport
from crmkg.validation.shacl_graph import rules_from_shapes

#: ``progress(done, total, label)`` — called once per file read and once before the engine runs.
Progress = Callable[[int, int, str], None]

PathLike = Path | str


def ontology_paths(data_dir: Path | None = None) -> list[Path]:
    """The ontology modules and the external class hierarchy the shapes' ``sh:class`` checks need."""
    paths = resources.ontology_files(data_dir)
    hierarchy = resources.external_hierarchy_file(data_dir)
    if hierarchy.is_file():
        paths.append(hierarchy)
    return paths


def read_quads(
    files: Sequence[Path],
    index: LocationIndex | None = None,
    progress: Progress | None = None,
    *,
    total: int | None = None,
    done: int = 0,
) -> list[ox.Quad]:
    """Parse ``files`` (syntax errors name file:line:column) and note where subjects are defined."""
    quads: list[ox.Quad] = []
    total = len(files) if total is None else total
    for number, file in enumerate(files, start=done + 1):
        fmt = RdfFormat.from_path(file)
        data = read_document(file)
        parsed = parse_bytes(data, fmt, source=str(file))
        if index is not None:
            index.add_document(data, fmt, str(file), parsed)
        quads.extend(parsed)
        if progress is not None:
            progress(number, total, str(file))
    return quads


def load_shapes(shapes: Graph | PathLike | Sequence[PathLike] | None = None) -> Graph:
    """The shapes graph: a given graph, files/folders, or the packaged ``shapes/akj-shapes/*.ttl``."""
    if isinstance(shapes, Graph):
        return shapes
    if shapes is None:
        paths: list[PathLike] = list(resources.shapes_files())
    elif isinstance(shapes, (str, Path)):
        paths = [shapes]
    else:
        paths = list(shapes)
    graph = Graph()
    for quad in read_quads(expand_paths(paths)):
        graph.add((from_ox(quad.subject), from_ox(quad.predicate), from_ox(quad.object)))
    return graph


def validate(
    paths: Sequence[PathLike] | PathLike,
    *,
    shapes: Graph | PathLike | Sequence[PathLike] | None = None,
    as_of: dt.date | None = None,
    engine: str | ValidationEngine = DEFAULT_ENGINE,
    follow_up_days: int = DEFAULT_FOLLOW_UP_DAYS,
    review_days: int = DEFAULT_REVIEW_DAYS,
    owner_gap_days: int = DEFAULT_OWNER_GAP_DAYS,
    include_ontology: bool = True,
    progress: Progress | None = None,
    on_note: Callable[[str], None] | None = None,
    profile: Profile | None = None,
) -> ValidationReport:
    """Validate RDF files and folders against the akj shapes (or ``shapes``).

    The ontology (``ontology/akj-*.ttl`` and the external hierarchy) is added so that ``sh:class``
    sees the class hierarchy; nothing is materialised. ``as_of`` is the date the date-relative
    shapes are evaluated on (the run date when ``None``). Every result carries the file and line
    where its focus node is defined, when the data says so. What the libraries log meanwhile (an
    ill-typed literal, say) becomes a note of the report, also given to ``on_note``; ``profile``
    collects where the time went.

    Raises :class:`~crmkg.errors.LoadError` / :class:`~crmkg.errors.RdfSyntaxError` for unreadable
    input, :class:`~crmkg.errors.UsageError` for bad arguments and
    :class:`~crmkg.errors.ValidationError` when the engine cannot run.
    """
    if isinstance(paths, (str, Path)):
        paths = [paths]
    data_files = expand_paths(paths)
    if not data_files:
        raise UsageError(key="error.no_rdf_files", paths=", ".join(str(p) for p in paths))
    runner = get_engine(engine) if isinstance(engine, str) else engine
    parameters = ValidationParameters.for_date(
        as_of, follow_up_days=follow_up_days, review_days=review_days, owner_gap_days=owner_gap_days
    )
    with library_notes() as logged:
        with phase(profile, "shapes"):
            shapes_graph = substitute(load_shapes(shapes), parameters)
        tell = announcing_beside(runner, shapes_graph, on_note)
        with phase(profile, "load") as detail:
            try:
                loaded = load_data(
                    data_files,
                    backend=runner.preferred_backend,
                    include_ontology=include_ontology,
                    progress=None if progress is None else told_first(tell, progress),
                )
            finally:
                tell()
            if profile is not None:  # counting the quads of an Oxigraph store walks them all (0.08 s at 1M)
                detail.append(f"{loaded.total} files, {len(loaded.store):,} quads")
        keep_until_exit(loaded)  # the console script ends without freeing it (about 0.4 s at 1M triples)
        if progress is not None:
            progress(loaded.total, loaded.total, f"validating with {runner.name}")
        if profile is None:
            report = runner.validate(loaded.store, shapes_graph, parameters=parameters)
        else:
            report = runner.validate(loaded.store, shapes_graph, parameters=parameters, profile=profile)
        with phase(profile, "locate"):
            report = finish_report(report, loaded, parameters, shapes_graph, runner.name)
    notes = logged.notes()
    if on_note is not None:
        for note in notes:
            on_note(note)
    return report.replace(notes=(*report.notes, *notes)) if notes else report


def announce_notes(runner: ValidationEngine, shapes: Graph, on_note: Callable[[str], None]) -> None:
    """Tell ``on_note`` before anything runs what the engine will say about the shapes (e.g. the
    fast engine's fallbacks), for engines that can tell (a ``notes_for(shapes)`` method)."""
    notes_for = getattr(runner, "notes_for", None)
    if callable(notes_for):
        for note in notes_for(shapes):
            on_note(str(note))


def announcing_beside(
    runner: ValidationEngine, shapes: Graph, on_note: Callable[[str], None] | None
) -> Callable[[], None]:
    """Work out :func:`announce_notes` in a thread while the data loads, and return ``tell()``,
    which waits for it and tells ``on_note`` (once; later calls do nothing). The fast engine
    compiles the shapes for that (0.2 s), and the store parses outside the GIL, so this costs the
    load nothing; the notes are still told before the first file is reported read."""
    if on_note is None:
        return lambda: None
    notes: list[str] = []
    failed: list[BaseException] = []

    def work() -> None:
        try:
            announce_notes(runner, shapes, notes.append)
        except BaseException as exc:  # raised again in the caller's thread by tell()
            failed.append(exc)

    worker = threading.Thread(target=work, name="crmkg-notes")
    worker.start()

    def tell() -> None:
        worker.join()
        told, notes[:] = list(notes), []
        for note in told:
            on_note(note)
        if failed:
            raise failed.pop()

    return tell


def told_first(tell: Callable[[], None], progress: Progress) -> Progress:
    """``progress`` that first lets ``tell()`` speak (the notes come before any file is reported)."""

    def reported(done: int, total: int, label: str) -> None:
        tell()
        progress(done, total, label)

    return reported


@dataclass
class LoadedData:
    """Data files plus the ontology in a private store, and where each subject is defined."""

    store: Store
    index: LocationIndex
    files: list[Path]
    total: int
    #: The parsed quads of the files asked for with ``keep`` (the very quads in the store).
    kept: dict[Path, list[ox.Quad]] = field(default_factory=dict)


def load_data(
    data_files: Sequence[Path],
    *,
    backend: str,
    include_ontology: bool = True,
    progress: Progress | None = None,
    keep: Collection[Path] = (),
) -> LoadedData:
    """Load ``data_files`` (already expanded) and the ontology into a new store of ``backend``."""
    extra = ontology_paths() if include_ontology else []
    total = len(data_files) + len(extra)
    index = LocationIndex()
    store: Store = open_store(backend=backend)
    wanted = {f.resolve() for f in keep}
    loaded = LoadedData(store, index, list(data_files), total)
    # File by file, so only one file's parsed quads are held at a time. The store is new and
    # private, so a syntax error in a later file loses nothing (the error propagates, the store is dropped).
    for done, file in enumerate([*data_files, *extra]):
        if file.resolve() not in wanted and _load_directly(store, file, index):
            if progress is not None:
                progress(done + 1, total, str(file))
            continue
        quads = read_quads([file], index, progress, total=total, done=done)
        if file.resolve() in wanted:
            loaded.kept[file.resolve()] = quads
        store.add_quads(quads)
    return loaded


#: Formats whose location scan finds every named subject from the text alone (JSON-LD and RDF/XML
#: need the parsed quads for that), so the store may parse them itself.
_SCANNED = (RdfFormat.N_TRIPLES, RdfFormat.N_QUADS, RdfFormat.TURTLE, RdfFormat.TRIG)


def _load_directly(store: Store, file: Path, index: LocationIndex) -> bool:
    """Let a store that parses natively load a file itself, the location scan running meanwhile
    (the store parses outside the GIL). The store names blank nodes afresh on every load, so those
    of different files stay apart as with :func:`parse_bytes` (the scan places named subjects only).
    False when the file does not qualify: another format or store."""
    fmt = RdfFormat.from_path(file)
    if fmt not in _SCANNED or not store.capabilities.bulk_load:
        return False
    data = read_document(file)
    # The input limits are checked before the scan starts: both are Python and would share the
    # GIL, and the store's parse waits for the check (0.2-0.5 s at 1M triples on the critical path).
    check_document(data, fmt, str(file))
    scan = threading.Thread(target=index.add_document, args=(data, fmt, str(file)))
    scan.start()
    try:
        store.load(data, fmt, source=str(file), checked=True)  # errors name file:line:column
    finally:
        scan.join()
    return True


def finish_report(
    report: ValidationReport, loaded: LoadedData, parameters: ValidationParameters, shapes: Graph, engine: str
) -> ValidationReport:
    """``report`` with file locations, the run's metadata and rules, sorted."""
    rules = report.rules or rules_from_shapes(shapes)
    index = loaded.index
    located = tuple(r.with_location(r.location or index.get(r.focus_node)) for r in report.results)
    report = report.replace(
        results=located,
        engine=engine,
        as_of=parameters.today,
        inputs=tuple(str(f) for f in loaded.files),
        parameters=parameters.as_strings(),
        rules=rules,
        prefixes=dict(index.prefixes),
    )
    return explain(report, shapes, labels_from_store(loaded.store)).sorted()


def validate_graph(
    data: Graph,
    *,
    shapes: Graph | PathLike | Sequence[PathLike] | None = None,
    as_of: dt.date | None = None,
    engine: str | ValidationEngine = DEFAULT_ENGINE,
    follow_up_days: int = DEFAULT_FOLLOW_UP_DAYS,
    review_days: int = DEFAULT_REVIEW_DAYS,
    owner_gap_days: int = DEFAULT_OWNER_GAP_DAYS,
) -> ValidationReport:
    """Validate an rdflib graph as it is (for tests and callers that built the graph themselves).

    Nothing is added: include the ontology in ``data`` if the shapes need the class hierarchy.
    Results carry no file locations.
    """
    runner = get_engine(engine) if isinstance(engine, str) else engine
    parameters = ValidationParameters.for_date(
        as_of, follow_up_days=follow_up_days, review_days=review_days, owner_gap_days=owner_gap_days
    )
    shapes_graph = substitute(load_shapes(shapes), parameters)
    report = runner.validate(data, shapes_graph, parameters=parameters)
    report = report.replace(
        engine=runner.name,
        as_of=parameters.today,
        parameters=parameters.as_strings(),
        rules=report.rules or rules_from_shapes(shapes_graph),
    )
    return explain(report, shapes_graph, labels_from_graph(data)).sorted()
