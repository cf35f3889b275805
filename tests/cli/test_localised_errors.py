"""Issue 14 §7: every user-facing string localised — the errors the command line and the API print.

A typed error carries a message key of ``crmkg/messages.toml`` and its parameters; the CLI and the
API tell it in the language of the one language rule. The scan below holds the modules whose errors
reach users on the common paths (every verb's own checks, reading files, the language rule, lookups,
the query catalogue) to that: a ``raise`` of a crmkg error there without a key is a failure, and
every key used anywhere must exist in both languages with the parameters its texts use.
"""

from __future__ import annotations

import ast
import os
import re
import socket
import string
import subprocess
import sys
from pathlib import Path

import pytest

from crmkg import errors
from crmkg.cli import main
from crmkg.i18n import catalogue

SRC = Path(__file__).resolve().parents[2] / "src" / "crmkg"
#: Every module of crmkg: a raise of a crmkg error anywhere must carry a message key (the CLI, the
#: API and the web pages tell each error in the user's language).
KEYED = sorted(SRC.rglob("*.py"))
#: Errors whose constructor gives the message key itself (a frame around a library's own words).
SELF_KEYED = {"RdfSyntaxError", "InputLimitError", "UnsupportedFormatError"}
ERROR_NAMES = {
    name
    for name, value in vars(errors).items()
    if isinstance(value, type) and issubclass(value, errors.CrmkgError) and name not in SELF_KEYED
}


def _raised_errors(path: Path) -> list[ast.Call]:
    calls = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Raise) and isinstance(node.exc, ast.Call):
            func = node.exc.func
            name = func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else ""
            if name in ERROR_NAMES:
                calls.append(node.exc)
    return calls


def _keyed_calls() -> list[tuple[Path, ast.Call, str]]:
    found = []
    for path in SRC.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call):
                for keyword in node.keywords:
                    if (
                        keyword.arg == "key"
                        and isinstance(keyword.value, ast.Constant)
                        and str(keyword.value.value).startswith("error.")
                    ):
                        found.append((path, node, str(keyword.value.value)))
    return found


@pytest.mark.parametrize("path", KEYED, ids=lambda p: str(p.relative_to(SRC)))
def test_errors_of_these_modules_carry_a_message_key(path: Path) -> None:
    unkeyed = [
        f"{path.relative_to(SRC)}:{call.lineno}"
        for call in _raised_errors(path)
        if call.args and not any(k.arg == "key" for k in call.keywords)
    ]
    assert unkeyed == [], "raise with an English text instead of key=…: " + ", ".join(unkeyed)


def test_self_keyed_errors_carry_their_key() -> None:
    syntax = errors.RdfSyntaxError(errors.SourceLocation("a.ttl", 2, 5), "unexpected end")
    assert syntax.key is not None
    assert str(syntax) == "a.ttl:2:5: unexpected end"
    assert syntax.localised("fi") == "a.ttl:2:5: syntaksivirhe: unexpected end"


def test_every_key_exists_in_both_languages_with_its_parameters() -> None:
    messages = catalogue()
    calls = _keyed_calls()
    assert len(calls) > 30
    for path, call, key in calls:
        assert key in messages, f"{path}:{call.lineno}: {key} is not in messages.toml"
        given = {k.arg for k in call.keywords} - {"key", "location"}
        for lang in ("fi", "en"):
            used = {field for _, field, _, _ in string.Formatter().parse(messages[key][lang]) if field}
            assert used == given, f"{path}:{call.lineno}: {key} ({lang}) uses {used}, the code gives {given}"


def _phrase_calls() -> list[tuple[Path, ast.Call, str]]:
    found = []
    for path in SRC.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Name)
                and node.func.id in ("Phrase", "Said")
                and node.args
                and isinstance(node.args[0], ast.Constant)
            ):
                found.append((path, node, str(node.args[0].value)))
    return found


def test_every_phrase_exists_in_both_languages_with_its_parameters() -> None:
    messages = catalogue()
    calls = _phrase_calls()
    assert len(calls) > 40
    for path, call, key in calls:
        assert key in messages, f"{path}:{call.lineno}: {key} is not in messages.toml"
        given = {k.arg for k in call.keywords}
        for lang in ("fi", "en"):
            text = messages[key][lang]
            forms = text.values() if isinstance(text, dict) else [text]
            used = {field for form in forms for _, field, _, _ in string.Formatter().parse(form) if field}
            assert used == given, f"{path}:{call.lineno}: {key} ({lang}) uses {used}, the code gives {given}"


