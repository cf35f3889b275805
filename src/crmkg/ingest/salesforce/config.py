"""The Salesforce mapping tables and options: defaults as data, overridable in ``[salesforce]``."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from crmkg.ingest.config_base import AKJ, READ_KEYS, PicklistMap, ReadOptions, Section, picklist

DEFAULT_BASE = "https://example.org/salesforce/"

#: How an account gets an owner when the export has no account team saying so (issue 11).
OWNER_DERIVATIONS = ("none", "owner-role", "manager", "parent-role")

#: AccountTeamMember.TeamMemberRole → responsibility role.
DEFAULT_TEAM_ROLES: Mapping[str, str | None] = {
    "Account Manager": AKJ + "LeadRole",
    "Executive Sponsor": AKJ + "OwnerRole",
}
#: AccountContactRelation.Roles / AccountContactRole.Role → customer-capacity property.
DEFAULT_CONTACT_ROLES: Mapping[str, str | None] = {
    "Business User": AKJ + "hasUser",
    "Decision Maker": AKJ + "hasNegotiatingPartner",
    "Economic Decision Maker": AKJ + "hasNegotiatingPartner",
    "Evaluator": AKJ + "hasNegotiatingPartner",
    "Economic Buyer": AKJ + "hasPayer",
}
#: Account.Type → relationship class. Customers are customer relationships; partners and
#: competitors are parties but no customer relationship; prospects only when configured;
#: any other value (and an empty one) counts as a customer, with a note.
DEFAULT_ACCOUNT_TYPES: Mapping[str, str | None] = {
    "Customer - Direct": AKJ + "CustomerRelationship",
    "Customer - Channel": AKJ + "CustomerRelationship",
    "Channel Partner / Reseller": None,
    "Installation Partner": None,
    "Technology Partner": None,
    "Partner": None,
    "Competitor": None,
    "Prospect": None,
}
#: User.UserType values of the provider's own staff (partner, portal, guest and system users are not).
DEFAULT_STAFF_USER_TYPES = ("Standard",)


@dataclass(frozen=True)
class SalesforceConfig:
    base: str = DEFAULT_BASE
    export_date: dt.date | None = None
    #: The role Account.OwnerId (and its AccountHistory) maps to (decision 3: the lead).
    owner_role: str = AKJ + "LeadRole"
    #: Who owns an account when no team member does: none, or derived from the OwnerId user.
    owner: str = "none"
    #: How the account organisation itself takes part in its relationship.
    account_party_property: str = AKJ + "involvesCustomerParty"
    team_roles: PicklistMap = field(default_factory=lambda: picklist(DEFAULT_TEAM_ROLES, AKJ + "TeamMemberRole"))
    contact_roles: PicklistMap = field(
        default_factory=lambda: picklist(DEFAULT_CONTACT_ROLES, AKJ + "involvesCustomerParty")
    )
    account_types: PicklistMap = field(
        default_factory=lambda: picklist(DEFAULT_ACCOUNT_TYPES, AKJ + "CustomerRelationship")
    )
    staff_user_types: tuple[str, ...] = DEFAULT_STAFF_USER_TYPES
    #: An HR org chart whose people the Salesforce users are linked to (by e-mail/employee no.).
    orgchart: Path | None = None
    read: ReadOptions = field(default_factory=ReadOptions)


def salesforce_config(section: Section, sf: SalesforceConfig) -> SalesforceConfig:
    section.check_keys(
        {
            "base",
            "export_date",
            "owner_role",
            "owner",
            "account_party_property",
            "team_roles",
            "contact_roles",
            "account_types",
            "staff_user_types",
            "orgchart",
            *READ_KEYS,
        }
    )
    return SalesforceConfig(
        base=section.base(sf.base),
        export_date=section.date("export_date", sf.export_date),
        owner_role=section.term("owner_role", sf.owner_role),
        owner=section.choice("owner", OWNER_DERIVATIONS, sf.owner),
        account_party_property=section.term("account_party_property", sf.account_party_property),
        team_roles=section.picklist("team_roles", sf.team_roles),
        contact_roles=section.picklist("contact_roles", sf.contact_roles),
        account_types=section.picklist("account_types", sf.account_types),
        staff_user_types=section.strings("staff_user_types", sf.staff_user_types),
        orgchart=section.path("orgchart", sf.orgchart),
        read=section.read_options(sf.read),
    )
