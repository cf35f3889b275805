"""``check``: the ontology's own QA as one :class:`ValidationReport`.

Three kinds of checks, one report model (so one renderer and one ``--fail-on`` serve all):

* the meta-shapes ``shapes/meta/akj-ontology-qa.ttl`` run on the ontology modules;
* HermiT's consistency and satisfiability check (:func:`crmkg.reasoning.check_tbox_consistency`);
* the quality-check queries ``queries/qc/*.rq`` run on the ontology plus any data given (each row is
  a finding: ``?focus`` the focus node, ``?path``/``?value`` when bound).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path

import pyoxigraph as ox
from rdflib import OWL, RDF, Graph, URIRef

from crmkg import resources
from crmkg.errors import UsageError
from crmkg.loading import expand_paths
from crmkg.namespaces import AKJSH
from crmkg.store import SelectResult, open_store
from crmkg.store.terms import RdflibTerm, from_ox
from crmkg.validation.engine import DEFAULT_ENGINE, get_engine
from crmkg.validation.extensions import extension_namespaces, meta_shapes_for
from crmkg.validation.locations import LocationIndex
from crmkg.validation.parameters import ValidationParameters, substitute
from crmkg.validation.protocol import ValidationEngine
from crmkg.validation.report import Rule, Severity, ValidationReport, ValidationResult
from crmkg.validation.run import PathLike, Progress, load_shapes, ontology_paths, read_quads
from crmkg.validation.shacl_graph import rules_from_shapes

#: Constraint components of the non-SHACL checks (identifiers only; SHACL allows any IRI here).
REASONER_CONSISTENCY = AKJSH.ReasonerConsistencyComponent
REASONER_SATISFIABILITY = AKJSH.ReasonerSatisfiabilityComponent
REASONER_NOT_RUN = AKJSH.ReasonerNotRunComponent
QC_QUERY = AKJSH.QualityCheckQueryComponent

REASONER_RULE = Rule(
    id="hermit",
    labels={
        "fi": "ontologia on ristiriidaton ja jokainen luokka toteutuva (HermiT)",
        "en": "the ontology is consistent and every class satisfiable (HermiT)",
    },
    severity=Severity.VIOLATION,
    source="crmkg.reasoning.check_tbox_consistency",
)


def meta_shapes_file(data_dir: Path | None = None) -> Path:
    return resources.data_path("shapes", data_dir) / "meta" / "akj-ontology-qa.ttl"


def _ontology_iri(graph: Graph) -> URIRef:
    """The akj ontology's IRI, else the first ontology IRI in ``graph`` (an extension's)."""
    headers = [s for s in sorted(graph.subjects(RDF.type, OWL.Ontology), key=str) if isinstance(s, URIRef)]
    return next(
        (s for s in headers if "akj" in str(s)), headers[0] if headers else URIRef("https://w3id.org/crmkg/akj")
    )


def reasoner_results(files: Sequence[Path], ontology: Graph) -> list[ValidationResult]:
    """HermiT's verdict as findings; an unavailable reasoner is a Warning, never silence."""
    from crmkg import reasoning  # owlready2 is imported inside; optional

    focus = _ontology_iri(ontology)
    try:
        verdict = reasoning.check_tbox_consistency(list(files))
    except reasoning.ReasonerUnavailableError as exc:
        return [
            ValidationResult(
                severity=Severity.WARNING,
                focus_node=focus,
                path=None,
                value=None,
                source_shape=None,
                constraint_component=REASONER_NOT_RUN,
                messages={
                    "en": f"HermiT consistency was not checked: {exc}",
                    "fi": f"HermiT-ristiriidattomuutta ei tarkistettu: {exc}",
                },
                shape_id=REASONER_RULE.id,
            )
        ]
    out: list[ValidationResult] = []
    if not verdict.consistent:
        out.append(
            ValidationResult(
                severity=Severity.VIOLATION,
                focus_node=focus,
                path=None,
                value=None,
                source_shape=None,
                constraint_component=REASONER_CONSISTENCY,
                messages={"en": "HermiT: the ontology is inconsistent.", "fi": "HermiT: ontologia on ristiriitainen."},
                shape_id=REASONER_RULE.id,
            )
        )
    for iri in verdict.unsatisfiable_classes:
        out.append(
            ValidationResult(
                severity=Severity.VIOLATION,
                focus_node=URIRef(iri),
                path=None,
                value=None,
                source_shape=None,
                constraint_component=REASONER_SATISFIABILITY,
                messages={
                    "en": f"HermiT: class {iri} is unsatisfiable (it can have no members).",
                    "fi": f"HermiT: luokka {iri} on toteutumaton (sillä ei voi olla jäseniä).",
                },
                shape_id=REASONER_RULE.id,
            )
        )
    return out


