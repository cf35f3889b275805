"""Every output format: golden files (compared parsed, not as strings) and checks against the format's schema.

Regenerate the golden files after an intended change with ``UPDATE_GOLDEN=1 pytest tests/validation``
and review the diff.
"""

from __future__ import annotations

import json
import os
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import xmlschema
from rdflib import Graph
from rdflib.compare import isomorphic

from crmkg.validation import Severity, ValidationReport
from crmkg.validation.formats import FORMATS, RenderOptions, render
from crmkg.validation.formats.github import escape_data, escape_property
from crmkg.validation.formats.markdown import cell

from .conftest import GOLDEN, SCHEMAS

REPORT_SCHEMA = Path(__file__).resolve().parents[2] / "src" / "crmkg" / "validation" / "report.schema.json"
SUFFIX = {
    "text": "txt",
    "json": "json",
    "turtle": "ttl",
    "junit": "xml",
    "sarif": "sarif.json",
    "github": "github.txt",
    "markdown": "md",
}
OPTIONS = RenderOptions(lang="en", fail_on=Severity.VIOLATION, max_findings=20, tool_version="0.0.0-test")


def _render(report: ValidationReport, fmt: str, options: RenderOptions = OPTIONS) -> str:
    return render(report, fmt, options)


def _parsed(fmt: str, text: str) -> Any:
    if fmt == "sarif":  # %SRCROOT% is where the run was made: the same in every golden comparison
        log = json.loads(text)
        for run in log["runs"]:
            run["originalUriBaseIds"]["%SRCROOT%"]["uri"] = "file:///SRCROOT/"
        return log
    if fmt == "json":
        return json.loads(text)
    if fmt == "junit":
        root = ET.fromstring(text)
        return [(el.tag, sorted(el.attrib.items()), (el.text or "").strip()) for el in root.iter()]
    if fmt == "turtle":
        return Graph().parse(data=text, format="turtle")
    return text.splitlines()


@pytest.mark.parametrize("fmt", sorted(FORMATS))
def test_matches_golden(fmt: str, mini_report: ValidationReport, in_repo: Path) -> None:
    text = _render(mini_report, fmt)
    golden = GOLDEN / f"mini.{SUFFIX[fmt]}"
    if os.environ.get("UPDATE_GOLDEN") == "1":
        golden.write_text(text, encoding="utf-8")
    want = _parsed(fmt, golden.read_text(encoding="utf-8"))
    got = _parsed(fmt, text)
    if fmt == "turtle":
        assert isomorphic(got, want)
    else:
        assert got == want


def test_sarif_golden_and_output_match_the_oasis_schema(mini_report: ValidationReport, in_repo: Path) -> None:
    schema = json.loads((SCHEMAS / "sarif-schema-2.1.0.json").read_text(encoding="utf-8"))
    validator = jsonschema.Draft4Validator(schema)
    for text in ((GOLDEN / "mini.sarif.json").read_text(encoding="utf-8"), _render(mini_report, "sarif")):
        errors = sorted(validator.iter_errors(json.loads(text)), key=str)
        assert not errors, "\n".join(e.message for e in errors[:5])


def test_sarif_schema_rejects_a_broken_log(mini_report: ValidationReport) -> None:
    """The vendored schema really checks something: a result without a message is refused."""
    schema = json.loads((SCHEMAS / "sarif-schema-2.1.0.json").read_text(encoding="utf-8"))
    log = json.loads(_render(mini_report, "sarif"))
    del log["runs"][0]["results"][0]["message"]
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(log, schema, cls=jsonschema.Draft4Validator)


def test_sarif_is_what_github_code_scanning_needs(mini_report: ValidationReport, in_repo: Path) -> None:
    log = json.loads(_render(mini_report, "sarif"))
    run = log["runs"][0]
    rule_ids = [r["id"] for r in run["tool"]["driver"]["rules"]]
    assert rule_ids == sorted(rule_ids)
    assert "T5" in rule_ids
    for result in run["results"]:
        assert rule_ids[result["ruleIndex"]] == result["ruleId"]
        location = result["locations"][0]["physicalLocation"]
        assert not location["artifactLocation"]["uri"].startswith("/")
        assert location["region"]["startLine"] >= 1
        assert result["partialFingerprints"]["crmkgFinding/v1"]
    levels = {r["ruleId"]: r["level"] for r in run["results"]}
    assert levels == {"T1": "error", "T2": "warning", "T3": "note", "T4": "warning"}


def test_junit_golden_and_output_match_the_junit_schema(mini_report: ValidationReport, in_repo: Path) -> None:
    schema = xmlschema.XMLSchema(str(SCHEMAS / "junit.xsd"))
    schema.validate(str(GOLDEN / "mini.xml"))
    schema.validate(_render(mini_report, "junit"))
    with pytest.raises(xmlschema.XMLSchemaValidationError):
        schema.validate("<testsuites><testsuite name='x'/></testsuites>")  # tests= is required


def test_junit_one_testcase_per_check_and_failures_follow_fail_on(mini_report: ValidationReport) -> None:
    strict = ET.fromstring(_render(mini_report, "junit"))
    cases = strict.findall(".//testcase")
    assert sorted(c.get("name", "").split()[0] for c in cases) == ["T1", "T2", "T3", "T4", "T5"]
    assert [c.get("name", "").split()[0] for c in cases if c.find("failure") is not None] == ["T1"]
    lenient = ET.fromstring(
        _render(mini_report, "junit", RenderOptions(fail_on=Severity.INFO, tool_version="0.0.0-test"))
    )
    failed = sorted(c.get("name", "").split()[0] for c in lenient.iter("testcase") if c.find("failure") is not None)
    assert failed == ["T1", "T2", "T3", "T4"]
    assert lenient.get("failures") == "4"


