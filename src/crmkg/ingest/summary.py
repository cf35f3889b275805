"""The one-line summary every import ends with, in Finnish or English.

An importer fills a count per key it knows; the line names them in a fixed order, so a CRM
import always says how many accounts it read, how many customer relationships it made, what it
skipped and why, and how many relationships got an owner and a lead.
"""

from __future__ import annotations

from collections.abc import Mapping

from crmkg.ingest.findings import number

#: key → (Finnish, English); ``{n}`` is the count. Keys starting ``skipped`` are listed together.
LABELS: Mapping[str, tuple[str, str]] = {
    "accountsRead": ("{n} asiakastietuetta luettu", "{n} accounts read"),
    "relationships": ("{n} asiakkuutta", "{n} customer relationships made"),
    "skippedDeleted": ("{n} poistettua", "{n} deleted"),
    "skippedInactive": ("{n} passiivista", "{n} inactive"),
    "skippedNotCustomer": ("{n} muuta kuin asiakasta", "{n} not customers"),
    "skippedProspect": ("{n} prospektia", "{n} prospects"),
    "skippedOtherObject": ("{n} toisen objektin riviä", "{n} rows of another object"),
    "skippedDuplicate": ("{n} kaksoiskappaletta", "{n} duplicates"),
    "withOwner": ("omistaja {n} asiakkuudella", "{n} with an owner"),
    "withLead": ("vetäjä {n} asiakkuudella", "{n} with a lead"),
    "inactiveUsersEnded": (
        "{n} passiivisen käyttäjän jäsenyys päättyy viimeistään vientiä edeltävänä päivänä",
        "{n} inactive users' membership ends by the day before the export",
    ),
    "rowsRead": ("{n} riviä luettu", "{n} rows read"),
    "units": ("{n} yksikköä", "{n} units"),
    "people": ("{n} henkilöä", "{n} people"),
    "memberships": ("{n} jäsenyyttä", "{n} memberships"),
    "tenures": ("{n} tehtäväkautta", "{n} post tenures"),
}
_SKIPPED = ("ohitettu", "skipped")


def summary_line(summary: Mapping[str, int], lang: str = "en") -> str:
    """``5 accounts read; 4 customer relationships made; skipped: 1 not customers; …``."""
    index = 0 if lang == "fi" else 1
    parts: list[str] = []
    skipped: list[str] = []
    for key, labels in LABELS.items():
        if key not in summary:
            continue
        text = labels[index].format(n=number(summary[key], lang))
        if key.startswith("skipped"):
            if summary[key]:
                skipped.append(text)
            continue
        parts.append(text)
    if skipped:  # after "… relationships made", before the owners and leads
        at = 2 if "relationships" in summary else len(parts)
        parts.insert(min(at, len(parts)), f"{_SKIPPED[index]}: {', '.join(skipped)}")
    return "; ".join(parts)
