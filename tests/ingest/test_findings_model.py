"""Import findings are the one findings model: every report format serves them, fi and en, baselines."""

from __future__ import annotations

import argparse
import json
import xml.etree.ElementTree as ET
from collections.abc import Callable
from pathlib import Path
from string import Formatter

import jsonschema
import pytest
import xmlschema
from rdflib import Graph

from crmkg.cli import ingest as cli_ingest
from crmkg.errors import CrmkgError
from crmkg.ingest import import_salesforce
from crmkg.ingest.findings import FindingLog, input_rules
from crmkg.validation.formats import FORMATS, RenderOptions, render
from crmkg.validation.report import INPUT_CHECK, Severity, ValidationResult

from .conftest import where

ROOT = Path(__file__).resolve().parents[2]
SCHEMAS = ROOT / "tests" / "validation" / "schemas"
REPORT_SCHEMA = ROOT / "src" / "crmkg" / "validation" / "report.schema.json"


def run(*argv: str) -> int:
    parser = argparse.ArgumentParser(prog="crmkg")
    cli_ingest.register(parser.add_subparsers(dest="verb", required=True))
    args = parser.parse_args(argv)
    try:
        return int(args.func(args))
    except CrmkgError:
        return 2


def test_every_code_has_both_languages_and_the_same_placeholders() -> None:
    rules = input_rules()
    assert len(rules) > 10
    for code, rule in rules.items():
        assert set(rule.labels) == {"fi", "en"}, code
        assert all(rule.labels.values()), code
        names = [{n for _, n, _, _ in Formatter().parse(t) if n} for t in rule.templates.values()]
        strip = [{n.removesuffix("_fi").removesuffix("_en") for n in ns} for ns in names]
        assert strip[0] == strip[1], f"{code}: fi and en use different placeholders"


def test_codes_used_in_the_source_exist() -> None:
    """Every ``log.add("code", …)`` in the importers names a code of messages.toml."""
    import re

    used: set[str] = set()
    for path in (ROOT / "src" / "crmkg" / "ingest").rglob("*.py"):
        used |= set(re.findall(r'\.add\(\s*"([a-z0-9-]+)"', path.read_text(encoding="utf-8")))
    assert used, "no log.add calls found"
    assert used <= set(input_rules()), used - set(input_rules())


def test_grouping_counts_identical_findings_with_examples() -> None:
    log = FindingLog("https://example.org/x/")
    for line in (5, 9, 12, 20):
        log.add("bad-date", "exp/Account.csv", line, "CreatedDate", value=f"0{line}.01.2024", expected="YYYY-MM-DD")
    log.add("bad-date", "exp/Account.csv", 7, "LastModifiedDate", value="x", expected="YYYY-MM-DD")
    results = log.results()
    assert [(where(r), r.count) for r in results] == [
        (("Account.csv", 5, "CreatedDate"), 4),
        (("Account.csv", 7, "LastModifiedDate"), 1),
    ]
    grouped = results[0]
    assert isinstance(grouped, ValidationResult)
    assert grouped.constraint_component == INPUT_CHECK
    assert grouped.message("en").endswith("(4 times; e.g. lines 5, 9, 12, …)")
    assert grouped.message("fi").endswith("(4 kertaa; esimerkiksi rivit 5, 9, 12, …)")
    assert str(grouped.focus_node) == "https://example.org/x/source/Account.csv#row=5"
    assert grouped.severity is Severity.VIOLATION


@pytest.fixture
def bad_export(export_copy: Callable[..., Path]) -> Path:
    return export_copy(
        ("Account.csv", "2023-05-02T12:00:00.000Z", "02.05.2023"),
        ("User.csv", "Asiakkuuspäällikkö,true", "Asiakkuuspäällikkö,false"),
    )


@pytest.mark.parametrize("fmt", sorted(FORMATS))
def test_every_format_renders_an_import_report(fmt: str, bad_export: Path) -> None:
    report = import_salesforce(bad_export).report()
    text = render(report, fmt, RenderOptions(title="crmkg import salesforce", tool_version="0.0.0-test"))
    if fmt == "json":
        data = json.loads(text)
        validator = jsonschema.Draft202012Validator(json.loads(REPORT_SCHEMA.read_text(encoding="utf-8")))
        assert not list(validator.iter_errors(data))
        bad = next(r for r in data["results"] if r["ruleId"] == "bad-date")
        assert bad["location"]["field"] == "CreatedDate"
        assert bad["value"]["value"] == "02.05.2023"
        assert data["importSummary"]["accountsRead"] == 5
    elif fmt == "sarif":
        schema = json.loads((SCHEMAS / "sarif-schema-2.1.0.json").read_text(encoding="utf-8"))
        assert not list(jsonschema.Draft4Validator(schema).iter_errors(json.loads(text)))
    elif fmt == "junit":
        xmlschema.XMLSchema(str(SCHEMAS / "junit.xsd")).validate(text)
        failed = [c.get("name", "") for c in ET.fromstring(text).iter("testcase") if c.find("failure") is not None]
        assert [name.split()[0] for name in failed] == ["bad-date"]
    elif fmt == "turtle":
        graph = Graph().parse(data=text, format="turtle")
        assert len(list(graph.subjects())) > 3
    elif fmt == "github":
        assert any(line.startswith("::error file=") and "line=5" in line for line in text.splitlines())
    else:
        assert "Account.csv:5:CreatedDate" in text


def test_lang_fi_and_baseline_like_validate(
    tmp_path: Path, bad_export: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out, first = tmp_path / "out.nt", tmp_path / "first.json"
    assert run("import", "salesforce", str(bad_export), "--out", str(out), "--findings", str(first)) == 1
    capsys.readouterr()
    # the same findings again, against a baseline holding them: nothing new, exit 0
    assert run("import", "salesforce", str(bad_export), "--out", str(out), "--baseline", str(first)) == 0
    capsys.readouterr()
    assert run("import", "salesforce", str(bad_export), "--out", str(out), "--lang", "fi") == 1
    text = capsys.readouterr().out
    assert "ei päivämäärä muodossa" in text
    assert "luettu" in text.splitlines()[-1]