def test_json_golden_and_output_match_the_shipped_schema(mini_report: ValidationReport, in_repo: Path) -> None:
    schema = json.loads(REPORT_SCHEMA.read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    validator = jsonschema.Draft202012Validator(schema, format_checker=jsonschema.FormatChecker())
    for text in ((GOLDEN / "mini.json").read_text(encoding="utf-8"), _render(mini_report, "json")):
        errors = list(validator.iter_errors(json.loads(text)))
        assert not errors, errors[0].message
    broken = json.loads(_render(mini_report, "json"))
    broken["results"][0]["severity"] = "Fatal"
    assert list(validator.iter_errors(broken))


def test_json_carries_every_field_of_a_finding(mini_report: ValidationReport, in_repo: Path) -> None:
    data = json.loads(_render(mini_report, "json"))
    by_rule = {r["ruleId"]: r for r in data["results"]}
    t2 = by_rule["T2"]
    assert t2["focusNode"] == {"type": "uri", "value": "https://example.org/test/two"}
    assert t2["path"] == "<https://example.org/test/start>"
    assert t2["value"] == {"type": "literal", "value": "yesterday"}
    assert t2["constraintComponent"] == "http://www.w3.org/ns/shacl#DatatypeConstraintComponent"
    assert t2["location"] == {"file": "tests/validation/data/mini/things.ttl", "line": 11, "column": 1}
    assert set(t2["messages"]) == {"fi", "en"}
    assert by_rule["T3"]["value"]["datatype"] == "http://www.w3.org/2001/XMLSchema#date"
    assert data["summary"] == {"violations": 1, "warnings": 3, "infos": 1, "total": 5, "failing": 1}
    assert data["conforms"] is False


def test_turtle_is_a_shacl_validation_report(mini_report: ValidationReport) -> None:
    graph = Graph().parse(data=_render(mini_report, "turtle"), format="turtle")
    rows = graph.query(
        """PREFIX sh: <http://www.w3.org/ns/shacl#>
        SELECT ?focus ?severity ?component ?path WHERE {
          ?report a sh:ValidationReport ; sh:conforms false ; sh:result ?r .
          ?r a sh:ValidationResult ; sh:focusNode ?focus ; sh:resultSeverity ?severity ;
             sh:sourceConstraintComponent ?component .
          OPTIONAL { ?r sh:resultPath ?path }
        }"""
    )
    assert len(rows) == len(mini_report.results)
    alternatives = graph.query(
        "PREFIX sh: <http://www.w3.org/ns/shacl#> SELECT ?r WHERE { ?r sh:resultPath/sh:alternativePath ?list }"
    )
    assert len(alternatives) == 2  # T4's alternative path survives as SHACL path RDF


def test_text_groups_counts_caps_and_summarises(mini_report: ValidationReport, in_repo: Path) -> None:
    text = _render(mini_report, "text", RenderOptions(max_findings=1))
    lines = text.splitlines()
    assert "T4 link — Warning, 2" in lines
    assert "  … 1 more" in lines
    assert lines[-1].startswith("crmkg validate: 1 violation, 3 warnings, 1 info in 2 files")
    assert lines[-1].endswith("FAILED: 1 finding at or above violation.")
    assert any(line.startswith("  tests/validation/data/mini/things.ttl:11:1: violation:") for line in lines)


def test_text_message_language(mini_report: ValidationReport) -> None:
    assert "Asialla ei ole nimeä." in _render(mini_report, "text", RenderOptions(lang="fi"))
    assert "The thing has no name." in _render(mini_report, "text", RenderOptions(lang="en"))


def test_github_annotations(mini_report: ValidationReport, in_repo: Path) -> None:
    lines = _render(mini_report, "github").splitlines()
    assert lines[0].startswith("::error file=tests/validation/data/mini/things.ttl,line=11,col=1,title=T1")
    assert sum(line.startswith("::warning ") for line in lines) == 3
    capped = _render(mini_report, "github", RenderOptions(max_findings=2)).splitlines()
    assert any("3 more findings were not annotated" in line for line in capped)
    assert escape_data("50%\nnext") == "50%25%0Anext"
    assert escape_property("a:b,c") == "a%3Ab%2Cc"


def test_markdown_table_cells_are_escaped(mini_report: ValidationReport) -> None:
    text = _render(mini_report, "markdown")
    assert text.startswith("## ❌ crmkg validate")
    assert "| 🔴 | `T1` | 1 | name |" in text
    assert cell("a|b\nc") == "a\\|b c"


def test_values_show_their_datatype_unless_a_plain_string() -> None:
    """Issue 14 §2: a value is shown with its datatype ("2024-01-15"^^xsd:string where a date was due)."""
    from rdflib import Literal
    from rdflib.namespace import XSD

    from crmkg.namespaces import PREFIXES
    from crmkg.validation.formats._common import compact

    assert compact(Literal("2024-01-15", datatype=XSD.date), PREFIXES) == '"2024-01-15"^^xsd:date'
    assert compact(Literal("Acme"), PREFIXES) == '"Acme"'
    assert compact(Literal("Acme", datatype=XSD.string), PREFIXES) == '"Acme"'
    assert compact(Literal("2024-01-15"), PREFIXES, datatype=True) == '"2024-01-15"^^xsd:string'
    assert compact(Literal("maksaja", lang="fi"), PREFIXES, datatype=True) == '"maksaja"@fi'
