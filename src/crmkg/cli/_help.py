"""The command line's own texts in the language of the one language rule: ``--help`` and argparse's phrases.

The help texts are written in English in the code, where each option is declared; their Finnish is in
``help_fi.toml`` beside this module, keyed by the English text. :func:`localise` puts the Finnish into
a built parser, and :func:`argparse_phrases` makes argparse's own phrases (``usage:``, ``error:``, "the
following arguments are required") Finnish while a command line is parsed. The language is decided
before parsing, from ``--lang`` on the command line, else ``CRMKG_LANG``, else the locale.
"""

from __future__ import annotations

import argparse
import tomllib
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from functools import cache
from importlib import resources

from crmkg.errors import CrmkgError
from crmkg.language import FALLBACK, LANGUAGES, cli_language


@cache
def finnish() -> dict[str, str]:
    """English help text → its Finnish."""
    text = (resources.files("crmkg.cli") / "help_fi.toml").read_text(encoding="utf-8")
    return {entry["en"]: entry["fi"] for entry in tomllib.loads(text)["text"]}


def language_of(argv: Sequence[str]) -> str:
    """The language a command line speaks before it is parsed: its ``--lang``, else the rule's default."""
    option: str | None = None
    for i, arg in enumerate(argv):
        if arg == "--lang" and i + 1 < len(argv):
            option = argv[i + 1]
        elif arg.startswith("--lang="):
            option = arg.partition("=")[2]
    try:
        return cli_language(option)
    except CrmkgError:  # a bad value is reported when the line is parsed
        return FALLBACK


#: The help of ``--lang`` where a verb adds none of its own (its meaning is the same everywhere).
LANG_HELP = "message language; default: CRMKG_LANG, else the locale (fi_* → fi, else en)"


def add_lang_option(parser: argparse.ArgumentParser) -> None:
    """``--lang fi|en`` on every verb (issue 14 §7: one rule in every verb), unless the verb has its own."""
    subparsers = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
    for action in subparsers:
        for sub in action.choices.values():
            add_lang_option(sub)
    if not subparsers and parser.prog != "crmkg" and "--lang" not in parser._option_string_actions:
        parser.add_argument("--lang", choices=LANGUAGES, help=LANG_HELP)


def texts(parser: argparse.ArgumentParser) -> Iterator[tuple[object, str, str]]:
    """Every help text of ``parser`` and its sub-commands: (holder, attribute, text)."""
    for attribute in ("description", "epilog"):
        if getattr(parser, attribute):
            yield parser, attribute, getattr(parser, attribute)
    for group in parser._action_groups:
        for attribute in ("title", "description"):
            if getattr(group, attribute):
                yield group, attribute, getattr(group, attribute)
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for choice in action._choices_actions:
                if choice.help:
                    yield choice, "help", choice.help
            for sub in action.choices.values():
                yield from texts(sub)
        elif action.help and action.help != argparse.SUPPRESS:
            yield action, "help", action.help


def localise(parser: argparse.ArgumentParser, lang: str) -> None:
    """Put the Finnish help texts into ``parser`` when ``lang`` is Finnish (English ones stay as written)."""
    if lang != "fi":
        return
    table = finnish()
    for holder, attribute, text in list(texts(parser)):
        if text in table:
            setattr(holder, attribute, table[text])


#: The language of the command line being parsed (what an option's type check tells its errors in).
_PARSING: ContextVar[str] = ContextVar("crmkg_parsing_language", default=FALLBACK)


def parsing_language() -> str:
    """The language of the command line being parsed (:func:`argparse_phrases`), else English."""
    return _PARSING.get()


@contextmanager
def argparse_phrases(lang: str) -> Iterator[None]:
    """argparse's own phrases in ``lang`` inside the block (argparse looks them up through ``_``),
    and :func:`parsing_language` says ``lang``."""
    token = _PARSING.set(lang)
    original = argparse._  # type: ignore[attr-defined]
    if lang == "fi":
        table = finnish()
        argparse._ = lambda text: table.get(text, original(text))  # type: ignore[attr-defined]
    try:
        yield
    finally:
        argparse._ = original  # type: ignore[attr-defined]
        _PARSING.reset(token)
