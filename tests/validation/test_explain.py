"""Readable findings (issue 15 §7–§8): labels for IRIs, the as-of date and window in force, the
datatype actually found, and each group headed by its own shape's label — on both engines."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from rdflib import Literal

from crmkg.formats import RdfFormat
from crmkg.store import open_store
from crmkg.validation import validate
from crmkg.validation.explain import labels_by_query, labels_from_store
from crmkg.validation.formats import RenderOptions
from crmkg.validation.formats.text import render
from crmkg.validation.parameters import ValidationParameters, message_values
from crmkg.validation.report import ValidationReport

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "esimerkki"
AS_OF = dt.date(2026, 10, 1)


def test_as_of_reads_today_only_on_the_run_date() -> None:
    params = ValidationParameters.for_date(AS_OF, follow_up_days=30)
    assert message_values(params, "fi", run_date=AS_OF)["asOfWhen"] == "tänään"
    assert message_values(params, "en", run_date=AS_OF)["asOfWhen"] == "today"
    assert message_values(params, "fi", run_date=dt.date(2026, 12, 3))["asOfWhen"] == "2026-10-01"
    assert message_values(params, "en", run_date=dt.date(2026, 12, 3))["asOfWhen"] == "on 2026-10-01"
    assert message_values(params, "en")["followUpDays"] == "30"
    assert message_values(params, "en")["followUpSince"] == "2026-09-01"


@pytest.fixture(scope="module", params=["fast", "pyshacl"])
def broken_copy(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> tuple[str, ValidationReport]:
    folder = tmp_path_factory.mktemp(f"example-{request.param}")
    for path in EXAMPLE.glob("*.ttl"):
        (folder / path.name).write_bytes(path.read_bytes())
    (folder / "zz-wrong-date.ttl").write_text(
        "@prefix akj: <https://w3id.org/crmkg/akj#> .\n"
        "@prefix ex: <https://example.org/esimerkki/> .\n"
        "@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .\n"
        'ex:suunnitelma-kauppakulma-2026 akj:approvalDate "2025-12-15"^^xsd:string .\n',
        encoding="utf-8",
    )
    report = validate([folder], as_of=AS_OF, engine=request.param, follow_up_days=60)
    return request.param, report


def test_messages_name_labels_and_the_window_in_force(broken_copy: tuple[str, ValidationReport]) -> None:
    _, report = broken_copy
    s15 = [r for r in report.results if r.shape_id == "S15"]
    assert s15
    for result in s15:
        for lang in ("fi", "en"):
            text = result.message(lang)
            assert "https://" not in text, text
            assert "60" in text, text
            assert "2026-08-02" in text, text
            assert "oletus" not in text, text
            assert "default" not in text, text
    kauppakulma = next(r for r in s15 if str(r.focus_node).endswith("suunnitelma-kauppakulma-2026"))
    assert '"Asiakkuussuunnitelma 2026: Kauppakulma' in kauppakulma.message("fi")
    s14 = [r for r in report.results if r.shape_id == "S14"]
    assert s14
    assert all("on 2026-10-01" in r.message("en") and "today" not in r.message("en") for r in s14)


def test_a_datatype_finding_names_the_datatype_found(broken_copy: tuple[str, ValidationReport]) -> None:
    _, report = broken_copy
    wrong = [r for r in report.results if r.value == Literal("2025-12-15")]
    assert len(wrong) == 1
    assert "xsd:string" in wrong[0].message("en")
    assert "xsd:date" in wrong[0].message("en")
    assert "tietotyyppiä xsd:string" in wrong[0].message("fi")


def test_each_group_is_headed_by_its_own_shape(broken_copy: tuple[str, ValidationReport]) -> None:
    _, report = broken_copy
    text = render(report, RenderOptions(lang="en"))
    headings = [line for line in text.splitlines() if line.startswith("S27 ")]
    assert headings == ["S27 plan approval date — Violation, 1"]
    fi = render(report, RenderOptions(lang="fi"))
    assert "S27 suunnitelman hyväksymispäivä — Rikkomus, 1" in fi.splitlines()


_LABELLED = b"""
@prefix ex: <https://example.org/> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix foaf: <http://xmlns.com/foaf/0.1/> .
ex:a skos:prefLabel "A-fi"@fi ; rdfs:label "A-en"@en, "A-fi-rdfs"@fi ; foaf:name "A" ; ex:note "not a label" .
ex:b rdfs:label "B2"@en, "B1"@en .
ex:c foaf:name "Cecilia" ; ex:knows ex:a .
ex:d ex:note "no label" .
"""


@pytest.mark.parametrize("batch", [1, 2, 200])
def test_labels_asked_by_query_are_those_read_by_pattern(batch: int) -> None:
    """The batched label query (what ``validate --store`` asks) gives each IRI the labels a local run
    reads pattern by pattern: per language the first property of prefLabel, label, name, the least text."""
    store = open_store()
    store.load(_LABELLED, RdfFormat.TURTLE)
    iris = [f"https://example.org/{n}" for n in ("a", "b", "c", "d", "missing")]
    expected = {
        "https://example.org/a": {"fi": "A-fi", "en": "A-en", "": "A"},
        "https://example.org/b": {"en": "B1"},
        "https://example.org/c": {"": "Cecilia"},
    }
    assert labels_from_store(store)(iris) == expected
    assert labels_by_query(store, batch=batch)(iris) == expected
