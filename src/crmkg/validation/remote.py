"""Validation where the data lives: the compiled checks run inside a store, typically a remote endpoint.

The fast engine's checks are plain SPARQL 1.1 (no ``LATERAL``: the store's capabilities say whether
it has it), so they run on any endpoint; only the findings travel back. A shape that does not compile
would need the data copied out to pyshacl, so a run that has one is refused before anything runs.
A check's rows are read whole, or in pages where the endpoint caps its answers. A check the
endpoint fails (a timeout, an error) is reported by name in the report's notes and in
:attr:`StoreValidation.failed`; the other checks still run.

The store must hold the akj ontology next to the data (class tests read its ``rdfs:subClassOf``
edges), as a local run adds it: ``crmkg load --with-ontology … --store URL``.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

from rdflib import Graph

from crmkg.errors import CrmkgError, FirstLine, Said, UsageError
from crmkg.store import Store
from crmkg.validation.explain import explain, labels_by_query
from crmkg.validation.fast.compiler import Check
from crmkg.validation.fast.engine import by_query, check_label, fallback_notes, kept_rows, plan_for
from crmkg.validation.fast.results import StoreRow, dedupe, results_of
from crmkg.validation.paging import DEFAULT_PAGE_SIZE, paged_rows
from crmkg.validation.parameters import (
    DEFAULT_FOLLOW_UP_DAYS,
    DEFAULT_OWNER_GAP_DAYS,
    DEFAULT_REVIEW_DAYS,
    ValidationParameters,
    substitute,
)
from crmkg.validation.profile import CheckTiming, Profile, phase
from crmkg.validation.report import ValidationReport
from crmkg.validation.run import PathLike, load_shapes
from crmkg.validation.shacl_graph import ShapeNamer, rules_from_shapes

__all__ = ["StoreValidation", "validate_store"]

#: The akj ontology's own IRI: a store without it gives class tests no hierarchy.
ONTOLOGY_IRI = "https://w3id.org/crmkg/akj"


@dataclass(frozen=True)
class StoreValidation:
    """The report, and one sentence per check the store failed (empty when every check ran)."""

    report: ValidationReport
    failed: tuple[str, ...] = ()


def validate_store(
    store: Store,
    *,
    shapes: Graph | PathLike | Sequence[PathLike] | None = None,
    as_of: dt.date | None = None,
    follow_up_days: int = DEFAULT_FOLLOW_UP_DAYS,
    review_days: int = DEFAULT_REVIEW_DAYS,
    owner_gap_days: int = DEFAULT_OWNER_GAP_DAYS,
    workers: int = 4,
    page_size: int = DEFAULT_PAGE_SIZE,
    profile: Profile | None = None,
) -> StoreValidation:
    """Validate the data already in ``store`` against the akj shapes (or ``shapes``), in the store.

    Raises :class:`~crmkg.errors.UsageError` when a shape would need the data copied out or the
    store does not hold the akj ontology; a failing check does not raise (see :class:`StoreValidation`).
    A check's rows are read ``page_size`` at a time where the store caps its answers (:mod:`crmkg.validation.paging`).
    ``profile`` gets the phases and each query's wall-clock time (as its connection waited for it).
    """
    parameters = ValidationParameters.for_date(
        as_of, follow_up_days=follow_up_days, review_days=review_days, owner_gap_days=owner_gap_days
    )
    shapes_graph = substitute(load_shapes(shapes), parameters)
    if not store.select(f"SELECT ?p WHERE {{ <{ONTOLOGY_IRI}> ?p ?o }} LIMIT 1").rows:
        raise UsageError(key="error.store_without_ontology", store=repr(store), ontology=ONTOLOGY_IRI)
    with phase(profile, "compile"):
        plan = plan_for(shapes_graph, store)
    if plan.fallbacks:
        reasons = "; ".join(fallback_notes(plan, shapes_graph, "pyshacl"))
        raise UsageError(key="error.shapes_not_in_store", reasons=reasons)
    namer = ShapeNamer(shapes_graph)

    def attempt(check: Check) -> list[StoreRow] | str:
        try:
            return paged_rows(store, check, page_size)
        except CrmkgError as exc:
            # the store's own error (a timeout, the endpoint's answer), not the wrapper that appends the query
            cause = exc.__cause__ if isinstance(exc.__cause__, CrmkgError) else exc
            shape = namer(check.shape) or str(check.shape)
            component = check.component.n3()
            return Said("note.store_check_failed", shape=shape, component=component, problem=FirstLine(cause))

    def timed(check: Check) -> tuple[list[StoreRow] | str, float]:
        started = time.perf_counter()
        return attempt(check), time.perf_counter() - started

    unique, index = by_query(plan.checks)  # a query several checks share is asked once
    connections = max(1, min(workers, len(unique)))
    with phase(profile, "checks") as detail, ThreadPoolExecutor(max_workers=connections) as pool:
        timings = list(pool.map(timed, unique))
        detail.append(f"{len(unique)} queries, {connections} at a time")
    ran = [outcome for outcome, _ in timings]
    if profile is not None:
        names = shapes_graph.namespace_manager
        profile.checks.extend(
            CheckTiming(
                check_label(c, shapes_graph, namer), c.component.n3(names), s, 0 if isinstance(o, str) else len(o)
            )
            for c, (o, s) in zip(unique, timings, strict=True)
        )
    outcomes = [o if isinstance(o := ran[i], str) else kept_rows(c, o) for c, i in zip(plan.checks, index, strict=True)]
    failed = tuple(dict.fromkeys(o for o in outcomes if isinstance(o, str)))
    results = [
        r
        for check, rows in zip(plan.checks, outcomes, strict=True)
        if not isinstance(rows, str)
        for r in results_of(check, rows, namer)
    ]
    report = ValidationReport(
        results=tuple(dedupe(results)),
        engine="fast",
        as_of=parameters.today,
        inputs=(getattr(store, "url", repr(store)),),
        parameters=parameters.as_strings(),
        rules=rules_from_shapes(shapes_graph),
        notes=failed,
    )
    # messages name things by their labels in the store, as a local run's do (crmkg.validation.explain);
    # a phase of its own: its queries are the store's too, and once grew with the store (see labels_by_query)
    with phase(profile, "messages"):
        explained = explain(report, shapes_graph, labels_by_query(store)).sorted()
    return StoreValidation(explained, failed)
