"""The catalogue's files: header model, grlc compatibility, SPARQL validity, lookup by id."""

from __future__ import annotations

import re
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib.plugins.sparql.parser import parseQuery

from crmkg import resources
from crmkg.catalogue import Catalogue, ParamType, QueryKind, parse_header, parse_query_file
from crmkg.errors import QueryNotFound, QuerySyntaxError
from crmkg.validation.report import Severity

ALL = sorted(resources.data_path("queries").rglob("*.rq"))


def test_catalogue_finds_every_file(catalogue: Catalogue) -> None:
    assert len(catalogue) == len(ALL)
    cq_files = [p for p in ALL if p.parent.name == "cq"]
    assert len(catalogue.list(QueryKind.CQ)) == len(cq_files) >= 52
    assert len(catalogue.list("qc")) >= 5
    assert len(catalogue.list("rule")) == 7


@pytest.mark.parametrize("number", [*range(1, 45), *range(45, 50), 55, 56, 57])
def test_cq_header_is_complete(catalogue: Catalogue, number: int) -> None:
    spec = catalogue.get(f"CQ{number}")
    assert spec.id.startswith(f"cq-{number:03d}-")
    assert spec.cq == f"CQ{number}"
    assert spec.summary.startswith(f"CQ{number} ")
    assert spec.question is not None
    assert spec.question.fi.endswith("?")
    assert spec.question.en.endswith("?")
    assert spec.question.fi != spec.question.en
    assert "cq" in spec.tags
    assert spec.form == "select"
    for param in spec.params:
        assert param.description is not None, f"{spec.id}: parameter {param.name} has no fi/en description"
        assert param.description.fi
        assert param.description.en


@pytest.mark.parametrize("path", ALL, ids=lambda p: p.name)
def test_every_query_parses_in_both_engines(path: Path, catalogue: Catalogue) -> None:
    spec = catalogue.get(path.stem)
    parseQuery(spec.text)
    ox.Store().query(spec.text)  # unbound parameters are just variables


@pytest.mark.parametrize("path", ALL, ids=lambda p: p.name)
def test_header_reads_like_yaml(path: Path) -> None:
    """grlc reads the header as YAML: the mini parser must agree with a real YAML parser."""
    yaml = pytest.importorskip("yaml")
    text = path.read_text("utf-8")
    header, _ = parse_header(text)
    lines = [line[3:] if line.startswith("#+ ") else line[2:] for line in text.splitlines() if line.startswith("#+")]
    reference = yaml.safe_load("\n".join(lines))

    def as_text(node: object) -> object:
        if isinstance(node, dict):
            return {str(k): as_text(v) for k, v in node.items()}
        if isinstance(node, list):
            return [as_text(v) for v in node]
        return "" if node is None else str(node).lower() if isinstance(node, bool) else str(node)

    assert as_text(header) == as_text(reference)


def test_qc_queries_have_severity_and_message(catalogue: Catalogue) -> None:
    for spec in catalogue.list(QueryKind.QC):
        assert spec.severity in set(Severity)
        assert spec.message is not None
        assert spec.message.fi
        assert spec.message.en
        assert "focus" in re.sub(r"\s+", " ", spec.text.split("WHERE")[0])


def test_params_come_from_grlc_variable_names(catalogue: Catalogue) -> None:
    spec = catalogue.get("cq-011")
    by_name = {p.name: p for p in spec.params}
    assert by_name["relationship"].type is ParamType.IRI
    assert by_name["relationship"].variable == "__relationship_iri"
    assert not by_name["relationship"].required
    assert by_name["asOf"].type is ParamType.DATE
    assert by_name["asOf"].required
    assert by_name["relationship"].enumerate
    whole = catalogue.get("cq-026").param("whole")
    assert whole.default == "https://w3id.org/crmkg/akj#BusinessManagementDomain"
    assert not whole.required


def test_lookup_by_id_prefix_and_cq_number(catalogue: Catalogue) -> None:
    assert catalogue.get("cq-011").id == "cq-011-current-owner"
    assert catalogue.get("CQ11").id == "cq-011-current-owner"
    assert catalogue.get("cq11").id == "cq-011-current-owner"
    with pytest.raises(QueryNotFound, match="no catalogue query"):
        catalogue.get("cq-999")
    with pytest.raises(QueryNotFound, match="ambiguous"):
        catalogue.get("cq")


def test_lead_lookup_queries_are_catalogued(catalogue: Catalogue) -> None:
    spec = catalogue.get("current-responsibilities")
    assert spec.kind is QueryKind.LOOKUP
    assert spec.param("asOf").type is ParamType.DATE


