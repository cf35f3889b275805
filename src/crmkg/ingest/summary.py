"""The one-line summary every import ends with, in Finnish or English.

An importer fills a count per key it knows; the line names them in a fixed order, so a CRM
import always says how many accounts it read, how many customer relationships it made, what it
skipped and why, and how many relationships got an owner and a lead.
"""

from __future__ import annotations

from collections.abc import Mapping

from crmkg.ingest.findings import number

#: key → ((Finnish one, other), (English one, other)); ``{n}`` is the count. Keys starting
#: ``skipped`` are listed together.
LABELS: Mapping[str, tuple[tuple[str, str], tuple[str, str]]] = {
    "accountsRead": (
        ("{n} asiakastietue luettu", "{n} asiakastietuetta luettu"),
        ("{n} account read", "{n} accounts read"),
    ),
    "relationships": (
        ("{n} asiakkuus", "{n} asiakkuutta"),
        ("{n} customer relationship made", "{n} customer relationships made"),
    ),
    "skippedDeleted": (("{n} poistettu", "{n} poistettua"), ("{n} deleted", "{n} deleted")),
    "skippedInactive": (("{n} passiivinen", "{n} passiivista"), ("{n} inactive", "{n} inactive")),
    "skippedNotCustomer": (
        ("{n} muu kuin asiakas", "{n} muuta kuin asiakasta"),
        ("{n} not a customer", "{n} not customers"),
    ),
    "skippedProspect": (("{n} prospekti", "{n} prospektia"), ("{n} prospect", "{n} prospects")),
    "skippedOtherObject": (
        ("{n} toisen objektin rivi", "{n} toisen objektin riviä"),
        ("{n} row of another object", "{n} rows of another object"),
    ),
    "skippedDuplicate": (("{n} kaksoiskappale", "{n} kaksoiskappaletta"), ("{n} duplicate", "{n} duplicates")),
    "withOwner": (("omistaja {n} asiakkuudella", "omistaja {n} asiakkuudella"), ("{n} with an owner",) * 2),
    "withLead": (("vetäjä {n} asiakkuudella", "vetäjä {n} asiakkuudella"), ("{n} with a lead",) * 2),
    "inactiveUsersEnded": (
        ("{n} passiivisen käyttäjän jäsenyys päättyy viimeistään vientiä edeltävänä päivänä",) * 2,
        (
            "{n} inactive user's membership ends by the day before the export",
            "{n} inactive users' memberships end by the day before the export",
        ),
    ),
    "rowsRead": (("{n} rivi luettu", "{n} riviä luettu"), ("{n} row read", "{n} rows read")),
    "units": (("{n} yksikkö", "{n} yksikköä"), ("{n} unit", "{n} units")),
    "people": (("{n} henkilö", "{n} henkilöä"), ("{n} person", "{n} people")),
    "memberships": (("{n} jäsenyys", "{n} jäsenyyttä"), ("{n} membership", "{n} memberships")),
    "tenures": (("{n} tehtäväkausi", "{n} tehtäväkautta"), ("{n} post tenure", "{n} post tenures")),
}
_SKIPPED = ("ohitettu", "skipped")


def summary_line(summary: Mapping[str, int], lang: str = "en") -> str:
    """``5 accounts read; 4 customer relationships made; skipped: 1 not a customer; …`` (one and many
    in each language's own form: ``1 prospekti``, ``2 prospektia``)."""
    index = 0 if lang == "fi" else 1
    parts: list[str] = []
    skipped: list[str] = []
    for key, labels in LABELS.items():
        if key not in summary:
            continue
        count = summary[key]
        text = labels[index][0 if count == 1 else 1].format(n=number(count, lang))
        if key.startswith("skipped"):
            if summary[key]:
                skipped.append(text)
            continue
        parts.append(text)
    if skipped:  # after "… relationships made", before the owners and leads
        at = 2 if "relationships" in summary else len(parts)
        parts.insert(min(at, len(parts)), f"{_SKIPPED[index]}: {', '.join(skipped)}")
    return "; ".join(parts)
