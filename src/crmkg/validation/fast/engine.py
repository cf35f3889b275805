"""The ``fast`` engine: the compiled checks run as SPARQL on the store; uncompilable shapes go to pyshacl.

Before anything runs, every shape that cannot be compiled is named (logged at WARNING and in the
report's notes), and those shapes — and only those — are validated by the reference engine given
to the fast engine (pyshacl by default); nothing is skipped silently.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import threading
import time
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor

import pyoxigraph as ox
from rdflib import BNode, Dataset, Graph, URIRef
from rdflib.namespace import RDF, RDFS
from rdflib.term import Node

from crmkg import progress
from crmkg.errors import CrmkgError, Said, ValidationError
from crmkg.formats import RdfFormat
from crmkg.store import Store, open_store
from crmkg.store.terms import to_ox
from crmkg.validation.fast.compiler import Check, Compiler, Plan
from crmkg.validation.fast.hierarchy import ClassHierarchy
from crmkg.validation.fast.results import StoreRow, Timed, dedupe, results_of_checks
from crmkg.validation.fast.shapes import TARGET_PROPERTIES, ShapeNode, sh
from crmkg.validation.parameters import ValidationParameters
from crmkg.validation.profile import CheckTiming, Profile, phase
from crmkg.validation.protocol import DataGraph, EngineFactory, ValidationEngine
from crmkg.validation.report import ValidationReport, ValidationResult
from crmkg.validation.shacl_graph import ShapeNamer

LOG = logging.getLogger("crmkg.validation.fast")

#: Shapes-graph features that change validation as a whole (SHACL-AF rules rewrite the data first).
_WHOLE_GRAPH_FEATURES = (sh("rule"), sh("entailment"))


def plan_for(
    shapes: Graph, store: Store | None = None, *, restrict: Mapping[ShapeNode, Iterable[Node]] | None = None
) -> Plan:
    """Compile ``shapes``; when the graph uses features that act on the whole run, everything falls back.

    With ``store``, the checks are compiled for it: class tests read its class hierarchy, an EXISTS
    filter that depends on no row is asked of it once, and on Oxigraph SHACL-SPARQL anti-joins may
    use ``LATERAL``; on Virtuoso they keep a form it evaluates right (:func:`misreads_fast_anti_joins`).
    What compiles and what falls back depends on none of these. ``restrict`` limits root shapes to
    given focus nodes (incremental validation).
    """
    compiler = Compiler(
        shapes,
        restrict=restrict,
        hierarchy=ClassHierarchy.of_store(store) if store is not None else None,
        lateral=store is not None and store.capabilities.lateral,
        portable=misreads_fast_anti_joins(store),
        ask=None if store is None else (lambda query: bool(store.select(query).rows)),
    )
    plan = compiler.compile()
    for prop in _WHOLE_GRAPH_FEATURES:
        if (None, prop, None) in shapes:
            from crmkg.validation.fast.compiler import Fallback

            reason = f"the shapes graph uses {prop.n3()}, which the fast engine does not run"
            return Plan(checks=[], fallbacks=[Fallback(r, reason) for r in plan.roots], roots=plan.roots)
    return plan


def misreads_fast_anti_joins(store: Store | None) -> bool:
    """Whether ``store`` is an endpoint known to give wrong rows for the anti-join forms the checks
    take for speed: Virtuoso (told by its ``Server`` header), which then gets the portable form of
    :mod:`~crmkg.validation.fast.user_sparql.portable` (slower on Oxigraph, so only there)."""
    return "virtuoso" in str(getattr(store, "server_software", "")).lower()


def as_store(data: DataGraph) -> Store:
    """``data`` as a store SPARQL can run on fast: Oxigraph and remote stores as they are, rdflib copied."""
    if isinstance(data, Graph):
        store = open_store()
        triples = data.quads((None, None, None, None)) if isinstance(data, Dataset) else data
        store.add_quads([ox.Quad(to_ox(t[0]), to_ox(t[1]), to_ox(t[2])) for t in triples])  # type: ignore[arg-type]
        return store
    if isinstance(data, Store) and data.backend == "memory":
        store = open_store()
        store.load(data.dump(RdfFormat.N_QUADS), RdfFormat.N_QUADS, source="the rdflib store")
        return store
    if isinstance(data, Store):
        return data
    raise ValidationError(key="error.cannot_validate_type", kind=type(data).__name__)


def select_rows(store: Store, query: str, variables: Sequence[str]) -> list[StoreRow]:
    """Solutions of ``query`` as dicts of the bound ``variables``, in the store's own terms (exactly
    as the data writes them; converted to rdflib only where results are made).

    The rows are read completely here: pyoxigraph's result objects must not outlive this call's thread.
    """
    try:
        result = store.select(query)
    except CrmkgError as exc:
        raise ValidationError(key="error.check_failed", problem=str(exc), query=query) from exc
    columns = [(name, result.variables.index(name)) for name in variables if name in result.variables]
    rows: list[StoreRow] = []
    for solution in result.rows:
        row: StoreRow = {}
        for name, i in columns:
            t = solution[i]
            if t is not None:
                row[name] = t
        rows.append(row)
    return rows


def columns_of(check: Check) -> list[str]:
    """The variables of a check's solutions that make its results."""
    cols = [c for c in (check.focus_var, check.value_var, check.path_var, check.type_var) if c]
    cols.extend(col for _, col in check.message_vars)
    return cols


