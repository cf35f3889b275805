"""The date parameters of the date-relative shapes, and their substitution into ``sh:select``.

Shapes write ``$today``, ``$planFollowUpSince`` and ``$situationReviewSince`` in their SPARQL text,
and ``$ownerGapDays`` (a whole number of days: how long a relationship may go without an owner
between two owner assignments before S30 reports it).
SPARQL 1.1 has no date arithmetic and ``NOW()`` is an ``xsd:dateTime`` (and reads the clock), so
the engine computes the dates here and writes them into the query text as typed ``xsd:date``
literals before any engine sees the shapes. Engines therefore get shapes with no placeholders.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from rdflib import Graph, Literal

from crmkg.daterange import check_date, check_window
from crmkg.namespaces import SH, XSD

DEFAULT_FOLLOW_UP_DAYS = 90
DEFAULT_REVIEW_DAYS = 180
DEFAULT_OWNER_GAP_DAYS = 0

#: Placeholder name → attribute of :class:`ValidationParameters`.
PLACEHOLDERS = {
    "today": "today",
    "planFollowUpSince": "plan_follow_up_since",
    "situationReviewSince": "situation_review_since",
    "ownerGapDays": "owner_gap_days",
}

# A placeholder is "$name" not followed by a name character (so $todayX is left alone).
_PLACEHOLDER = re.compile(r"\$(" + "|".join(PLACEHOLDERS) + r")(?![A-Za-z0-9_\u00B7\u0300-\u036F])")
# Properties whose text is SPARQL the shapes run.
_SPARQL_PROPERTIES = (SH.select, SH.ask)
# "{$name}" in a message: the run's parameters as a reader wants them (filled in per language).
_MESSAGE_PLACEHOLDER = re.compile(
    r"\{\$(asOf|asOfWhen|followUpDays|followUpSince|reviewDays|reviewSince|ownerGapDays)\}"
)


@dataclass(frozen=True)
class ValidationParameters:
    """The as-of date and the windows; ``*_since`` = ``today`` minus the window in days;
    ``owner_gap_days`` the longest tolerated ownerless gap between consecutive owner assignments."""

    today: dt.date
    follow_up_days: int = DEFAULT_FOLLOW_UP_DAYS
    review_days: int = DEFAULT_REVIEW_DAYS
    owner_gap_days: int = DEFAULT_OWNER_GAP_DAYS

    def __post_init__(self) -> None:
        check_date(self.today, "as-of")
        check_window(self.follow_up_days, "follow-up-days")
        check_window(self.review_days, "review-days")
        check_window(self.owner_gap_days, "owner-gap-days")

    @classmethod
    def for_date(
        cls,
        as_of: dt.date | None = None,
        *,
        follow_up_days: int = DEFAULT_FOLLOW_UP_DAYS,
        review_days: int = DEFAULT_REVIEW_DAYS,
        owner_gap_days: int = DEFAULT_OWNER_GAP_DAYS,
    ) -> ValidationParameters:
        """Parameters for ``as_of`` (the run date when ``None`` — only the edges should do that)."""
        return cls(as_of or dt.date.today(), follow_up_days, review_days, owner_gap_days)

    @property
    def plan_follow_up_since(self) -> dt.date:
        return self.today - dt.timedelta(days=self.follow_up_days)

    @property
    def situation_review_since(self) -> dt.date:
        return self.today - dt.timedelta(days=self.review_days)

    def values(self) -> dict[str, dt.date | int]:
        """Placeholder name (without ``$``) → date, or number of days."""
        return {name: getattr(self, attr) for name, attr in PLACEHOLDERS.items()}

    def as_strings(self) -> dict[str, str]:
        """For reports: every parameter as text."""
        out = {name: v.isoformat() if isinstance(v, dt.date) else str(v) for name, v in self.values().items()}
        out["followUpDays"] = str(self.follow_up_days)
        out["reviewDays"] = str(self.review_days)
        return out


def substitute_text(sparql: str, parameters: ValidationParameters) -> str:
    """``sparql`` with each placeholder replaced by ``"YYYY-MM-DD"^^<xsd:date>`` (a date) or
    ``"N"^^<xsd:integer>`` (a number of days)."""
    values = parameters.values()

    def literal(match: re.Match[str]) -> str:
        value = values[match.group(1)]
        if isinstance(value, dt.date):
            return f'"{value.isoformat()}"^^<{XSD.date}>'
        return f'"{value}"^^<{XSD.integer}>'

    return _PLACEHOLDER.sub(literal, sparql)


def message_values(
    parameters: ValidationParameters, lang: str | None, *, run_date: dt.date | None = None
) -> dict[str, str]:
    """What ``{$asOf}``, ``{$asOfWhen}``, ``{$followUpDays}``… in a message read in ``lang``.

    ``asOfWhen`` says "tänään"/"today" only when the as-of date is the run date (``run_date``,
    default the clock's date); otherwise it names the date. The windows are the ones in force.
    """
    today = run_date or dt.date.today()
    as_of = parameters.today.isoformat()
    finnish = (lang or "").lower().startswith("fi")
    named = as_of if finnish else f"on {as_of}"
    when = ("tänään" if finnish else "today") if parameters.today == today else named
    return {
        "asOf": as_of,
        "asOfWhen": when,
        "followUpDays": str(parameters.follow_up_days),
        "followUpSince": parameters.plan_follow_up_since.isoformat(),
        "reviewDays": str(parameters.review_days),
        "reviewSince": parameters.situation_review_since.isoformat(),
        "ownerGapDays": str(parameters.owner_gap_days),
    }


def substitute_message(text: str, parameters: ValidationParameters, lang: str | None) -> str:
    """``text`` (an ``sh:message``) with its ``{$asOf}``-style parameters filled in for ``lang``."""
    values = message_values(parameters, lang)
    return _MESSAGE_PLACEHOLDER.sub(lambda m: values[m.group(1)], text)


def substitute(shapes: Graph, parameters: ValidationParameters) -> Graph:
    """A copy of ``shapes`` whose ``sh:select``/``sh:ask`` texts have the placeholders filled in,
    and whose ``sh:message`` texts name the as-of date and the windows in force.

    The input graph is not changed; a graph with no placeholders comes back as an equal copy.
    """
    out = Graph()
    for prefix, ns in shapes.namespaces():
        out.bind(prefix, ns, override=True, replace=True)
    for s, p, o in shapes:
        if p in _SPARQL_PROPERTIES and isinstance(o, Literal) and "$" in str(o):
            o = Literal(substitute_text(str(o), parameters), lang=o.language, datatype=o.datatype)
        elif p == SH.message and isinstance(o, Literal) and "{$" in str(o):
            o = Literal(substitute_message(str(o), parameters, o.language), lang=o.language, datatype=o.datatype)
        out.add((s, p, o))
    return out


def placeholders_in(shapes: Graph) -> set[str]:
    """The placeholder names the shapes use (for docs and tests)."""
    found: set[str] = set()
    for prop in _SPARQL_PROPERTIES:
        for text in shapes.objects(None, prop):
            found.update(m.group(1) for m in _PLACEHOLDER.finditer(str(text)))
    return found
