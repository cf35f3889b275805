"""The report model, the parameters' substitution and the engine registry."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from rdflib import BNode, Graph, Literal, URIRef

from crmkg.errors import UsageError
from crmkg.validation import (
    Severity,
    ValidationParameters,
    ValidationReport,
    ValidationResult,
    available_engines,
    get_engine,
    load_shapes,
    register_engine,
    validate,
)
from crmkg.validation.parameters import placeholders_in, substitute, substitute_text
from crmkg.validation.report import pick_message

from .conftest import AS_OF, MINI_DATA, MINI_SHAPES

SH = "http://www.w3.org/ns/shacl#"
EX = "https://example.org/t/"


def _result(severity: Severity, focus: str = "a", **kw: object) -> ValidationResult:
    return ValidationResult(
        severity=severity,
        focus_node=URIRef(EX + focus),
        path=kw.pop("path", URIRef(EX + "p")),  # type: ignore[arg-type]
        value=kw.pop("value", None),  # type: ignore[arg-type]
        source_shape=URIRef(EX + "S"),
        constraint_component=URIRef(SH + "MinCountConstraintComponent"),
        **kw,  # type: ignore[arg-type]
    )


def test_severity_order_and_names() -> None:
    assert Severity.INFO < Severity.WARNING < Severity.VIOLATION
    assert max(Severity) is Severity.VIOLATION
    assert Severity.from_name("Warning") is Severity.WARNING
    assert Severity.from_iri(URIRef(SH + "Info")) is Severity.INFO
    assert Severity.from_iri(URIRef(EX + "Custom")) is Severity.VIOLATION
    with pytest.raises(UsageError):
        Severity.from_name("fatal")


def test_conforms_by_level() -> None:
    report = ValidationReport(results=(_result(Severity.WARNING),))
    assert report.conforms("violation")
    assert not report.conforms("warning")
    assert not report.conforms(Severity.INFO)
    assert ValidationReport().conforms("info")


def test_fingerprint_ignores_location_and_blank_labels() -> None:
    from crmkg.errors import SourceLocation

    a = _result(Severity.VIOLATION, location=SourceLocation("x.ttl", 3, 1), value=BNode("b1"))
    b = _result(Severity.VIOLATION, location=SourceLocation("y.ttl", 9, 1), value=BNode("b2"))
    c = _result(Severity.VIOLATION, value=Literal("other"))
    assert a.fingerprint() == b.fingerprint() != c.fingerprint()


def test_message_fallbacks() -> None:
    assert pick_message({"fi": "hei", "en": "hi"}, "fi") == "hei"
    assert pick_message({"en": "hi"}, "fi") == "hi"
    assert pick_message({"fi": "hei"}, "en") == "hei"
    assert pick_message({"": "engine text"}, "fi") == "engine text"
    assert pick_message({}, "en") == ""


def test_parameters_and_substitution() -> None:
    params = ValidationParameters.for_date(AS_OF, follow_up_days=30, review_days=1)
    assert params.plan_follow_up_since == dt.date(2026, 9, 1)
    assert params.situation_review_since == dt.date(2026, 9, 30)
    text = "FILTER (?d <= $today && ?f >= $planFollowUpSince && ?r >= $situationReviewSince && ?x = $todayish)"
    out = substitute_text(text, params)
    xsd = "<http://www.w3.org/2001/XMLSchema#date>"
    assert f'?d <= "2026-10-01"^^{xsd}' in out
    assert f'?f >= "2026-09-01"^^{xsd}' in out
    assert f'?r >= "2026-09-30"^^{xsd}' in out
    assert "$todayish" in out  # a longer variable name is not a placeholder
    with pytest.raises(UsageError):
        ValidationParameters(AS_OF, follow_up_days=-1)


def test_akj_shapes_placeholders_are_all_filled() -> None:
    shapes = load_shapes()
    assert placeholders_in(shapes) <= {"today", "planFollowUpSince", "situationReviewSince", "ownerGapDays"}
    assert "today" in placeholders_in(shapes)
    filled = substitute(shapes, ValidationParameters.for_date(AS_OF))
    assert placeholders_in(filled) == set()
    assert len(filled) == len(shapes)
    assert placeholders_in(shapes), "the input graph is left as it was"


class _FixedEngine:
    """An engine that reports one finding on a known subject, to test the seam around engines."""

    name = "fixed"
    preferred_backend = "oxigraph"

    def validate(self, data: object, shapes: Graph, *, parameters: ValidationParameters) -> ValidationReport:
        assert len(data) > 0  # type: ignore[arg-type]
        assert placeholders_in(shapes) == set()
        return ValidationReport(
            results=(
                ValidationResult(
                    severity=Severity.WARNING,
                    focus_node=URIRef("https://example.org/test/three"),
                    path=None,
                    value=Literal(parameters.today),
                    source_shape=None,
                    constraint_component=URIRef(SH + "SPARQLConstraintComponent"),
                    messages={"en": "fixed"},
                    shape_id="F1",
                ),
            )
        )


def test_engine_registry_and_seam() -> None:
    register_engine("fixed", _FixedEngine)
    assert "fixed" in available_engines()
    assert available_engines()[0] == "fast"  # the default comes first
    report = validate(MINI_DATA, shapes=MINI_SHAPES, as_of=AS_OF, engine="fixed")
    assert report.engine == "fixed"
    assert report.as_of == AS_OF
    (result,) = report.results
    assert result.value == Literal(AS_OF)
    assert result.location is not None
    assert Path(result.location.file).name == "things.ttl"
    assert result.location.line == 14
    with pytest.raises(UsageError):
        get_engine("no-such-engine")


def test_sparql_parse_cache_changes_no_result() -> None:
    from rdflib.plugins.sparql import processor

    from crmkg.validation import sparql_cache

    data = Graph()
    for path in MINI_DATA:
        data.parse(path)
    shapes = substitute(Graph().parse(MINI_SHAPES), ValidationParameters.for_date(AS_OF))
    engine = get_engine("pyshacl")
    cached = engine.validate(data, shapes, parameters=ValidationParameters.for_date(AS_OF))
    assert sparql_cache._installed
    saved = processor.parseQuery, processor.translateQuery
    from rdflib.plugins.sparql.algebra import translateQuery
    from rdflib.plugins.sparql.parser import parseQuery

    try:
        processor.parseQuery, processor.translateQuery = parseQuery, translateQuery  # type: ignore[attr-defined]
        plain = engine.validate(data, shapes, parameters=ValidationParameters.for_date(AS_OF))
    finally:
        processor.parseQuery, processor.translateQuery = saved  # type: ignore[attr-defined]
    key = lambda r: (r.rule_id, str(r.focus_node), str(r.value))  # noqa: E731
    assert sorted(map(key, cached.results)) == sorted(map(key, plain.results))
    assert len(cached.results) == 5


def test_the_parse_cache_keys_on_the_prefixes_as_a_set() -> None:
    """pyshacl writes PREFIX lines in a shapes graph's order, which differs between two graphs parsed
    alike: the same query in another order is one cache entry; a prefix declared twice is not."""
    from crmkg.validation.sparql_cache import prologue_free_key

    body = "SELECT ?s WHERE { ?s a:p b:o }"
    one = f"PREFIX a: <http://e/a#>\nPREFIX b: <http://e/b#>\n{body}"
    other = f"PREFIX b: <http://e/b#>\n  prefix a: <http://e/a#> {body}"
    assert prologue_free_key(one) == prologue_free_key(other)
    assert prologue_free_key(one) != prologue_free_key(one.replace("<http://e/b#>", "<http://e/c#>"))
    twice = f"PREFIX a: <http://e/a#>\nPREFIX a: <http://e/b#>\n{body}"
    assert prologue_free_key(twice) == twice
    assert prologue_free_key(body) == body
    assert prologue_free_key("PREFIX a: <unclosed") == "PREFIX a: <unclosed"


def test_validate_graph_is_the_same_engine_without_files() -> None:
    from crmkg.validation import validate_graph

    data = Graph()
    for path in MINI_DATA:
        data.parse(path)
    report = validate_graph(data, shapes=MINI_SHAPES, as_of=AS_OF)
    from_files = validate(MINI_DATA, shapes=MINI_SHAPES, as_of=AS_OF)
    key = lambda r: (r.rule_id, str(r.focus_node), r.path and r.path.n3(), str(r.value))  # noqa: E731
    assert sorted(map(key, report.results)) == sorted(map(key, from_files.results))
    assert all(r.location is None for r in report.results)
    assert {r.id for r in report.rules} == {"T1", "T2", "T3", "T4", "T5"}
