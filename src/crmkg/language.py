"""The one language rule: which of Finnish and English crmkg speaks, in every verb and route.

Command line: ``--lang`` > ``CRMKG_LANG`` > the locale (``LC_ALL``, else ``LC_MESSAGES``, else
``LANG``: a value starting with ``fi`` means Finnish, anything else English).
HTTP (API and web pages): ``?lang=`` > ``Accept-Language`` > ``CRMKG_LANG`` > the server's locale.
The CLI, the API and the web app call these functions and nothing else decides a language.
"""

from __future__ import annotations

import os
from collections.abc import Mapping

from crmkg.errors import UsageError
from crmkg.i18n import FALLBACK as FALLBACK  # defined there: crmkg.errors reads messages through i18n
from crmkg.i18n import LANGUAGES as LANGUAGES

ENV_VARIABLE = "CRMKG_LANG"
_LOCALE_VARIABLES = ("LC_ALL", "LC_MESSAGES", "LANG")


def check(lang: str, source: str = "language") -> str:
    """``lang`` lower-cased if crmkg speaks it; a :class:`UsageError` naming ``source`` otherwise."""
    key = lang.strip().lower()
    if key not in LANGUAGES:
        raise UsageError(key="error.language", source=source, choices=", ".join(LANGUAGES), value=lang)
    return key


def from_locale(environ: Mapping[str, str] | None = None) -> str:
    """``fi`` when the first locale variable that is set starts with ``fi``, else ``en``."""
    env = os.environ if environ is None else environ
    for name in _LOCALE_VARIABLES:
        value = env.get(name, "")
        if value:
            return "fi" if value.lower().startswith("fi") else FALLBACK
    return FALLBACK


def default_language(environ: Mapping[str, str] | None = None) -> str:
    """``CRMKG_LANG`` if set (it must be fi or en), else the locale's language."""
    env = os.environ if environ is None else environ
    configured = env.get(ENV_VARIABLE, "").strip()
    if configured:
        return check(configured, ENV_VARIABLE)
    return from_locale(env)


def cli_language(option: str | None, environ: Mapping[str, str] | None = None) -> str:
    """The command line's language: ``--lang`` if given, else :func:`default_language`."""
    if option:
        return check(option, "--lang")
    return default_language(environ)


def parse_accept_language(header: str | None) -> list[tuple[str, float]]:
    """Primary language subtags with their q-values, best first (``fi-FI;q=0.8`` → ``("fi", 0.8)``)."""
    if not header:
        return []
    found: list[tuple[str, float, int]] = []
    for position, part in enumerate(header.split(",")):
        tag, _, params = part.strip().partition(";")
        quality = 1.0
        for param in params.split(";"):
            name, _, value = param.strip().partition("=")
            if name.strip() == "q":
                try:
                    quality = float(value)
                except ValueError:
                    quality = 0.0
        primary = tag.strip().split("-", 1)[0].lower()
        if primary:
            found.append((primary, quality, position))
    found.sort(key=lambda item: (-item[1], item[2]))
    return [(tag, q) for tag, q, _ in found]


def request_language(explicit: str | None, accept_language: str | None, default: str) -> str:
    """An HTTP request's language: ``?lang=`` (fi or en, else a :class:`UsageError`), else the
    best of fi/en the client accepts, else ``default`` (the server's :func:`default_language`)."""
    if explicit:
        return check(explicit, "lang")
    for tag, quality in parse_accept_language(accept_language):
        if quality > 0 and tag in LANGUAGES:
            return tag
    return default if default in LANGUAGES else FALLBACK


def shown_language(explicit: str | None, matched: str, fallback: str) -> str:
    """The language a search hit is shown in: the one asked for, else the one of the label that
    matched (searching "payer" shows the English card), else ``fallback``."""
    return explicit or matched or fallback
