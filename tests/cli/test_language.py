"""The one language rule on the command line (issue 14 §7): ``--lang`` > ``CRMKG_LANG`` > the locale,
the same default in every verb, and the sentences around the data — severities, summary lines,
headings, role names — in the language chosen, from the one message catalogue."""

from __future__ import annotations

import re
import string
from pathlib import Path

import pytest

from crmkg import resources
from crmkg.catalogue import Catalogue
from crmkg.cli import main
from crmkg.errors import UsageError
from crmkg.i18n import catalogue, counted, message
from crmkg.language import LANGUAGES, cli_language

EXAMPLE = resources.example_dir("esimerkki")
BROKEN = resources.example_dir("esimerkki-broken")
REL = "ex:rel-kauppakulma-kiinteistohuolto"


@pytest.mark.parametrize(
    ("option", "environ", "chosen"),
    [
        (None, {}, "en"),
        (None, {"LANG": "fi_FI.UTF-8"}, "fi"),
        (None, {"LANG": "de_DE.UTF-8"}, "en"),
        (None, {"LANG": "fi_FI.UTF-8", "LC_ALL": "C"}, "en"),  # LC_ALL outranks LANG
        (None, {"LANG": "C", "LC_MESSAGES": "fi_FI"}, "fi"),
        (None, {"LANG": "fi_FI.UTF-8", "CRMKG_LANG": "en"}, "en"),  # CRMKG_LANG outranks the locale
        (None, {"LANG": "C", "CRMKG_LANG": "FI"}, "fi"),
        ("en", {"LANG": "fi_FI.UTF-8", "CRMKG_LANG": "fi"}, "en"),  # --lang outranks everything
        ("fi", {}, "fi"),
    ],
)
def test_the_rule(option: str | None, environ: dict[str, str], chosen: str) -> None:
    assert cli_language(option, environ) == chosen


def test_a_language_crmkg_does_not_speak_is_a_usage_error_naming_the_variable() -> None:
    with pytest.raises(UsageError, match="CRMKG_LANG"):
        cli_language(None, {"CRMKG_LANG": "sv"})


def _fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def test_every_message_has_both_languages_with_the_same_placeholders() -> None:
    entries = catalogue()
    assert len(entries) > 40
    for key, entry in entries.items():
        assert set(entry) == set(LANGUAGES), key
        fi, en = entry["fi"], entry["en"]
        assert type(fi) is type(en), key
        if isinstance(fi, dict):
            assert set(fi) == set(en) == {"one", "other"}, key
            for form in ("one", "other"):
                assert _fields(fi[form]) == _fields(en[form]), key
                assert "n" in _fields(en[form]), key
        else:
            assert _fields(fi) == _fields(en), key
            assert fi, key
            assert en, key


def test_counted_messages_and_numbers_follow_the_language() -> None:
    assert counted("count.violations", "fi", 1) == "1 rikkomus"
    assert counted("count.violations", "fi", 12345) == "12\u00a0345 rikkomusta"
    assert counted("count.violations", "en", 12345) == "12,345 violations"
    assert message("severity.warning", "fi-FI") == "varoitus"
    with pytest.raises(KeyError):
        message("count.violations", "en")


def _validate(capsys: pytest.CaptureFixture[str], *args: str) -> str:
    assert main(["validate", str(BROKEN / "data"), "--as-of", "2026-10-01", *args]) == 1
    return capsys.readouterr().out


