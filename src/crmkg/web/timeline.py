"""The timeline picture of a relationship: owners and leads over the years, handovers, plans, follow-ups.

Only geometry is computed here; ``templates/_timeline.svg`` draws it (autoescaped, so labels from
the data cannot inject markup).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from crmkg import lookup

WIDTH = 960
LEFT = 130  # the lane titles
RIGHT = 20
TOP = 20
LANE = 44
AXIS = 30


@dataclass(frozen=True)
class Plan:
    iri: str
    label: str
    valid_from: dt.date | None
    valid_until: dt.date | None


@dataclass(frozen=True)
class FollowUp:
    iri: str
    label: str
    date: dt.date
    plan: str
    bases: tuple[str, ...]


@dataclass(frozen=True)
class Bar:
    x: float
    y: float
    width: float
    height: float
    label: str
    title: str
    css: str
    open_ended: bool


@dataclass(frozen=True)
class Mark:
    x: float
    y: float
    title: str
    css: str


@dataclass(frozen=True)
class Tick:
    x: float
    label: str


@dataclass(frozen=True)
class Timeline:
    width: int
    height: int
    lanes: tuple[tuple[str, float], ...]  # title, y of the lane's middle
    bars: tuple[Bar, ...]
    handovers: tuple[Mark, ...]
    followups: tuple[Mark, ...]
    ticks: tuple[Tick, ...]
    today_x: float | None
    axis_y: float
    plan_count: int

    def counts(self) -> dict[str, int]:
        owners = sum(1 for b in self.bars if b.css == "owner")
        leads = sum(1 for b in self.bars if b.css == "lead")
        return {
            "owners": owners,
            "leads": leads,
            "handovers": len(self.handovers),
            "plans": self.plan_count,
            "followups": len(self.followups),
        }


def _span(
    entries: Sequence[lookup.HistoryEntry], plans: Sequence[Plan], followups: Sequence[FollowUp], as_of: dt.date
) -> tuple[dt.date, dt.date]:
    days = [as_of]
    for e in entries:
        days.append(e.responsibility.since)
        if e.responsibility.until is not None:
            days.append(e.responsibility.until)
    for p in plans:
        days.extend(d for d in (p.valid_from, p.valid_until) if d is not None)
    days.extend(f.date for f in followups)
    first, last = min(days), max(days)
    return dt.date(first.year, 1, 1), dt.date(last.year + 1, 1, 1)


def build(
    entries: Sequence[lookup.HistoryEntry],
    handovers: Sequence[lookup.Handover],
    plans: Sequence[Plan],
    followups: Sequence[FollowUp],
    *,
    as_of: dt.date,
    labels: dict[str, str],
) -> Timeline:
    """The geometry for ``entries`` (owner/lead assignments), their handovers, plans and follow-ups.

    ``labels`` names the lanes (``owner``, ``lead``, ``plans``) and the marks (``handover``…) in the
    page's language. A handover is a change of holder: the first assignment of a role is not one.
    """
    start, end = _span(entries, plans, followups, as_of)
    total = max(1, (end - start).days)
    inner = WIDTH - LEFT - RIGHT

    def x(day: dt.date) -> float:
        return round(LEFT + inner * (day - start).days / total, 1)

    lane_y = {"owner": TOP, "lead": TOP + LANE, "plans": TOP + 2 * LANE}
    bars: list[Bar] = []
    for e in entries:
        r = e.responsibility
        y = lane_y.get(e.role)
        if y is None:
            continue
        until = r.until if r.until is not None else end
        x0, x1 = x(r.since), x(min(until + dt.timedelta(days=1), end))
        period = f"{r.since.isoformat()} – {r.until.isoformat() if r.until else ''}"
        bars.append(
            Bar(
                x0,
                y + 6,
                max(2.0, round(x1 - x0, 1)),
                LANE - 12,
                r.assignee.label,
                f"{labels[e.role]}: {r.assignee.label}, {period}",
                e.role,
                r.until is None,
            )
        )
    for p in plans:
        p_from = p.valid_from or start
        p_until = p.valid_until or end
        x0, x1 = x(p_from), x(min(p_until + dt.timedelta(days=1), end))
        period = (
            f"{p.valid_from.isoformat() if p.valid_from else ''} – {p.valid_until.isoformat() if p.valid_until else ''}"
        )
        bars.append(
            Bar(
                x0,
                lane_y["plans"] + 10,
                max(2.0, round(x1 - x0, 1)),
                LANE - 20,
                p.label,
                f"{labels['plan']}: {p.label}, {period}",
                "plan",
                p.valid_until is None,
            )
        )
    marks = [
        Mark(
            x(h.date),
            lane_y.get(h.role, TOP),
            f"{labels['handover']} {h.date.isoformat()}: {h.previous.label if h.previous else ''} → {h.to.label}",
            h.role,
        )
        for h in handovers
        if h.previous is not None and h.role in ("owner", "lead")
    ]
    follow_marks = [
        Mark(
            x(f.date),
            lane_y["plans"] + LANE / 2,
            f"{labels['followup']} {f.date.isoformat()}: {f.label}" + (f" ({', '.join(f.bases)})" if f.bases else ""),
            "followup",
        )
        for f in followups
    ]
    axis_y = TOP + 3 * LANE + 4
    ticks = [Tick(x(dt.date(year, 1, 1)), str(year)) for year in range(start.year, end.year + 1)]
    today_x = x(as_of) if start <= as_of <= end else None
    lanes = tuple((labels[name], y + LANE / 2) for name, y in lane_y.items())
    return Timeline(
        width=WIDTH,
        height=int(axis_y + AXIS),
        lanes=lanes,
        bars=tuple(bars),
        handovers=tuple(marks),
        followups=tuple(follow_marks),
        ticks=tuple(ticks),
        today_x=today_x,
        axis_y=axis_y,
        plan_count=len(plans),
    )


def plans_and_followups(rows: Sequence[dict[str, str]]) -> tuple[list[Plan], list[FollowUp]]:
    """Plans and follow-ups from the rows of ``sparql/relationship-plans.rq``."""
    from crmkg.web.data import date_or_none

    plans: dict[str, Plan] = {}
    follow: dict[str, dict[str, object]] = {}
    for row in rows:
        plan = row["plan"]
        if plan not in plans:
            plans[plan] = Plan(
                plan,
                row.get("planLabel") or lookup.local_name(plan),
                date_or_none(row.get("validFrom")),
                date_or_none(row.get("validUntil")),
            )
        iri = row.get("followUp")
        day = date_or_none(row.get("date"))
        if iri is None or day is None:
            continue
        item = follow.setdefault(
            iri, {"label": row.get("followUpLabel") or lookup.local_name(iri), "date": day, "plan": plan, "bases": []}
        )
        basis = row.get("basisLabel") or (lookup.local_name(row["basis"]) if "basis" in row else None)
        bases = item["bases"]
        assert isinstance(bases, list)
        if basis and basis not in bases:
            bases.append(basis)
    followups = [
        FollowUp(iri, str(v["label"]), v["date"], str(v["plan"]), tuple(v["bases"]))  # type: ignore[arg-type]
        for iri, v in follow.items()
    ]
    followups.sort(key=lambda f: (f.date, f.iri))
    return list(plans.values()), followups
