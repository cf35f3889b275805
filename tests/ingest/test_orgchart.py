"""The HR org chart: units with functions, posts, dated memberships, current holds."""

from __future__ import annotations

from pathlib import Path

from rdflib import Graph, URIRef

from crmkg.ingest import ImportConfig, import_orgchart, load_config
from crmkg.validation.report import Severity

from .conftest import EXAMPLE, ORGCHART

HR = "https://example.org/hr/"
Q = """PREFIX org: <http://www.w3.org/ns/org#> PREFIX akj: <https://w3id.org/crmkg/akj#>
PREFIX prov: <http://www.w3.org/ns/prov#> PREFIX dcterms: <http://purl.org/dc/terms/>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
"""


def graph() -> Graph:
    result = import_orgchart(ORGCHART, load_config(EXAMPLE / "crmkg-import.toml"))
    assert result.findings == ()
    return result.graph()


def rows(g: Graph, query: str) -> set[tuple[str, ...]]:
    return {tuple(str(v) for v in r) for r in g.query(Q + query)}


def test_units_parents_and_functions() -> None:
    got = rows(
        graph(),
        """SELECT ?u ?parent ?f WHERE {
        ?u a org:OrganizationalUnit ; org:unitOf ?parent . OPTIONAL { ?u org:classification ?f } }""",
    )
    akj = "https://w3id.org/crmkg/akj#"
    assert got == {
        (HR + "unit/GRP", "https://example.org/esimerkki/esimerkki-oy", akj + "GroupManagementFunction"),
        (HR + "unit/SALES", HR + "unit/GRP", akj + "SalesManagementFunction"),
        (HR + "unit/SALES-S", HR + "unit/SALES", akj + "SalesFunction"),
        (HR + "unit/MKT", HR + "unit/GRP", akj + "MarketingFunction"),
        (HR + "unit/RND", HR + "unit/GRP", akj + "ProductFunction"),
        (HR + "unit/CS", HR + "unit/GRP", akj + "CustomerServiceFunction"),
    }


def test_memberships_keep_history_and_holds_only_current() -> None:
    g = graph()
    got = rows(
        g,
        """SELECT ?unit ?start ?end WHERE {
        ?m org:member <https://example.org/hr/person/P004> ; org:organization ?unit ;
           akj:startDate ?start . OPTIONAL { ?m akj:endDate ?end } }""",
    )
    assert got == {(HR + "unit/MKT", "2016-05-01", "2019-03-31"), (HR + "unit/SALES-S", "2019-04-01", "None")}
    holds = rows(g, "SELECT ?post WHERE { <https://example.org/hr/person/P004> org:holds ?post }")
    assert holds == {(HR + "unit/SALES-S/post/AM-2",)}
    assert rows(g, "SELECT ?u WHERE { <https://example.org/hr/person/P005> org:memberOf ?u }") == set()


def test_every_node_has_provenance() -> None:
    assert (
        not graph()
        .query(
            Q
            + """ASK { ?s ?p ?o . FILTER(isIRI(?s))
        FILTER NOT EXISTS { ?s prov:wasDerivedFrom ?r }
        FILTER NOT EXISTS { ?s dcterms:isPartOf ?e . ?e a prov:Collection }
        FILTER NOT EXISTS { ?s a prov:Collection } }"""
        )
        .askAnswer
    )


def test_bad_rows_are_findings(tmp_path: Path) -> None:
    text = ORGCHART.read_text(encoding="utf-8")
    text = text.replace("2021-01-15", "15.1.2021").replace(",SALES,AM-1", ",NOPE,AM-1")
    text = text.replace("tuote- ja palvelukehitys,", "alchemy,")
    path = tmp_path / "hr.csv"
    path.write_text(text, encoding="utf-8")
    result = import_orgchart(path, ImportConfig())
    got = {(f.location.line, f.location.field, f.severity) for f in result.findings if f.location}
    assert got == {
        (8, "start_date", Severity.VIOLATION),
        (8, "function", Severity.INFO),
        (7, "unit_name", Severity.WARNING),
    }
    # the unit keeps its first description; a person on the bad row is still imported
    assert (URIRef(HR + "person/P006"), None, None) in result.graph()


def test_rows_with_a_post_become_dated_post_tenures() -> None:
    got = rows(
        graph(),
        """SELECT ?person ?post ?start ?end WHERE {
        ?t a akj:PostTenure ; akj:tenureHolder ?person ; akj:tenurePost ?post ; akj:startDate ?start .
        OPTIONAL { ?t akj:endDate ?end } FILTER (?post IN (<https://example.org/hr/unit/SALES-S/post/AM-1>,
                                                          <https://example.org/hr/unit/SALES-S/post/AM-2>)) }""",
    )
    # orgchart.csv: P004 holds AM-2 from 2019-04-01; P005 held AM-1 2019-09-01 – 2025-06-14 (a leaver)
    assert got == {
        (HR + "person/P004", HR + "unit/SALES-S/post/AM-2", "2019-04-01", "None"),
        (HR + "person/P005", HR + "unit/SALES-S/post/AM-1", "2019-09-01", "2025-06-14"),
    }
    result = import_orgchart(ORGCHART, load_config(EXAMPLE / "crmkg-import.toml"))
    assert result.summary["tenures"] == len(set(rows(result.graph(), "SELECT ?t WHERE { ?t a akj:PostTenure }")))