@pytest.mark.parametrize(
    ("header", "problem"),
    [
        ("#+ summary: x\n#+ tags:\n#+   - a\n#+  b: c\n", ":4: unexpected indentation"),
        ("#+ tags: [a, b]\n", "summary"),
        ('#+ summary: "unterminated\n', "unterminated"),
        ("#+ summary: x\n#+ summary: y\n", "twice"),
        ("#+ summary: x\n#+ cq: 11\n", "CQ12"),
        ("#+ summary: x\n#+ severity: fatal\n", "severity"),
        ("#+ summary: x\n#+ params:\n#+   ghost:\n#+     type: iri\n", "no ?_ghost"),
        ("#+ summary: x\n#+ params:\n#+   r:\n#+     type: date\n", "declared date"),
        ("#+ summary:\n#+   fi: vain suomeksi\n", "summary"),
    ],
)
def test_header_errors_name_file_and_line(tmp_path: Path, header: str, problem: str) -> None:
    path = tmp_path / "bad.rq"
    body = "SELECT ?x WHERE { ?x ?p ?_r_iri }\n"
    path.write_text(header + body, "utf-8")
    with pytest.raises(QuerySyntaxError) as info:
        parse_query_file(path)
    message = str(info.value)
    assert message.startswith(f"{path}:")
    assert problem in message


def test_unknown_type_suffix_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "q.rq"
    path.write_text("#+ summary: x\nSELECT * WHERE { ?s ?p ?_o_weird }\n", "utf-8")
    with pytest.raises(QuerySyntaxError, match=r":2: variable \?_o_weird: unknown grlc type suffix"):
        parse_query_file(path)


def test_parameters_and_form_are_read_by_the_sparql_lexer(tmp_path: Path) -> None:
    """Strings, IRIs and comments hide nothing; a prefix named like a query form is not one."""
    path = tmp_path / "q.rq"
    path.write_text(
        "#+ summary: x\n"
        "PREFIX ask: <http://example.org/?_inIri_iri>\n"
        "# ?_inComment_iri DESCRIBE\n"
        "SELECT ?s WHERE { ?s ask:p \"?_inString_iri\" ; ask:q '''?_inLong''' ; ask:r ?_real_iri }\n",
        "utf-8",
    )
    spec = parse_query_file(path)
    assert spec.form == "select"
    assert [(p.name, p.variable, p.type) for p in spec.params] == [("real", "_real_iri", ParamType.IRI)]


def test_a_body_the_lexer_cannot_read_names_file_and_line(tmp_path: Path) -> None:
    path = tmp_path / "q.rq"
    path.write_text('#+ summary: x\nSELECT ?s WHERE {\n  ?s ?p "open\n}\n', "utf-8")
    with pytest.raises(QuerySyntaxError, match=rf"^{re.escape(str(path))}:3: unterminated"):
        parse_query_file(path)


def test_a_variable_that_only_looks_like_a_parameter_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "q.rq"
    path.write_text("#+ summary: x\nSELECT * WHERE { ?s ?p ?_o_ }\n", "utf-8")
    with pytest.raises(QuerySyntaxError, match=r":2: \?_o_ is not a grlc parameter name"):
        parse_query_file(path)


def test_every_catalogue_query_is_summarised_in_both_languages(catalogue: Catalogue) -> None:
    """The language rule reaches the catalogue: lookups, checks and rules give fi and en; a CQ's question is its fi."""
    for spec in catalogue.list():
        fi, en = spec.summary_in("fi"), spec.summary_in("en")
        assert fi, spec.id
        assert fi != en, spec.id
        if spec.kind is not QueryKind.CQ:
            assert spec.summaries is not None, spec.id
            assert spec.summaries.en == spec.summary, spec.id


def test_a_summary_may_be_bilingual_or_one_text(tmp_path: Path) -> None:
    body = "SELECT ?x WHERE { ?x ?p ?o }\n"
    both = tmp_path / "both.rq"
    both.write_text("#+ summary:\n#+   fi: Asiakkuudet\n#+   en: Relationships\n" + body, "utf-8")
    spec = parse_query_file(both)
    shown = (spec.summary, spec.summary_in("fi"), spec.summary_in("en"))
    assert shown == ("Relationships", "Asiakkuudet", "Relationships")
    one = tmp_path / "one.rq"
    one.write_text("#+ summary: Relationships\n" + body, "utf-8")
    spec = parse_query_file(one)
    assert spec.summaries is None
    assert (spec.summary_in("fi"), spec.summary_in("en")) == ("Relationships", "Relationships")
