"""The owner/leads answer as ready JSON bytes, made in one place for every process that answers.

The hot lookups return ready JSON: FastAPI would otherwise validate the returned model against
``response_model`` again and serialise it, which cost about as much as the query. The lookup's
answers (dataclasses with the models' field names) are dumped as they are by a ``TypeAdapter``
(a tenth of building the models); the documented schema is still the routes' ``response_model``,
and the tests hold the two to the same JSON.

No FastAPI here: the lookup worker processes (:mod:`crmkg.api.sparql.worker`) import this module
to make the same bytes where the queries run, so a lookup costs one round trip to a worker.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Literal

from pydantic import TypeAdapter

from crmkg import lookup
from crmkg.api import schemas as s
from crmkg.lookup.queries import AccountableMemo
from crmkg.store import Store

Holders = Literal["owners", "leads"]


@dataclass(frozen=True)
class _OwnersBody:
    """The JSON of :class:`~crmkg.api.schemas.OwnersOut`, made of the lookup's own answers."""

    relationship: lookup.Party
    as_of: dt.date
    owners: list[lookup.Responsibility]
    explain: s.Explain | None


@dataclass(frozen=True)
class _LeadsBody:
    """The JSON of :class:`~crmkg.api.schemas.LeadsOut`, made of the lookup's own answers."""

    relationship: lookup.Party
    as_of: dt.date
    leads: list[lookup.Responsibility]
    explain: s.Explain | None


_OWNERS = TypeAdapter(_OwnersBody)
_LEADS = TypeAdapter(_LeadsBody)


def current_json(
    store: Store,
    holders: Holders,
    iri: str,
    day: dt.date,
    lang: str,
    trace: list[lookup.TracedQuery] | None = None,
    memo: AccountableMemo | None = None,
) -> bytes:
    """The ``OwnersOut``/``LeadsOut`` body for ``iri`` on ``day``; :class:`~crmkg.errors.NotFound`
    if it is not a customer relationship. With ``trace``, the queries run are listed in ``explain``;
    ``memo`` keeps who is accountable behind each assignee (only over a store that cannot change)."""
    rel, owners, leads = lookup.current_responsibilities(store, iri, day, lang=lang, trace=trace, memo=memo)
    explain = s.Explain.of(trace)
    if holders == "owners":
        return _OWNERS.dump_json(_OwnersBody(rel, day, owners, explain))
    return _LEADS.dump_json(_LeadsBody(rel, day, leads, explain))