def qc_results(quads: Sequence[ox.Quad], as_of: dt.date) -> tuple[list[ValidationResult], list[Rule]]:
    """Run every ``queries/qc`` check on the given quads; each row is a finding."""
    from crmkg.catalogue import Catalogue

    catalogue = Catalogue()
    store = open_store()
    store.add_quads(quads)
    results: list[ValidationResult] = []
    rules: list[Rule] = []
    for spec in catalogue.list("qc"):
        severity = spec.severity or Severity.VIOLATION
        summaries = {"fi": spec.summaries.fi, "en": spec.summaries.en} if spec.summaries else {"en": spec.summary}
        messages = {"fi": spec.message.fi, "en": spec.message.en} if spec.message else summaries
        rules.append(
            Rule(
                id=spec.id,
                labels=summaries,
                severity=severity,
                source=f"queries/qc/{spec.path.name}",
                descriptions=messages,
            )
        )
        params = {p.name: as_of for p in spec.params if p.type.value.endswith("date")}
        answer = catalogue.run(spec, store, params)
        rows = answer.dicts() if isinstance(answer, SelectResult) else []
        for row in ({k: from_ox(v) for k, v in found.items()} for found in rows):
            focus = _focus_of(row)
            if focus is None:
                continue
            path = row.get("path")
            results.append(
                ValidationResult(
                    severity=severity,
                    focus_node=focus,
                    path=path if isinstance(path, URIRef) else None,
                    value=row.get("value"),
                    source_shape=None,
                    constraint_component=QC_QUERY,
                    messages=messages,
                    shape_id=spec.id,
                )
            )
    store.close()
    return results, rules


def _focus_of(row: dict[str, RdflibTerm]) -> RdflibTerm | None:
    for name in ("focus", "this", "entity", "subject"):
        if name in row:
            return row[name]
    return next((t for t in row.values() if isinstance(t, URIRef)), None)


def check(
    paths: Sequence[PathLike] = (),
    *,
    ontology: Sequence[PathLike] = (),
    namespaces: Sequence[str] = (),
    as_of: dt.date | None = None,
    meta_shapes: bool = True,
    reasoner: bool = True,
    queries: bool = True,
    engine: str | ValidationEngine = DEFAULT_ENGINE,
    progress: Progress | None = None,
) -> ValidationReport:
    """The ontology's QA (and the qc queries over ``paths``, if given) as one report.

    With ``ontology`` (a consumer's extension modules), the QA checks those modules instead of
    crmkg's: the meta-shapes check the extension's terms (in ``namespaces``, default: what the
    extension declares, see :func:`~crmkg.validation.extensions.extension_namespaces`) and its
    headers, HermiT reasons over crmkg's modules plus the extension, and the qc queries see both.

    Raises :class:`~crmkg.errors.LoadError` for unreadable input and
    :class:`~crmkg.errors.ReasoningError` when HermiT fails (as opposed to being unavailable).
    """
    parameters = ValidationParameters.for_date(as_of)
    extension = expand_paths(ontology) if ontology else []
    if ontology and not extension:
        raise UsageError(key="error.no_ontology_files", paths=", ".join(str(p) for p in ontology))
    modules = [*resources.ontology_files(), *extension]
    extra = ontology_paths()[len(modules) - len(extension) :]  # the external hierarchy, for the qc queries
    data_files = expand_paths(paths) if paths else []
    total = len(modules) + len(extra) + len(data_files)
    index = LocationIndex()
    module_quads = read_quads(modules, index, progress, total=total)
    other_quads = read_quads([*extra, *data_files], index, progress, total=total, done=len(modules))
    ontology_graph = _graph(module_quads)
    own = _extension_graph(extension) if extension else ontology_graph  # what the findings are about

    results: list[ValidationResult] = []
    rules: list[Rule] = []
    if meta_shapes:
        shapes = substitute(load_shapes(meta_shapes_file()), parameters)
        if extension:
            shapes = meta_shapes_for(shapes, list(namespaces) or extension_namespaces(own))
        runner = get_engine(engine) if isinstance(engine, str) else engine
        report = runner.validate(ontology_graph, shapes, parameters=parameters)
        results.extend(report.results)
        rules.extend(report.rules or rules_from_shapes(shapes))
    if reasoner:
        results.extend(reasoner_results(modules, own))
        rules.append(REASONER_RULE)
    if queries:
        found, qc_rules = qc_results([*module_quads, *other_quads], parameters.today)
        results.extend(found)
        rules.extend(qc_rules)
    located = tuple(r.with_location(r.location or index.get(r.focus_node)) for r in results)
    return ValidationReport(
        results=located,
        engine="check",
        as_of=parameters.today,
        inputs=tuple(str(f) for f in [*(extension or modules), *data_files]),
        parameters=parameters.as_strings(),
        rules=tuple(rules),
        prefixes=dict(index.prefixes),
    ).sorted()


def _graph(quads: Sequence[ox.Quad]) -> Graph:
    graph = Graph()
    for q in quads:
        graph.add((from_ox(q.subject), from_ox(q.predicate), from_ox(q.object)))
    return graph


def _extension_graph(files: Sequence[Path]) -> Graph:
    """The extension modules alone (their headers and the terms they declare)."""
    return _graph(read_quads(list(files)))
