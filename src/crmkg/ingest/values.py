"""Cell values: dates (ISO 8601, or one explicit ``date_format`` — never guessed), booleans.

Spreadsheet round-trips rewrite dates in the locale's form (``2.5.2023 12.00`` in Finnish Excel,
``5/2/2023`` in US Excel). Day-first and month-first forms cannot be told apart from the data, so
the import reads ISO 8601 unless the config or ``--date-format`` names the form, e.g.
``DD-MM-YYYY``, ``M/D/YYYY``, ``D.M.YYYY HH.MM``. Tokens: ``YYYY`` year, ``MM``/``M`` month,
``DD``/``D`` day (two digits, or one or two); after a space, the time part: ``HH``/``H``
hours, ``MM`` minutes, ``SS`` seconds (checked, then dropped: an assignment starts on a day).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from functools import cache

from crmkg.errors import Phrase, UsageError

_ISO = re.compile(r"(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?")
_DATE_TOKENS = {
    "YYYY": r"(?P<y>\d{4})",
    "MM": r"(?P<m>\d{2})",
    "M": r"(?P<m>\d{1,2})",
    "DD": r"(?P<d>\d{2})",
    "D": r"(?P<d>\d{1,2})",
}
_TIME_TOKENS = {"HH": r"\d{2}", "H": r"\d{1,2}", "MM": r"\d{2}", "SS": r"\d{2}"}
_TOKEN = re.compile(r"YYYY|MM|M|DD|D|HH|H|SS")


@dataclass(frozen=True)
class DateFormat:
    """ISO 8601 (``pattern`` None) or an explicit form such as ``D.M.YYYY HH.MM``."""

    pattern: str | None = None

    def __post_init__(self) -> None:
        if self.pattern is not None:
            _compile(self.pattern)  # a bad pattern is a usage error now, not on the first row

    @property
    def expected(self) -> str:
        return self.pattern or "YYYY-MM-DD (ISO 8601)"

    def parse(self, text: str) -> dt.date | None:
        """The date ``text`` names, or ``None`` when it is not in this form (or no real date)."""
        value = text.strip()
        if self.pattern is None:
            match = _ISO.fullmatch(value)
            parts = (match[1], match[2], match[3]) if match else None
        else:
            match = _compile(self.pattern).fullmatch(value)
            parts = (match["y"], match["m"], match["d"]) if match else None
        if parts is None:
            return None
        try:
            return dt.date(int(parts[0]), int(parts[1]), int(parts[2]))
        except ValueError:
            return None


@cache
def _compile(pattern: str) -> re.Pattern[str]:
    date_part, _, time_part = pattern.strip().partition(" ")
    out: list[str] = []
    for part, tokens in ((date_part, _DATE_TOKENS), (time_part, _TIME_TOKENS)):
        if part is time_part and part:
            out.append(" ")
        pos = 0
        for token in _TOKEN.finditer(part):
            out.append(re.escape(part[pos : token.start()]))
            if token[0] not in tokens:
                part_name = Phrase("date_part.time" if tokens is _TIME_TOKENS else "date_part.date")
                raise UsageError(key="error.date_format_token", pattern=pattern, token=token[0], part=part_name)
            out.append(tokens[token[0]])
            pos = token.end()
        out.append(re.escape(part[pos:]))
    text = "".join(out)
    for group in ("y", "m", "d"):
        if text.count(f"(?P<{group}>") != 1:
            raise UsageError(key="error.date_format_fields", pattern=pattern)
    return re.compile(text)


def parse_date_format(value: str | None, where: str) -> DateFormat:
    if value is None or value.strip().upper() in ("", "ISO", "ISO8601", "YYYY-MM-DD"):
        return DateFormat()
    try:
        return DateFormat(value.strip())
    except UsageError as exc:
        raise UsageError(key="error.named", name=where, problem=exc) from None


TRUE = frozenset({"true", "1", "yes", "kyllä", "tosi"})
FALSE = frozenset({"false", "0", "no", "ei", "epätosi"})


def flag(text: str) -> bool | None:
    """``True``/``False`` for the usual spellings (Data Loader ``true``, Excel ``TRUE``, ``1``),
    ``None`` for anything else (empty included)."""
    key = text.strip().casefold()
    if key in TRUE:
        return True
    if key in FALSE:
        return False
    return None
