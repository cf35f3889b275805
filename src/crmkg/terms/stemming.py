"""Text as search compares it: folded case and diacritics, and a light Finnish suffix stripping."""

from __future__ import annotations

import unicodedata

# Common Finnish case and number endings, longest first; stripped only as the last fallback.
_FI_SUFFIXES = tuple(
    sorted(
        (
            "ssa",
            "ssä",
            "sta",
            "stä",
            "lla",
            "llä",
            "lta",
            "ltä",
            "lle",
            "ksi",
            "na",
            "nä",
            "iden",
            "jen",
            "ien",
            "den",
            "ten",
            "en",
            "n",
            "t",
            "a",
            "ä",
            "ja",
            "jä",
            "ita",
            "itä",
        ),
        key=len,
        reverse=True,
    )
)


def fold(text: str) -> str:
    """Case- and diacritic-folded text: ``Käyttäjä`` → ``kayttaja``."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def normalise(text: str) -> str:
    """Unicode NFC, case-folded, runs of white space as one space."""
    return " ".join(unicodedata.normalize("NFC", text).casefold().split())


def stems(needle: str) -> list[str]:
    """Diacritic-folded forms of ``needle`` with one common Finnish ending removed (stem ≥ 4 letters)."""
    word = fold(needle)
    found = []
    for suffix in _FI_SUFFIXES:
        fsuffix = fold(suffix)
        if word.endswith(fsuffix) and len(word) - len(fsuffix) >= 4:
            found.append(word[: -len(fsuffix)])
    return found
