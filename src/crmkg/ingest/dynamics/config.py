"""The Dynamics 365 mapping tables and options: defaults as data, overridable in ``[dynamics]``."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field

from crmkg.ingest.config_base import AKJ, READ_KEYS, PicklistMap, ReadOptions, Section, picklist

DEFAULT_BASE = "https://example.org/dynamics/"
#: ``team``: a team-owned account is owned by the team; ``business-unit``: also the owning
#: business unit owns the others (the nearest thing Dataverse has to unit-level ownership).
OWNER_MODES = ("none", "team", "business-unit")
_CR = AKJ + "CustomerRelationship"

#: account.customertypecode ("Relationship Type"; label or the default option value) → class.
DEFAULT_RELATIONSHIP_TYPES: Mapping[str, str | None] = {
    "Customer": _CR,
    "3": _CR,
    **dict.fromkeys(
        (
            "Competitor",
            "Consultant",
            "Investor",
            "Partner",
            "Influencer",
            "Press",
            "Prospect",
            "Reseller",
            "Supplier",
            "Vendor",
            "1",
            "2",
            "4",
            "5",
            "6",
            "7",
            "8",
            "9",
            "10",
            "11",
        ),
        None,
    ),
}
#: Connection role of a user on an account → responsibility role (like Salesforce's account team).
DEFAULT_CONNECTION_ROLES: Mapping[str, str | None] = {
    "Account Manager": AKJ + "LeadRole",
    "Executive Sponsor": AKJ + "OwnerRole",
}
#: Connection role of a contact on an account → customer capacity.
DEFAULT_CONTACT_ROLES: Mapping[str, str | None] = {
    "Decision Maker": AKJ + "hasNegotiatingPartner",
    "Economic Buyer": AKJ + "hasPayer",
    "Buyer": AKJ + "hasPayer",
    "Business User": AKJ + "hasUser",
    "User": AKJ + "hasUser",
}


@dataclass(frozen=True)
class DynamicsConfig:
    base: str = DEFAULT_BASE
    export_date: dt.date | None = None
    #: The role a user owner (ownerid → systemuser) gets: the lead by default.
    owner_role: str = AKJ + "LeadRole"
    owner: str = "team"
    account_party_property: str = AKJ + "involvesCustomerParty"
    relationship_types: PicklistMap = field(default_factory=lambda: picklist(DEFAULT_RELATIONSHIP_TYPES, _CR))
    connection_roles: PicklistMap = field(
        default_factory=lambda: picklist(DEFAULT_CONNECTION_ROLES, AKJ + "TeamMemberRole")
    )
    contact_roles: PicklistMap = field(
        default_factory=lambda: picklist(DEFAULT_CONTACT_ROLES, AKJ + "involvesCustomerParty")
    )
    read: ReadOptions = field(default_factory=ReadOptions)


def dynamics_config(section: Section, d: DynamicsConfig) -> DynamicsConfig:
    section.check_keys(
        {
            "base",
            "export_date",
            "owner_role",
            "owner",
            "account_party_property",
            "relationship_types",
            "connection_roles",
            "contact_roles",
            *READ_KEYS,
        }
    )
    return DynamicsConfig(
        base=section.base(d.base),
        export_date=section.date("export_date", d.export_date),
        owner_role=section.term("owner_role", d.owner_role),
        owner=section.choice("owner", OWNER_MODES, d.owner),
        account_party_property=section.term("account_party_property", d.account_party_property),
        relationship_types=section.picklist("relationship_types", d.relationship_types),
        connection_roles=section.picklist("connection_roles", d.connection_roles),
        contact_roles=section.picklist("contact_roles", d.contact_roles),
        read=section.read_options(d.read),
    )
