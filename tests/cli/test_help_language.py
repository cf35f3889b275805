"""Issue 14 §7: every user-facing string localised — the command line's ``--help`` and argparse's
own phrases in Finnish when the one language rule says Finnish (``--lang`` > ``CRMKG_LANG`` >
the locale), English otherwise. The first test scans every help text of every verb for one that
has no Finnish: add it to ``src/crmkg/cli/help_fi.toml``."""

from __future__ import annotations

import argparse
import re

import pytest

from crmkg.cli import build_parser, main
from crmkg.cli._help import finnish, texts

_FORMAT = re.compile(r"%\(\w+\)[rsd]|%%|%s")
_NAMES = re.compile(r"\$\w+|--[a-z][\w-]*|CRMKG_\w+")


def test_every_help_text_has_its_finnish() -> None:
    table = finnish()
    missing = sorted({text for _, _, text in texts(build_parser()) if text not in table})
    assert missing == [], "no Finnish in src/crmkg/cli/help_fi.toml for:\n" + "\n".join(missing)


def test_the_finnish_keeps_the_options_placeholders_and_variables() -> None:
    for english, finnish_text in finnish().items():
        assert sorted(_FORMAT.findall(english)) == sorted(_FORMAT.findall(finnish_text)), english
        for name in _NAMES.findall(english):  # Finnish may inflect one: --lang-valinnan
            assert name in finnish_text, (name, english)


def _help(capsys: pytest.CaptureFixture[str], *argv: str) -> str:
    with pytest.raises(SystemExit) as stop:
        main([*argv, "--help"])
    assert stop.value.code == 0
    return capsys.readouterr().out


@pytest.mark.parametrize("verb", [["validate"], ["query"], ["lookup", "owner"], ["import", "salesforce"], []])
def test_help_speaks_the_language_rule(
    verb: list[str], capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("CRMKG_LANG", raising=False)
    monkeypatch.setenv("LC_ALL", "fi_FI.UTF-8")
    finnish_help = _help(capsys, *verb)
    assert finnish_help.startswith("käyttö: ")
    assert "näytä tämä ohje ja lopeta" in finnish_help
    monkeypatch.setenv("CRMKG_LANG", "en")
    english = _help(capsys, *verb)
    assert english.startswith("usage: ")
    assert "show this help message and exit" in english
    english_texts = [text for _, _, text in texts(build_parser()) if len(text) > 30]
    assert not any(text in finnish_help for text in english_texts)
    assert argparse._("usage: ") == "usage: "  # type: ignore[attr-defined]  # restored after the run


def test_lang_on_the_command_line_wins(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CRMKG_LANG", "en")
    text = _help(capsys, "validate", "--lang", "fi")
    assert "Tarkista RDF-tiedostot ja -kansiot akj-SHACL-muotojen mukaan." in text
    monkeypatch.setenv("CRMKG_LANG", "fi")
    assert _help(capsys, "validate", "--lang=en").startswith("usage: ")


def test_argparse_errors_in_finnish(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CRMKG_LANG", "fi")
    with pytest.raises(SystemExit) as stop:
        main(["lookup", "owner"])
    assert stop.value.code == 2
    err = capsys.readouterr().err
    assert "virhe: seuraavat argumentit puuttuvat: RELATIONSHIP" in err