def test_validate_speaks_the_locale_unless_told(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Why: severities and summary lines stayed English with --lang fi, and CRMKG_LANG was ignored."""
    monkeypatch.setenv("LANG", "fi_FI.UTF-8")
    fi = _validate(capsys)
    last = fi.rstrip().splitlines()[-1]
    assert re.search(r"\d+ rikkomusta, \d+ varoitus(ta)?, \d+ huomio(ta)? \d+ tiedostossa", last), last
    assert "EPÄONNISTUI" in last
    assert "tasolla rikkomus" in last
    assert re.search(r": rikkomus: ", fi)  # each finding's severity
    assert "violation" not in fi.lower().replace("sh:violation", "")
    monkeypatch.setenv("CRMKG_LANG", "en")
    en = _validate(capsys)
    assert re.search(r"\d+ violations, \d+ warnings?, \d+ info in \d+ files", en.rstrip().splitlines()[-1])
    assert "FAILED" in en
    assert ": violation: " in en
    assert _validate(capsys, "--lang", "fi") == fi  # --lang outranks CRMKG_LANG


@pytest.mark.parametrize("fmt", ["markdown", "github", "junit"])
def test_ci_formats_speak_finnish_too(fmt: str, capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    out = tmp_path / "report"
    main(["validate", str(BROKEN / "data"), "--as-of", "2026-10-01", "--format", fmt, "--lang", "fi", "-o", str(out)])
    capsys.readouterr()
    text = out.read_text(encoding="utf-8")
    assert "rikkomus" in text.lower()
    assert not re.search(r"\b(violations?|findings? at or above|FAILED)\b", text.replace("sh:Violation", ""))


def test_lookup_defaults_to_the_rule_not_to_finnish(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Why: validate defaulted to English and lookup to Finnish."""
    args = ["lookup", "relationship", REL, "--data", str(EXAMPLE), "--as-of", "2026-10-01"]
    assert main(args) == 0
    assert capsys.readouterr().out.startswith("Whose is the customer relationship?")
    monkeypatch.setenv("CRMKG_LANG", "fi")
    assert main(args) == 0
    fi = capsys.readouterr().out
    assert fi.startswith("Kenen on asiakkuus?")
    assert "  omistaja " in fi
    assert "  maksaja " in fi


def test_history_names_the_roles_in_the_language(capsys: pytest.CaptureFixture[str]) -> None:
    """Why: with --lang fi, ``lookup history`` still said owner and lead."""
    for lang, owner, lead in (("fi", "omistaja", "asiakkuusvastaava"), ("en", "owner", "lead")):
        assert main(["lookup", "history", REL, "--data", str(EXAMPLE), "--lang", lang]) == 0
        roles = {line.split()[1] for line in capsys.readouterr().out.splitlines() if line.strip()}
        assert roles == {owner, lead}, roles


def test_queries_list_follows_the_rule(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    """Why: ``queries list`` defaulted to English whatever the user had chosen."""
    questions = {spec.id: spec.question for spec in Catalogue().list("cq") if spec.question}
    assert len(questions) > 30
    for lang in ("en", "fi"):
        monkeypatch.setenv("LANG", "fi_FI.UTF-8" if lang == "fi" else "en_GB.UTF-8")
        assert main(["queries", "list", "--kind", "cq"]) == 0
        shown = dict(line.split(None, 1) for line in capsys.readouterr().out.splitlines())
        assert {k: v.strip() for k, v in shown.items() if k in questions} == {
            k: getattr(q, lang) for k, q in questions.items()
        }


def test_lookup_and_check_summaries_follow_the_rule(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Why: lookups, checks and rules were summarised in English only, also under ``--lang fi``."""
    summaries = {spec.id: spec.summaries for spec in Catalogue().list() if spec.kind.value != "cq"}
    assert len(summaries) > 20
    assert all(summaries.values())
    for lang in ("en", "fi"):
        assert main(["queries", "list", "--lang", lang]) == 0
        shown = dict(line.split(None, 1) for line in capsys.readouterr().out.splitlines())
        assert {k: shown[k].strip() for k in summaries} == {k: getattr(t, lang) for k, t in summaries.items()}
    assert main(["queries", "show", "qc-001", "--lang", "fi"]) == 0
    assert summaries["qc-001-multiple-current-owners"].fi in capsys.readouterr().out.splitlines()


def test_the_error_line_and_notes_speak_the_language(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    assert main(["query", "no-such.rq"]) == 2
    assert capsys.readouterr().err.startswith("crmkg: error: ")
    monkeypatch.setenv("CRMKG_LANG", "fi")
    assert main(["query", "no-such.rq"]) == 2
    assert capsys.readouterr().err.startswith("crmkg: virhe: ")
    assert main(["infer", "--rule", "rule-002-internal-external"]) == 0
    assert "crmkg: johdettiin " in capsys.readouterr().err
    monkeypatch.setenv("CRMKG_LANG", "sv")  # the bad setting is itself the error, told in English
    assert main(["query", "cq-002"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("crmkg: error: ")
    assert "CRMKG_LANG" in err


def _verbs(parser: object, path: tuple[str, ...] = ()) -> list[tuple[tuple[str, ...], object]]:
    import argparse

    assert isinstance(parser, argparse.ArgumentParser)
    subs = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
    if not subs:
        return [(path, parser)]
    return [leaf for action in subs for name, sub in action.choices.items() for leaf in _verbs(sub, (*path, name))]


def test_every_verb_takes_lang() -> None:
    """One rule in every verb: ``--lang fi|en`` is accepted everywhere, not only by the reporting verbs."""
    from crmkg.cli import build_parser

    verbs = _verbs(build_parser())
    assert len(verbs) > 20
    missing = [" ".join(path) for path, parser in verbs if "--lang" not in parser._option_string_actions]  # type: ignore[attr-defined]
    assert missing == []


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        ("fi", "ladattiin 1 uusi nelikkö 1 tiedostosta varastoon "),
        ("en", "loaded 1 new quad from 1 file into "),
    ],
)
def test_load_counts_one_and_many_in_the_language(
    tmp_path: Path, lang: str, expected: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """Why: ``crmkg load`` said '1 nelikkoa 1 tiedostosta' (a misspelt partitive, and no singular)."""
    data = tmp_path / "one.nt"
    data.write_text("<http://example.org/a> <http://example.org/b> <http://example.org/c> .\n", encoding="utf-8")
    assert main(["load", str(data), "--store", str(tmp_path / "s"), "--lang", lang]) == 0
    assert capsys.readouterr().out.startswith(expected)
    many = main(["load", str(EXAMPLE), "--store", str(tmp_path / "t"), "--lang", lang])
    assert many == 0
    out = capsys.readouterr().out
    fi_said, en_said = r"ladattiin [\d\u00a0]+ uutta nelikköä \d+ tiedostosta", r"loaded [\d,]+ new quads from"
    many_said = fi_said if lang == "fi" else en_said
    assert re.match(many_said, out)


def test_a_parameter_list_that_is_empty_says_so_in_finnish(capsys: pytest.CaptureFixture[str]) -> None:
    """'none' is English: a query without parameters says 'ei yhtään' in Finnish."""
    spec = next(s for s in Catalogue() if not s.params)
    with pytest.raises(UsageError) as caught:
        spec.param("nosuch")
    assert caught.value.localised("fi").endswith("(parametrit: ei yhtään)")
    assert str(caught.value).endswith("(parameters: none)")


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        ("fi", "1 asiakastietue luettu; ohitettu: 1 muu kuin asiakas, 2 prospektia"),
        ("en", "1 account read; skipped: 1 not a customer, 2 prospects"),
    ],
)
def test_an_import_summary_counts_one_and_many(lang: str, expected: str) -> None:
    """Why: the import's last line said '1 prospektia' and '1 not customers'."""
    from crmkg.ingest.summary import summary_line

    assert summary_line({"accountsRead": 1, "skippedNotCustomer": 1, "skippedProspect": 2}, lang) == expected
