"""Issue 15 §8: what the lookup and validate verbs print reads in the language asked for and names
people by their names (role names of the history, the summary's count, a leaver's name)."""

from __future__ import annotations

import json

import pytest
from rdflib import Graph, Literal
from rdflib.namespace import FOAF

from crmkg import resources
from crmkg.cli import main
from crmkg.i18n import message
from crmkg.namespaces import EX

EXAMPLE = resources.example_dir("esimerkki")
REL = "ex:rel-kauppakulma-kiinteistohuolto"


@pytest.mark.parametrize("lang", ["fi", "en"])
def test_history_json_names_each_role_in_the_language_asked_for(capsys: pytest.CaptureFixture[str], lang: str) -> None:
    assert main(["lookup", "history", REL, "--lang", lang, "--format", "json"]) == 0
    history = json.loads(capsys.readouterr().out)
    rows = history["assignments"] + history["handovers"]
    assert {r["role"] for r in rows} == {"owner", "lead"}
    for row in rows:
        assert row["role_label"] == message(f"role.{row['role']}", lang)


@pytest.mark.parametrize(("lang", "word"), [("fi", "1 asiakkuus;"), ("en", "1 relationship;")])
def test_one_relationship_is_counted_in_the_singular(capsys: pytest.CaptureFixture[str], lang: str, word: str) -> None:
    assert main(["lookup", "relationship", REL, "--lang", lang]) == 0
    last = capsys.readouterr().out.strip().splitlines()[-1]
    assert last.startswith(word), last


@pytest.mark.parametrize("lang", ["fi", "en"])
def test_a_leaver_is_named_by_foaf_name_not_by_iri(capsys: pytest.CaptureFixture[str], lang: str) -> None:
    person = EX["sanna-lindholm"]
    name = Graph().parse(EXAMPLE / "people.ttl").value(person, FOAF.name)
    assert isinstance(name, Literal)
    code = main(["validate", str(EXAMPLE), "--as-of", "2026-10-01", "--lang", lang, "--format", "json", "--no-config"])
    assert code == 1
    report = json.loads(capsys.readouterr().out)
    messages = [r["message"] for r in report["results"] if r["shapeId"] == "S28a"]
    assert messages, report["results"][:1]
    assert all(f'"{name}"' in m and "sanna-lindholm" not in m for m in messages), messages
