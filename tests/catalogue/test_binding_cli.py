"""Typed parameter binding (crmkg.catalogue.bind) and the CLI verbs query, queries and infer."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import Graph

from crmkg.catalogue import Catalogue, QueryKind, bind, expand_iri
from crmkg.cli import main
from crmkg.errors import BindingError
from crmkg.namespaces import EX
from crmkg.store import SelectResult, Store
from crmkg.store.terms import XSD, literal

HOSTILE = "x> } DROP ALL #"


def test_values_become_typed_terms(catalogue: Catalogue) -> None:
    spec = catalogue.get("cq-011")
    terms = bind(spec, {"relationship": "ex:rel-acme", "asOf": "2026-10-01"})
    assert terms == {
        "__relationship_iri": ox.NamedNode("https://example.org/esimerkki/rel-acme"),
        "_asOf_xsd_date": literal("2026-10-01", XSD + "date"),
    }
    assert bind(spec, {"asOf": dt.date(2026, 1, 2)})["_asOf_xsd_date"] == literal("2026-01-02", XSD + "date")


def test_defaults_fill_absent_parameters(catalogue: Catalogue) -> None:
    terms = bind(catalogue.get("cq-026"), {})
    assert terms == {"_whole_iri": ox.NamedNode("https://w3id.org/crmkg/akj#BusinessManagementDomain")}


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"relationship": HOSTILE, "asOf": "2026-10-01"}, "not an absolute IRI"),
        ({"relationship": "http://e/x y", "asOf": "2026-10-01"}, "not allowed"),
        ({"relationship": "<http://e/x>} DROP ALL {", "asOf": "2026-10-01"}, "not an absolute IRI"),
        ({"relationship": "http://e/x>} DROP ALL {<", "asOf": "2026-10-01"}, "not allowed"),
        ({"relationship": "rel-acme", "asOf": "2026-10-01"}, "known prefix"),
        ({"asOf": "2026-02-30"}, "not a calendar date"),
        ({"asOf": "1.10.2026"}, "YYYY-MM-DD"),
        ({"asOf": HOSTILE}, "YYYY-MM-DD"),
        ({}, r"asOf \(date\) is required"),
        ({"asOf": "2026-10-01", "owner": "ex:x"}, "no parameter 'owner'"),
    ],
)
def test_bad_values_are_binding_errors(catalogue: Catalogue, params: dict[str, str], message: str) -> None:
    with pytest.raises(BindingError, match=message):
        bind(catalogue.get("cq-011"), params)


def test_curies_and_full_iris() -> None:
    assert expand_iri("ex:rel-acme") == ox.NamedNode(EX["rel-acme"])
    assert expand_iri("<https://example.org/esimerkki/x>") == ox.NamedNode(EX["x"])
    assert expand_iri("urn:uuid:1234") == ox.NamedNode("urn:uuid:1234")
    assert expand_iri("akj:OwnerRole") == ox.NamedNode("https://w3id.org/crmkg/akj#OwnerRole")


def test_other_types(tmp_path: Path) -> None:
    from crmkg.catalogue import parse_query_file

    path = tmp_path / "q.rq"
    path.write_text(
        "#+ summary: typed\n#+ params:\n#+   lang:\n#+     type: lang\n"
        "SELECT * WHERE { ?s ?p ?_n_integer , ?__flag_xsd_boolean , ?_lang , ?__text }\n",
        "utf-8",
    )
    spec = parse_query_file(path)
    terms = bind(spec, {"n": "42", "flag": "true", "lang": "FI", "text": HOSTILE})
    assert terms["_n_integer"] == literal("42", XSD + "integer")
    assert terms["__flag_xsd_boolean"] == literal("true", XSD + "boolean")
    assert terms["_lang"] == literal("fi")
    assert terms["__text"] == literal(HOSTILE)  # a harmless literal, never query text
    for bad in ({"n": "4.2", "lang": "fi"}, {"n": "1", "lang": "f i"}, {"n": "1", "lang": "fi", "flag": "yes"}):
        with pytest.raises(BindingError):
            bind(spec, bad)


@pytest.mark.parametrize("backend", ["oxigraph", "memory"])
def test_a_hostile_string_stays_a_literal_on_the_store(tmp_path: Path, backend: str, stores: dict[str, Store]) -> None:
    from crmkg.catalogue import parse_query_file

    path = tmp_path / "q.rq"
    path.write_text("#+ summary: label\nSELECT ?s WHERE { ?s ?p ?_label }\n", "utf-8")
    store = stores[backend]
    before = len(store)
    result = Catalogue().run(parse_query_file(path), store, {"label": HOSTILE})
    assert isinstance(result, SelectResult)
    assert result.rows == []
    assert len(store) == before


# --------------------------------------------------------------------------------------------- CLI


def test_cli_query_table_with_curie_and_as_of(capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["query", "cq-011", "--param", "relationship=ex:rel-lahilaakarit-siivous", "--as-of", "2026-10-01"])
    out = capsys.readouterr().out
    assert code == 0
    assert "ex:laura-koskinen" in out
    assert "foaf:Person" in out
    assert "(1 row)" in out


@pytest.mark.parametrize("fmt", ["json", "csv", "tsv", "xml"])
def test_cli_query_result_formats(fmt: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["query", "CQ15", "--as-of", "2026-10-01", "--format", fmt]) == 0
    out = capsys.readouterr().out
    if fmt == "json":
        data = json.loads(out)
        assert data["head"]["vars"] == ["relationship", "person", "since"]
        assert data["results"]["bindings"][0]["person"] == {"type": "uri", "value": str(EX["laura-koskinen"])}
    elif fmt == "csv":
        assert out.splitlines() == [
            "relationship,person,since",
            f"{EX['rel-lahilaakarit-siivous']},{EX['laura-koskinen']},2025-03-01",
        ]
    elif fmt == "tsv":
        assert out.splitlines()[0] == "?relationship\t?person\t?since"
        assert '"2025-03-01"^^<http://www.w3.org/2001/XMLSchema#date>' in out
    else:
        from xml.etree import ElementTree  # our own output, no entities: the stdlib parser is fine

        root = ElementTree.fromstring(out)
        ns = "{http://www.w3.org/2005/sparql-results#}"
        assert [v.get("name") for v in root.iter(ns + "variable")] == ["relationship", "person", "since"]


def test_cli_hostile_parameter_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["query", "cq-011", "--param", f"relationship={HOSTILE}", "--as-of", "2026-10-01"])
    err = capsys.readouterr().err
    assert code == 2
    assert "not an absolute IRI" in err
    assert "Traceback" not in err


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["query", "cq-999"], "no catalogue query"),
        (["query", "CQ11", "--param", "relationship"], "NAME=VALUE"),
        (["query", "CQ15", "--as-of", "2026-10-01", "--format", "turtle"], "CONSTRUCT"),
        (["query", "missing.rq"], "no such query file"),
    ],
)
def test_cli_usage_errors(argv: list[str], message: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(argv) == 2
    assert message in capsys.readouterr().err


def test_as_of_on_a_query_that_takes_no_date_is_ignored_with_a_warning(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Issue 14 §9: a script may pass one --as-of to every query; it used to be a usage error."""
    assert main(["query", "CQ2", "--format", "csv"]) == 0
    plain = capsys.readouterr().out
    assert main(["query", "CQ2", "--format", "csv", "--as-of", "2026-10-01"]) == 0
    out, err = capsys.readouterr()
    assert out == plain
    assert "cq-002" in err
    assert "--as-of 2026-10-01 was ignored" in err
    monkeypatch.setenv("CRMKG_LANG", "fi")
    assert main(["query", "CQ2", "--format", "csv", "--as-of", "2026-10-01"]) == 0
    assert "ei ota päivämäärää" in capsys.readouterr().err


