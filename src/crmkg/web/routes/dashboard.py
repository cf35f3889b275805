"""The governance dashboard: the essay's questions as charts, each linked to its catalogue query."""

from __future__ import annotations

import datetime as dt
from collections import Counter

from fastapi import APIRouter, Request
from starlette.responses import Response

from crmkg import lookup
from crmkg.errors import NotFound
from crmkg.store.base import SelectResult, Store
from crmkg.web.charts import BarRow, Chart, bar_chart
from crmkg.web.common import PageRoute, as_of, language, web_state
from crmkg.web.data import plain
from crmkg.web.i18n import MESSAGES, message
from crmkg.web.ontodoc.model import default_ontology
from crmkg.web.render import render_page
from crmkg.web.state import WebState

router = APIRouter(route_class=PageRoute, include_in_schema=False)

#: chart → the catalogue query behind it
QUERIES = {
    "by_function": "cq-016-ownership-by-function",
    "missing": "cq-013-missing-owner-or-lead",
    "plan_gaps": "cq-019-plan-gaps",
    "bases": "cq-020-follow-up-basis-by-unit",
}


FOLLOW_UP_DAYS = 90  # the window of CQ19, as in crmkg validate --follow-up-days


def _rows(state: WebState, query_id: str, day: dt.date) -> list[dict[str, str]]:
    names = {p.name for p in state.catalogue.get(query_id).params}
    params: dict[str, dt.date] = {"asOf": day} if "asOf" in names else {}
    if "followUpSince" in names:
        params["followUpSince"] = day - dt.timedelta(days=FOLLOW_UP_DAYS)

    def run() -> list[dict[str, str]]:
        result = state.catalogue.run(query_id, state.api.store, params)
        assert isinstance(result, SelectResult)
        return [{k: plain(v) for k, v in row.items()} for row in result.dicts()]

    return run()


def _finding(code: str, lang: str) -> str:
    """CQ19's finding code in words (the code itself if the catalogue gains a new one)."""
    key = f"dash.finding.{code}"
    return message(key, lang) if key in MESSAGES else code


def _label(store: Store, iri: str, lang: str) -> str:
    try:
        return lookup.describe_resource(store, iri, lang=lang).label
    except NotFound:
        return lookup.local_name(iri)


@router.get("/ui/dashboard")
def dashboard(request: Request) -> Response:
    lang = language(request)
    state = web_state(request)
    day = as_of(request)
    # Whole-organisation aggregates: kept briefly, so a reload does not run them again.
    charts = state.answers.get(("dashboard", day, lang), lambda: _charts(state, day, lang))
    return render_page(request, lang, "dashboard.html", {"charts": charts, "as_of": day})


def _charts(state: WebState, day: dt.date, lang: str) -> list[tuple[str, Chart, str]]:
    store = state.api.store
    onto = default_ontology(state.api.settings.data_dir)
    charts: list[tuple[str, Chart, str]] = []

    by_function = [
        BarRow(
            onto.name(r["function"], lang) if "function" in r else message("dash.no_function", lang),
            (int(r["relationships"]),),
        )
        for r in _rows(state, QUERIES["by_function"], day)
    ]
    by_function.sort(key=lambda r: -r.values[0])
    charts.append(("by_function", bar_chart(message("dash.by_function", lang), by_function), QUERIES["by_function"]))

    missing = Counter(r["missingRole"] for r in _rows(state, QUERIES["missing"], day))
    missing_rows = [BarRow(onto.name(role, lang), (count,)) for role, count in sorted(missing.items())]
    charts.append(("missing", bar_chart(message("dash.missing", lang), missing_rows), QUERIES["missing"]))

    gaps = Counter(r["finding"] for r in _rows(state, QUERIES["plan_gaps"], day))
    gap_rows = [BarRow(_finding(finding, lang), (count,)) for finding, count in sorted(gaps.items())]
    charts.append(("plan_gaps", bar_chart(message("dash.plan_gaps", lang), gap_rows), QUERIES["plan_gaps"]))

    basis_rows = [
        BarRow(_label(store, r["unit"], lang), (int(r["financialFollowUps"]), int(r["analysisFollowUps"])))
        for r in _rows(state, QUERIES["bases"], day)
    ]
    basis_rows.sort(key=lambda r: r.label.casefold())
    series = (
        onto.name("https://w3id.org/crmkg/akj#FinancialResultBasis", lang),
        onto.name("https://w3id.org/crmkg/akj#CustomerAnalysisBasis", lang),
    )
    charts.append(("bases", bar_chart(message("dash.bases", lang), basis_rows, series), QUERIES["bases"]))
    return charts
