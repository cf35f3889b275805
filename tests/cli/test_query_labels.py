"""Issue 14 §9: ``crmkg query --labels`` puts labels beside CURIEs in the language of the one
language rule (an untagged label as the fallback), and rows of a query without ORDER BY come in a
stable order (sorted), while a query's own ORDER BY is kept."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import FOAF, RDFS

from crmkg import resources
from crmkg.cli import main


def run_json(capsys: pytest.CaptureFixture[str], *argv: str) -> dict[str, object]:
    assert main(["query", *argv, "--format", "json"]) == 0
    out: dict[str, object] = json.loads(capsys.readouterr().out)
    return out


def rows(result: dict[str, object]) -> list[dict[str, str]]:
    bindings = result["results"]["bindings"]  # type: ignore[index]
    return [{k: v["value"] for k, v in b.items()} for b in bindings]


def example_labels(lang: str) -> dict[str, str]:
    """IRI → its rdfs:label in ``lang`` (a person: the foaf:name) in the example organisation, read with rdflib."""
    graph = Graph()
    for path in sorted(resources.example_dir("esimerkki").rglob("*.ttl")):
        graph.parse(path, format="turtle")
    found = {str(s): str(o) for s, o in graph.subject_objects(FOAF.name) if isinstance(s, URIRef)}
    found.update(
        (str(s), str(o))
        for s, o in graph.subject_objects(RDFS.label)
        if isinstance(s, URIRef) and isinstance(o, Literal) and o.language == lang
    )
    return found


@pytest.mark.parametrize("lang", ["fi", "en"])
def test_labels_beside_the_owners_in_the_chosen_language(capsys: pytest.CaptureFixture[str], lang: str) -> None:
    result = run_json(capsys, "CQ11", "--as-of", "2026-06-01", "--labels", "--lang", lang)
    variables = result["head"]["vars"]  # type: ignore[index]
    assert variables.index("ownerLabel") == variables.index("owner") + 1
    assert variables.index("relationshipLabel") == variables.index("relationship") + 1
    found = rows(result)
    assert found
    labels = example_labels(lang)
    assert {(r["owner"], r["ownerLabel"]) for r in found} == {(r["owner"], labels[r["owner"]]) for r in found}
    assert {(r["relationship"], r["relationshipLabel"]) for r in found} == {
        (r["relationship"], labels[r["relationship"]]) for r in found
    }


def test_the_language_rule_decides_without_lang(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CRMKG_LANG", "fi")
    found = rows(run_json(capsys, "CQ11", "--as-of", "2026-06-01", "--labels"))
    labels = example_labels("fi")
    assert all(r["ownerLabel"] == labels[r["owner"]] for r in found)


def test_without_labels_no_label_columns(capsys: pytest.CaptureFixture[str]) -> None:
    result = run_json(capsys, "CQ11", "--as-of", "2026-06-01")
    assert not [v for v in result["head"]["vars"] if v.endswith("Label")]  # type: ignore[index]


def _data(tmp_path: Path) -> Path:
    data = tmp_path / "data.ttl"
    data.write_text(
        """@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
<https://example.org/x/c> rdfs:label "Cee" , "Seeh"@fi .
<https://example.org/x/a> rdfs:label "0015g00000TeOlLAAV-label"@fi , "Plain A" .
<https://example.org/x/b> rdfs:label "Bee"@en , "Bee fi"@fi .
<https://example.org/x/d> <https://example.org/x/p> 1 .
""",
        encoding="utf-8",
    )
    return data


def test_untagged_labels_are_the_fallback(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    query = tmp_path / "q.rq"
    query.write_text("#+ summary: test query\nSELECT ?s WHERE { ?s ?p ?o } ORDER BY ?s\n", encoding="utf-8")
    data = _data(tmp_path)
    base = [str(query), "--data", str(data), "--no-ontology", "--labels"]
    english = {r["s"]: r.get("sLabel") for r in rows(run_json(capsys, *base, "--lang", "en"))}
    finnish = {r["s"]: r.get("sLabel") for r in rows(run_json(capsys, *base, "--lang", "fi"))}
    x = "https://example.org/x/"
    assert english == {x + "a": "Plain A", x + "b": "Bee", x + "c": "Cee", x + "d": None}
    assert finnish == {x + "a": "0015g00000TeOlLAAV-label", x + "b": "Bee fi", x + "c": "Seeh", x + "d": None}


def test_rows_without_order_by_come_sorted_and_order_by_is_kept(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = _data(tmp_path)
    unordered = tmp_path / "unordered.rq"
    # the store reads these by subject first: sorted by the first column (?o), they come out otherwise
    unordered.write_text("#+ summary: test query\nSELECT ?o ?s WHERE { ?s ?p ?o }\n", encoding="utf-8")
    descending = tmp_path / "descending.rq"
    descending.write_text(
        "#+ summary: test query\nSELECT ?s ?o WHERE { ?s ?p ?o } ORDER BY DESC(?s) DESC(?o)\n", encoding="utf-8"
    )
    common = ["--data", str(data), "--no-ontology"]
    first = [(r["o"], r["s"]) for r in rows(run_json(capsys, str(unordered), *common))]
    assert first == sorted(first)
    assert len(first) == 7
    last = [(r["s"], r["o"]) for r in rows(run_json(capsys, str(descending), *common))]
    assert last == sorted(((s, o) for o, s in first), reverse=True)
