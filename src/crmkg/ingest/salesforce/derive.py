"""Owners derived from the ``OwnerId`` user, for exports without account teams (most real ones).

``owner`` in ``[salesforce]`` chooses: ``none`` (only account-team roles mapped to OwnerRole
give owners), ``owner-role`` (the post of the OwnerId user's UserRole owns), ``manager`` (the
OwnerId user's manager owns), ``parent-role`` (the parent post of that role owns). A derived
owner starts with the current lead's assignment and is derived from the Account and User rows.
Accounts an account team already gives an owner keep it.
"""

from __future__ import annotations

from collections.abc import Sequence

from crmkg.ingest.config_base import AKJ
from crmkg.ingest.findings import FindingLog
from crmkg.ingest.iris import SalesforceIris
from crmkg.ingest.salesforce.config import SalesforceConfig
from crmkg.ingest.salesforce.people import People
from crmkg.ingest.salesforce.read import Account, SalesforceExport
from crmkg.ingest.staging import Assignment

OWNER = AKJ + "OwnerRole"


def derive_owners(
    export: SalesforceExport,
    sf: SalesforceConfig,
    ids: SalesforceIris,
    people: People,
    assignments: Sequence[Assignment],
    log: FindingLog,
) -> list[Assignment]:
    if sf.owner == "none":
        return []
    owned = {a.relationship for a in assignments if a.role == OWNER and a.end is None}
    current = {a.relationship: a for a in assignments if a.role == sf.owner_role and a.end is None}
    out: list[Assignment] = []
    without = 0
    for aid, acc in export.accounts.items():
        rel = ids.relationship(aid)
        lead = current.get(rel)
        if rel in owned or lead is None or acc.owner is None:
            continue
        assignee = _assignee(export, sf.owner, ids, people, acc)
        if assignee is None:
            without += 1
            continue
        records = (ids.record("Account", aid), ids.record("User", acc.owner))
        out.append(Assignment(ids.derived_owner(aid), rel, assignee, OWNER, lead.start, None, False, records))
    if without:
        log.add("no-derived-owner", export.file("Account"), None, "OwnerId", value=sf.owner, rows=without)
    return out


def _assignee(export: SalesforceExport, mode: str, ids: SalesforceIris, people: People, acc: Account) -> str | None:
    user = export.users.get(acc.owner or "")
    if user is None or not people.is_staff(user.id):
        return None
    if mode == "manager":
        manager = user.manager
        return people.iri.get(manager) if manager and people.is_staff(manager) else None
    role = export.roles.get(user.role or "")
    if role is None or role.portal:
        return None
    if mode == "owner-role":
        return ids.post(role.id)
    parent = export.roles.get(role.parent or "")
    return ids.post(parent.id) if parent is not None and not parent.portal else None