def test_cli_query_runs_a_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "count.rq"
    path.write_text(
        "#+ summary: count relationships\nPREFIX akj: <https://w3id.org/crmkg/akj#>\n"
        "SELECT (COUNT(*) AS ?n) WHERE { ?r akj:hasProvider ?p }\n",
        "utf-8",
    )
    assert main(["query", str(path), "--format", "csv"]) == 0
    assert capsys.readouterr().out.splitlines() == ["n", "30"]


def test_cli_queries_list_and_show(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["queries", "list", "--kind", "cq", "--lang", "fi"]) == 0
    out = capsys.readouterr().out
    assert len(out.splitlines()) == len(Catalogue().list(QueryKind.CQ)) >= 52
    assert "Kuka omistaa asiakkuuden R nyt" in out
    assert main(["queries", "show", "CQ21", "--format", "json"]) == 0
    shown = json.loads(capsys.readouterr().out)
    assert shown["id"] == "cq-021-handover-history"
    assert {p["name"]: p["type"] for p in shown["params"]} == {"relationship": "iri", "from": "date", "to": "date"}
    assert "SELECT" in shown["sparql"]


def test_cli_infer_prints_turtle(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["infer", "--as-of", "2026-10-01", "--rule", "rule-003-customer-model-inheritance"]) == 0
    captured = capsys.readouterr()
    graph = Graph().parse(data=captured.out, format="turtle")
    assert len(graph) == 3
    assert "derived 3 triples" in captured.err


def test_cli_infer_write_needs_a_store(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["infer", "--as-of", "2026-10-01", "--write"]) == 2
    assert "--write needs --store" in capsys.readouterr().err
