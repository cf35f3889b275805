"""Small pieces of the web app: the language rule, the messages, the timeline's geometry."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest

from crmkg.lookup import Handover, HistoryEntry, Party, Responsibility
from crmkg.web import timeline
from crmkg.web.i18n import MESSAGES, choose_language, parse_accept_language
from crmkg.web.sparql_browser import wants_html

TEMPLATES = Path(__file__).resolve().parents[2] / "src" / "crmkg" / "web" / "templates"


@pytest.mark.parametrize(
    ("explicit", "header", "default", "chosen"),
    [
        ("en", "fi", "fi", "en"),
        (None, "en-US,en;q=0.9,fi;q=0.8", "fi", "en"),
        (None, "de, fi;q=0.2, en;q=0.1", "en", "fi"),
        (None, "de, sv", "en", "en"),
        (None, "en;q=0, fi;q=0.1", "en", "fi"),
        ("xx", None, "fi", "fi"),
        (None, None, "sv", "fi"),
    ],
)
def test_the_language_rule(explicit: str | None, header: str | None, default: str, chosen: str) -> None:
    assert choose_language(explicit, header, default) == chosen


def test_accept_language_is_ordered_by_quality_then_position() -> None:
    assert parse_accept_language("fi;q=0.5, en-GB, sv;q=0.5") == [("en", 1.0), ("fi", 0.5), ("sv", 0.5)]
    assert parse_accept_language("") == []


def test_every_message_the_templates_use_exists_in_both_languages() -> None:
    used: set[str] = set()
    for path in TEMPLATES.iterdir():
        used |= set(re.findall(r"""(?<![\w.])t\(["']([a-z_.]+)["']""", path.read_text(encoding="utf-8")))
    assert used, "the templates use messages"
    dynamic = {k for k in used if k.endswith(".")}
    assert (used - dynamic) <= set(MESSAGES)
    for key, (fi, en) in MESSAGES.items():
        assert fi.strip(), key
        assert en.strip(), key


@pytest.mark.parametrize(
    ("accept", "html"),
    [
        ("text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8", True),
        ("application/sparql-results+json", False),
        ("*/*", False),
        ("application/sparql-results+xml, text/html;q=0.1", False),
        ("", False),
    ],
)
def test_only_browsers_are_sent_to_the_editor(accept: str, html: bool) -> None:
    assert wants_html(accept) is html


def _entry(role: str, who: str, since: str, until: str | None) -> HistoryEntry:
    end = dt.date.fromisoformat(until) if until else None
    resp = Responsibility(Party(f"x:{who}", who), dt.date.fromisoformat(since), end, f"x:a-{who}")
    return HistoryEntry(role, resp, None)


def test_the_timeline_places_periods_and_handovers_in_date_order() -> None:
    entries = [
        _entry("owner", "a", "2023-03-01", "2024-06-30"),
        _entry("owner", "b", "2024-07-01", None),
        _entry("lead", "c", "2023-03-01", None),
    ]
    handovers = [
        Handover("owner", dt.date(2023, 3, 1), None, entries[0].responsibility.assignee, "x:a-a"),
        Handover(
            "owner",
            dt.date(2024, 7, 1),
            entries[0].responsibility.assignee,
            entries[1].responsibility.assignee,
            "x:a-b",
        ),
    ]
    plans = [timeline.Plan("x:p", "plan", dt.date(2024, 1, 1), dt.date(2024, 12, 31))]
    follow = [timeline.FollowUp("x:f", "f", dt.date(2024, 5, 1), "x:p", ("basis",))]
    labels = {k: k for k in ("owner", "lead", "plans", "plan", "handover", "followup")}
    tl = timeline.build(entries, handovers, plans, follow, as_of=dt.date(2025, 1, 1), labels=labels)
    assert tl.counts() == {"owners": 2, "leads": 1, "handovers": 1, "plans": 1, "followups": 1}
    owner_a, owner_b = (b for b in tl.bars if b.css == "owner")
    assert owner_a.x < owner_b.x
    assert owner_a.x + owner_a.width == pytest.approx(owner_b.x, abs=0.2)  # they meet at the handover
    assert tl.handovers[0].x == pytest.approx(owner_b.x, abs=0.2)
    assert owner_b.open_ended
    assert not owner_a.open_ended
    assert [t.label for t in tl.ticks] == ["2023", "2024", "2025", "2026"]
    assert tl.today_x is not None
    assert tl.ticks[2].x <= tl.today_x < tl.ticks[3].x