@pytest.mark.parametrize("prefix", ["store_op", "report_role"])
def test_phrases_named_at_run_time_exist(prefix: str) -> None:
    """``Phrase(f"store_op.{what}")``: every operation the store backends name has its words."""
    sources = "".join(p.read_text(encoding="utf-8") for p in (SRC / "store").glob("*.py"))
    sources += (SRC / "validation" / "baseline.py").read_text(encoding="utf-8")
    sources += (SRC / "validation" / "changed.py").read_text(encoding="utf-8")
    pattern = r'_(?:translated|writing)\("(\w+)"' if prefix == "store_op" else r'read_json_report\([^,]+, "(\w+)"\)'
    named = set(re.findall(pattern, sources)) | ({"baseline"} if prefix == "report_role" else set())
    assert named, prefix
    missing = [name for name in named if f"{prefix}.{name}" not in catalogue()]
    assert missing == []


def test_str_is_the_english_and_localised_the_finnish() -> None:
    error = errors.UsageError(key="error.no_such_path", path="data/x.ttl")
    assert str(error) == "data/x.ttl: no such file or folder"
    assert error.localised("fi") == "data/x.ttl: tiedostoa tai kansiota ei ole"
    assert errors.UsageError("as written").localised("fi") == "as written"


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        ("fi", "crmkg: virhe: no/such/dir: tiedostoa tai kansiota ei ole"),
        ("en", "crmkg: error: no/such/dir: no such file or folder"),
    ],
)
def test_the_cli_prints_the_error_in_the_rule_s_language(
    lang: str, expected: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CRMKG_LANG", lang)
    assert main(["validate", "no/such/dir"]) == 2
    assert expected in capsys.readouterr().err
    assert main(["query", "CQ999", "--lang", "en"]) == 2  # --lang wins over CRMKG_LANG
    assert "no catalogue query 'CQ999'" in capsys.readouterr().err


def test_the_report_of_an_input_error_has_both_languages(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "report.json"
    assert main(["validate", "no/such/dir", "--format", "json", "-o", str(out)]) == 2
    text = out.read_text(encoding="utf-8")
    assert "tiedostoa tai kansiota ei ole" in text
    assert "no such file or folder" in text


def test_option_and_parameter_errors_in_finnish(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A date out of range (argparse's type check) and a parameter that is no IRI (the binding)."""
    monkeypatch.setenv("CRMKG_LANG", "fi")
    with pytest.raises(SystemExit):
        main(["query", "CQ11", "--as-of", "1800-01-01"])
    assert "argumentti --as-of: 1800-01-01 on sallitun alueen ulkopuolella" in capsys.readouterr().err
    assert main(["query", "cq-011", "--param", "relationship=notaniri"]) == 2
    assert "cq-011-current-owner: parametri relationship (iri): 'notaniri' ei ole absoluuttinen IRI" in (
        capsys.readouterr().err
    )
    assert main(["query", "cq-011", "--param", "nosuch=1"]) == 2
    assert (
        "cq-011-current-owner: parametria 'nosuch' ei ole (parametrit: relationship, asOf)" in capsys.readouterr().err
    )
    monkeypatch.setenv("CRMKG_LANG", "en")
    assert main(["query", "cq-011", "--param", "relationship=notaniri"]) == 2
    assert "cq-011-current-owner: parameter relationship (iri): 'notaniri' is not an absolute IRI" in (
        capsys.readouterr().err
    )
    assert main(["query", "cq-011", "--param", "nosuch=1"]) == 2
    assert "cq-011-current-owner: no parameter 'nosuch' (parameters: relationship, asOf)" in capsys.readouterr().err


def test_an_rdf_syntax_error_s_frame_in_finnish(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """crmkg's frame around the parser's own words (which stay as pyoxigraph wrote them)."""
    monkeypatch.delenv("CRMKG_LANG", raising=False)
    bad = tmp_path / "bad.ttl"
    bad.write_text("@prefix ex: <http://example.org/> .\nex:a ex:b ex:c\nex:d .\n", encoding="utf-8")
    assert main(["validate", str(bad), "--lang", "fi"]) == 2
    err = capsys.readouterr().err
    assert f"crmkg: virhe: {bad}:3:1: syntaksivirhe: " in err
    assert main(["validate", str(bad), "--lang", "en"]) == 2
    err = capsys.readouterr().err
    assert f"crmkg: error: {bad}:3:1: " in err
    assert "syntaksivirhe" not in err


@pytest.mark.parametrize(
    ("lang", "first_line"),
    [
        ("fi", r"crmkg: palvelee \d+ nelikköä osoitteessa http://127\.0\.0\.1:\d+$"),
        ("en", r"crmkg: serving \d+ quads at http://127\.0\.0\.1:\d+$"),
    ],
)
def test_the_serve_banner_in_the_rule_s_language(tmp_path: Path, lang: str, first_line: str) -> None:
    data = tmp_path / "one.ttl"
    data.write_text("<http://example.org/a> <http://example.org/b> <http://example.org/c> .\n", encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if not k.startswith("CRMKG_")} | {"CRMKG_LANG": lang}
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    command = [sys.executable, "-m", "crmkg", "serve", "--data", str(data), "--no-ontology", "--port", str(port)]
    process = subprocess.Popen(command, env=env, stderr=subprocess.PIPE, text=True, start_new_session=True)
    try:
        assert process.stderr is not None
        line = process.stderr.readline()
    finally:
        process.terminate()
        process.wait(timeout=40)
    assert re.match(first_line, line.rstrip("\n")), line


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        ("fi", "[validate.severity] S19 = 'fatal': odotettiin violation, warning tai info"),
        ("en", "[validate.severity] S19 = 'fatal': expected violation, warning or info"),
    ],
)
def test_a_bad_project_config_in_the_rule_s_language(
    tmp_path: Path, lang: str, expected: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CRMKG_LANG", lang)
    config = tmp_path / "crmkg.toml"
    config.write_text('[validate.severity]\nS19 = "fatal"\n', encoding="utf-8")
    data = tmp_path / "data.ttl"
    data.write_text("<http://example.org/a> <http://example.org/b> <http://example.org/c> .\n", encoding="utf-8")
    assert main(["validate", str(data), "--config", str(config)]) == 2
    assert f"{config}: {expected}" in capsys.readouterr().err


def test_an_unknown_engine_in_finnish() -> None:
    from crmkg.validation.engine import get_engine

    with pytest.raises(errors.UsageError) as caught:
        get_engine("no-such-engine")
    assert caught.value.localised("fi").startswith("tuntematon tai puuttuva validointimoottori 'no-such-engine'")
    assert str(caught.value).startswith("unknown or unavailable validation engine 'no-such-engine'; available: ")


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        ("fi", "[salesforce] encoding: tuntematon merkistö 'klingon' (esim. utf-8,"),
        ("en", "[salesforce] encoding: unknown encoding 'klingon' (e.g. utf-8,"),
    ],
)
def test_a_bad_import_config_in_the_rule_s_language(
    tmp_path: Path, lang: str, expected: str, capsys: pytest.CaptureFixture[str]
) -> None:
    config = tmp_path / "import.toml"
    config.write_text('[salesforce]\nencoding = "klingon"\n', encoding="utf-8")
    out = tmp_path / "out.ttl"
    export = SRC.parents[1] / "examples" / "salesforce-export"
    argv = ["import", "salesforce", str(export), "--config", str(config), "--out", str(out), "--lang", lang]
    assert main(argv) == 2
    assert f"{config} {expected}" in capsys.readouterr().err
    assert not out.exists()


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        ("fi", ":4:15: SPARQL-syntaksivirhe: löytyi ')', odotettiin: "),
        ("en", ":4:15: SPARQL syntax error: found ')', expected "),
    ],
)
def test_a_sparql_syntax_error_in_the_rule_s_language(
    tmp_path: Path, lang: str, expected: str, capsys: pytest.CaptureFixture[str]
) -> None:
    query = tmp_path / "broken.rq"
    query.write_text("#+ summary: broken\nSELECT ?r WHERE {\n  ?r ?p ?o .\n  FILTER(?o = )\n}\n", encoding="utf-8")
    assert main(["query", str(query), "--lang", lang]) == 2
    assert f"{query}{expected}" in capsys.readouterr().err