def kept_rows(check: Check, rows: list[StoreRow]) -> list[StoreRow]:
    """The rows of a check's query that are the check's own: all of them, or for a shared query
    (:meth:`~crmkg.validation.fast.compiler.Compiler.share`) those whose focus type is one of
    ``check.keep_types``, once per focus and value."""
    type_var = check.type_var
    if type_var is None:
        return rows
    out: list[StoreRow] = []
    seen: set[tuple[object, ...]] = set()
    for row in rows:
        node_type = row.get(type_var)
        if not isinstance(node_type, ox.NamedNode) or node_type.value not in check.keep_types:
            continue
        own = {k: v for k, v in row.items() if k != type_var}
        key = tuple(sorted(own.items(), key=lambda kv: kv[0]))
        if key not in seen:
            seen.add(key)
            out.append(own)
    return out


def by_query(checks: Sequence[Check]) -> tuple[list[Check], list[int]]:
    """One check per distinct query (the first that has it), and for each check the index of its
    query's check among those: checks that share a query run it once."""
    first: dict[tuple[str, tuple[str, ...]], int] = {}
    unique: list[Check] = []
    index: list[int] = []
    for check in checks:
        key = (check.query, tuple(columns_of(check)))
        if key not in first:
            first[key] = len(unique)
            unique.append(check)
        index.append(first[key])
    return unique, index


#: What the forked workers read: set just before the fork, cleared after (children inherit it).
_FORKED: tuple[Store, Sequence[Check]] | None = None


def run_check(store: Store, check: Check) -> list[StoreRow]:
    """The solutions of one check, as the columns its results are made of."""
    return select_rows(store, check.query, columns_of(check))


def timed_check(store: Store, check: Check) -> Timed:
    start = time.perf_counter()
    rows = run_check(store, check)
    return rows, time.perf_counter() - start


def _run_forked(index: int) -> Timed:
    assert _FORKED is not None, "only called in a worker forked by run_in_processes"
    store, checks = _FORKED
    return timed_check(store, checks[index])


def can_fork(store: Store) -> bool:
    """Whether the checks can run in forked worker processes: an Oxigraph store in memory (one on
    disk runs RocksDB's own threads), a platform with fork, and no other thread alive (forking a
    threaded process can deadlock)."""
    return (
        store.capabilities.forkable
        and "fork" in multiprocessing.get_all_start_methods()
        and threading.active_count() == 1
    )


def _counted(timed: Timed, done: int, advance: progress.Advance) -> Timed:
    advance(done)
    return timed


