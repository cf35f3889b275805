"""The dates and day windows crmkg accepts — one rule for every verb, route and library call.

``as of`` dates are 1900-01-01 … 2999-12-31 and windows 0 … 36,500 days (100 years), so that no
date arithmetic can leave Python's calendar (``0001-01-01`` minus a 90-day window used to end in an
OverflowError traceback) and every date is a plain four-digit ``xsd:date`` for any SPARQL engine.
"""

from __future__ import annotations

import datetime as dt
import re

from crmkg.errors import UsageError

EARLIEST = dt.date(1900, 1, 1)
LATEST = dt.date(2999, 12, 31)
LONGEST_WINDOW_DAYS = 36_500
ACCEPTED_DATES = f"dates from {EARLIEST.isoformat()} to {LATEST.isoformat()} are accepted"
ACCEPTED_WINDOWS = f"windows from 0 to {LONGEST_WINDOW_DAYS:,} days are accepted"

_DATES = (EARLIEST.isoformat(), LATEST.isoformat())
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
#: The accepted dates' text form, as a pattern (for OpenAPI documents and HTML forms).
DATE_PATTERN = r"^(19[0-9]{2}|2[0-9]{3})-[0-9]{2}-[0-9]{2}$"


def _named(name: str | None, problem: UsageError) -> UsageError:
    """``problem``, prefixed with the option or parameter it is about (``--as-of: …``)."""
    return UsageError(key="error.named", name=name, problem=problem) if name else problem


def in_range(value: dt.date) -> bool:
    return EARLIEST <= value <= LATEST


def check_date(value: dt.date, name: str | None = None) -> dt.date:
    """``value`` if it is in the accepted range; :class:`UsageError` naming the range otherwise."""
    if not in_range(value):
        raise _named(
            name, UsageError(key="error.date_range", value=value.isoformat(), earliest=_DATES[0], latest=_DATES[1])
        )
    return value


def parse_date(text: str, name: str | None = None) -> dt.date:
    """A ``YYYY-MM-DD`` date in the accepted range."""
    raw = text.strip()
    try:
        if not _ISO_DATE.fullmatch(raw):
            raise ValueError
        value = dt.date.fromisoformat(raw)
    except ValueError:
        raise _named(name, UsageError(key="error.date_form", text=text)) from None
    return check_date(value, name)


def check_window(days: int, name: str | None = None) -> int:
    """A window of ``days`` days if it is in the accepted range; :class:`UsageError` otherwise."""
    if not 0 <= days <= LONGEST_WINDOW_DAYS:
        raise _named(name, UsageError(key="error.window_range", days=days, longest=f"{LONGEST_WINDOW_DAYS:,}"))
    return days