def test_the_end_of_a_query_in_finnish() -> None:
    from crmkg.sparql.parser import parse

    with pytest.raises(errors.QuerySyntaxError) as caught:
        parse("SELECT * WHERE {")
    assert "löytyi kyselyn loppu" in caught.value.localised("fi")
    assert "found the end of the query" in str(caught.value)


def test_store_errors_in_finnish(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from crmkg.store import open_store

    with pytest.raises(errors.UsageError) as caught:
        open_store(tmp_path / "x", backend="memory")
    assert caught.value.localised("fi") == "memory-tallennus ei säilytä mitään levyllä; älä anna sijaintia"
    assert str(caught.value) == "the memory backend keeps nothing on disk; give no location"


def test_sparql_lexer_and_policy_errors_in_finnish() -> None:
    from crmkg.sparql.parser import parse
    from crmkg.sparql.policy import inspect

    with pytest.raises(errors.QuerySyntaxError) as caught:
        parse("SELECT ?x WHERE {\n  ?x ?p $ }")
    assert caught.value.localised("fi") == "merkin '$' jälkeen on tultava muuttujan nimi (rivi 2, sarake 9)"
    assert str(caught.value) == "'$' must begin a variable name at line 2, column 9"
    with pytest.raises(errors.QueryRefused) as refused:
        inspect("SELECT * WHERE { SERVICE <http://example.org/s> { ?s ?p ?o } }")
    assert refused.value.localised("fi").startswith("SERVICE (federoitu kysely, rivi 1, sarake 18) torjutaan")
    with pytest.raises(errors.QueryRefused) as update:
        inspect("INSERT DATA { <http://e/a> <http://e/b> <http://e/c> }")
    assert "tähän päätepisteeseen ei voi kirjoittaa" in update.value.localised("fi")


def test_an_input_limit_in_finnish(tmp_path: Path) -> None:
    from crmkg.formats import RdfFormat
    from crmkg.inputcheck import InputLimits, check_document

    with pytest.raises(errors.InputLimitError) as caught:
        check_document(b"[" * 50 + b"]" * 50, RdfFormat.JSON_LD, "deep.jsonld", InputLimits(max_depth=10))
    finnish = caught.value.localised("fi")
    assert finnish.startswith("deep.jsonld:1:11: syötteen raja ylittyi: JSON-oliot ja -taulukot ovat sisäkkäin")
    assert str(caught.value).startswith("deep.jsonld:1:11: JSON objects and arrays nested deeper than the limit of 10")


def test_a_baseline_that_is_not_a_report_in_finnish(tmp_path: Path) -> None:
    from crmkg.validation.baseline import read_baseline

    bad = tmp_path / "old.json"
    bad.write_text("{}", encoding="utf-8")
    with pytest.raises(errors.UsageError) as caught:
        read_baseline(bad)
    assert (
        caught.value.localised("fi")
        == f'{bad}: ei crmkg:n JSON-raportti (ei "results"-luetteloa); kirjoita sellainen valinnalla --format json'
    )


def test_phrases_cross_to_another_process_keyed() -> None:
    """A worker's error parameters travel as JSON; its phrases stay phrases (issue 14 §7)."""
    import json

    error = errors.QueryRefused(
        key="error.sparql_service_refused", at=errors.Phrase("error.sparql_at", line=2, column=3)
    )
    sent = json.loads(json.dumps(errors.portable_params(error.params)))
    received = errors.QueryRefused(str(error), key=error.key, **errors.restored_params(sent))
    assert received.localised("fi") == error.localised("fi")
    assert "rivi 2, sarake 3" in received.localised("fi")


def test_the_serve_banner_counts_one_quad() -> None:
    from crmkg.cli.serve import banner

    assert banner(1, "http://h", "en").startswith("crmkg: serving 1 quad at http://h\n")
    assert banner(1, "http://h", "fi").startswith("crmkg: palvelee 1 nelikköä osoitteessa http://h\n")
    assert banner(12345, "http://h", "fi").startswith("crmkg: palvelee 12\u00a0345 nelikköä osoitteessa")


def test_a_note_is_english_text_that_the_cli_tells_in_finnish(capsys: pytest.CaptureFixture[str]) -> None:
    """A run's notes stay plain text in reports (English) and cross processes pickled; the command
    line tells them in the user's language."""
    import argparse
    import pickle

    from crmkg.cli.validate import note_printer

    note = errors.Said("note.disables", source="crmkg.toml", rules="S19, S24")
    assert note == "crmkg.toml disables S19, S24"
    copy = pickle.loads(pickle.dumps(note))
    assert (copy, copy.localised("fi")) == (note, "crmkg.toml poistaa käytöstä tarkistukset S19, S24")
    files = [errors.Said("note.file_new", file="a.ttl", plus=2, minus=0)]
    summary = errors.Said("note.incremental", files=files, restricted=1, nodes=3, full=0, kept=4, earlier=5)
    note_printer(argparse.Namespace(lang="fi"))(summary)
    assert "huomautus: osittainen ajo: muuttuneet kolmikot a.ttl (uusi) +2 −0; 1 muotoa" in capsys.readouterr().err
    assert str(summary).startswith("incremental run: changed triples a.ttl (new) +2 -0; 1 shapes")