def run_in_processes(
    store: Store, checks: Sequence[Check], workers: int, advance: progress.Advance | None = None
) -> list[Timed]:
    """Each check's solutions, computed by ``workers`` forked processes that share the loaded store.

    pyoxigraph holds the GIL while it reads a query's solutions, so threads overlap only in part
    (1.5x on two cores); forked workers read the parent's store pages copy-on-write and run fully
    in parallel. Solutions come back in the store's terms, which is all a check returns.
    """
    global _FORKED
    _FORKED = (store, checks)
    try:
        with multiprocessing.get_context("fork").Pool(workers) as pool:
            done = pool.imap(_run_forked, range(len(checks)), chunksize=1)
            return [timed if advance is None else _counted(timed, n, advance) for n, timed in enumerate(done, 1)]
    finally:
        _FORKED = None


def without_targets(shapes: Graph, roots: Iterable[Node]) -> Graph:
    """A copy of ``shapes`` in which ``roots`` select no focus nodes (so pyshacl skips them)."""
    out = Graph()
    for prefix, ns in shapes.namespaces():
        out.bind(prefix, ns, override=True, replace=True)
    drop = set(roots)
    for s, p, o in shapes:
        if s in drop and (p in TARGET_PROPERTIES or p == sh("target")):
            continue
        if s in drop and p == RDF.type and (o == RDFS.Class or (o, RDFS.subClassOf, RDFS.Class) in shapes):
            continue
        out.add((s, p, o))
    return out


def pyshacl_reference() -> ValidationEngine:
    """The default reference engine: pyshacl, imported only when a shape falls back (it is slow to import)."""
    from crmkg.validation.pyshacl_engine import PyshaclEngine

    return PyshaclEngine()


class FastEngine:
    """SHACL Core + SHACL-SPARQL compiled to set-based SPARQL over the store."""

    name = "fast"
    preferred_backend = "oxigraph"

    def __init__(
        self,
        reference: EngineFactory = pyshacl_reference,
        workers: int | None = None,
        *,
        processes: bool = True,
        reference_name: str = "pyshacl",
    ) -> None:
        #: Makes the engine for the shapes that do not compile (only when some shape falls back).
        self.reference, self.reference_name = reference, reference_name
        self.workers = workers if workers is not None else min(4, os.cpu_count() or 1)
        #: Use forked worker processes when safe (see :func:`can_fork`); threads otherwise.
        self.processes = processes
        self._cached: tuple[tuple[int, int], Plan] | None = None

    def plan(self, shapes: Graph, store: Store | None = None) -> Plan:
        """What runs as SPARQL and what falls back (with reasons); with ``store``, the plan
        :meth:`validate` runs there (what falls back is the same). Without, the last plan is reused
        for the same, unchanged shapes graph (the notes are announced before a run compiles)."""
        if store is not None:
            return plan_for(shapes, store)
        key = (id(shapes), len(shapes))
        if self._cached is not None and self._cached[0] == key:
            return self._cached[1]
        plan = plan_for(shapes)
        self._cached = (key, plan)
        return plan

    def notes_for(self, shapes: Graph) -> list[str]:
        """One sentence per shape that falls back to the reference engine, naming the shape and why."""
        return fallback_notes(self.plan(shapes), shapes, self.reference_name)

    def validate(
        self,
        data: DataGraph,
        shapes: Graph,
        *,
        parameters: ValidationParameters,
        profile: Profile | None = None,
    ) -> ValidationReport:
        store = as_store(data)
        # Compiled for this store: its class hierarchy and dialect (what falls back is the same
        # as in the plan announced before the data was loaded).
        with phase(profile, "compile") as detail:
            plan = self.plan(shapes, store)
            detail.append(f"{len(plan.checks)} checks, {len(plan.fallbacks)} shapes to {self.reference_name}")
        notes = fallback_notes(plan, shapes, self.reference_name)
        for note in notes:
            LOG.warning("fast engine: %s", note)
        with phase(profile, "checks") as detail:
            timed = self.run_checks(store, plan.checks)
            detail.append(self.describe_workers(store, len(plan.checks)))
        namer = ShapeNamer(shapes)
        results = results_of_checks(timed, namer)
        if profile is not None:
            profile.checks.extend(
                CheckTiming(check_label(c, shapes, namer), c.component.n3(shapes.namespace_manager), t, len(rows))
                for c, (rows, t) in timed
            )
        if plan.fallbacks:
            with phase(profile, self.reference_name):
                results.extend(self.run_fallback(data, shapes, plan, parameters))
        return ValidationReport(
            results=tuple(dedupe(results)),
            engine=self.name,
            as_of=parameters.today,
            parameters=parameters.as_strings(),
            notes=tuple(notes),
        )

    def describe_workers(self, store: Store, checks: int) -> str:
        workers = max(1, min(self.workers, checks))
        if workers == 1:
            return f"{checks} checks, one after another"
        how = "forked processes" if self.processes and can_fork(store) else "threads"
        return f"{checks} checks on {workers} {how}"

    def run_checks(self, store: Store, checks: Sequence[Check]) -> list[tuple[Check, Timed]]:
        """Run the checks, a few at a time: in forked processes where that is safe
        (:func:`can_fork`), else in threads. Each check with its solutions and its time (a query
        several checks share runs once; its time is split between them)."""
        unique, index = by_query(checks)
        ran = dict(self._run_unique(store, unique))
        sharing = Counter(index)
        out = []
        for check, i in zip(checks, index, strict=True):
            rows, seconds = ran[i]
            out.append((check, (kept_rows(check, rows), seconds / sharing[i])))
        return out

    def _run_unique(self, store: Store, checks: Sequence[Check]) -> list[tuple[int, Timed]]:
        """Each check's query run once: (the check's index in ``checks``, its rows and time)."""
        workers = max(1, min(self.workers, len(checks)))
        with progress.task(self.name, len(checks), "checks") as advance:
            if workers == 1:
                return [(n - 1, _counted(timed_check(store, check), n, advance)) for n, check in enumerate(checks, 1)]
            # Longest queries first (their text length is a fair proxy for their cost), so that no big
            # check starts last while the other workers sit idle.
            order = sorted(range(len(checks)), key=lambda i: -len(checks[i].query))
            ordered = [checks[i] for i in order]
            if self.processes and can_fork(store):
                solutions = run_in_processes(store, ordered, workers, advance)
            else:
                with ThreadPoolExecutor(max_workers=workers) as pool:
                    done = pool.map(lambda c: timed_check(store, c), ordered)
                    solutions = [_counted(timed, n, advance) for n, timed in enumerate(done, 1)]
            return list(zip(order, solutions, strict=True))

    def run_fallback(
        self, data: DataGraph, shapes: Graph, plan: Plan, parameters: ValidationParameters
    ) -> list[ValidationResult]:
        fallback_roots = {fb.shape for fb in plan.fallbacks}
        compiled_roots = [r for r in plan.roots if r not in fallback_roots]
        reduced = without_targets(shapes, compiled_roots)
        report = self.reference().validate(data, reduced, parameters=parameters)
        namer = ShapeNamer(shapes)
        return [r if r.shape_id else _renamed(r, namer) for r in report.results]


def fallback_notes(plan: Plan, shapes: Graph, reference: str) -> list[str]:
    """``"shape S7 (akjsh:S07-…) is validated by pyshacl, not compiled: <reason>"`` per fallback."""
    namer = ShapeNamer(shapes)
    out: list[str] = []
    for fb in plan.fallbacks:
        name = namer(fb.shape)
        label = _label(fb.shape, shapes)
        shown = f"{name} ({label})" if name and name != label else label
        out.append(Said("note.fallback", shape=shown, engine=reference, reason=fb.reason))
    return out


def _renamed(r: ValidationResult, namer: ShapeNamer) -> ValidationResult:
    from dataclasses import replace

    return replace(r, shape_id=namer(r.source_shape))


def check_label(check: Check, shapes: Graph, namer: ShapeNamer) -> str:
    """``S27 S27-PrimaryLead``: the shape's id and name, for the profile."""
    label = _label(check.shape, shapes)
    if label.startswith("<") and "#" in label:
        label = label[label.rindex("#") + 1 : -1]
    shape_id = namer(check.shape)
    return f"{shape_id} {label}" if shape_id and shape_id != label else label


def _label(node: Node, shapes: Graph | None = None) -> str:
    if isinstance(node, URIRef) and shapes is not None:
        try:
            return shapes.namespace_manager.normalizeUri(node)
        except Exception:  # an IRI rdflib cannot shorten is shown in full
            return f"<{node}>"
    return node.n3() if isinstance(node, URIRef | BNode) else str(node)
