"""The HubSpot mapping tables and options: defaults as data, overridable in ``[hubspot]``."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field

from crmkg.ingest.config_base import AKJ, READ_KEYS, PicklistMap, ReadOptions, Section, picklist

DEFAULT_BASE = "https://example.org/hubspot/"
OWNER_MODES = ("none", "team")

#: Lifecycle stage (internal value or label) → relationship class; customers and evangelists
#: are customer relationships, the marketing and sales stages before them are not.
_CUSTOMER = AKJ + "CustomerRelationship"
DEFAULT_LIFECYCLE_STAGES: Mapping[str, str | None] = {
    "customer": _CUSTOMER,
    "evangelist": _CUSTOMER,
    "subscriber": None,
    "lead": None,
    "marketingqualifiedlead": None,
    "marketing qualified lead": None,
    "salesqualifiedlead": None,
    "sales qualified lead": None,
    "opportunity": None,
    "other": None,
}


@dataclass(frozen=True)
class HubSpotConfig:
    base: str = DEFAULT_BASE
    export_date: dt.date | None = None
    #: The role the company owner gets (the lead by default).
    owner_role: str = AKJ + "LeadRole"
    #: ``team``: the company's HubSpot Team owns the relationship (an organisational unit).
    owner: str = "none"
    account_party_property: str = AKJ + "involvesCustomerParty"
    lifecycle_stages: PicklistMap = field(default_factory=lambda: picklist(DEFAULT_LIFECYCLE_STAGES, None))
    read: ReadOptions = field(default_factory=ReadOptions)


def hubspot_config(section: Section, hs: HubSpotConfig) -> HubSpotConfig:
    section.check_keys(
        {"base", "export_date", "owner_role", "owner", "account_party_property", "lifecycle_stages", *READ_KEYS}
    )
    return HubSpotConfig(
        base=section.base(hs.base),
        export_date=section.date("export_date", hs.export_date),
        owner_role=section.term("owner_role", hs.owner_role),
        owner=section.choice("owner", OWNER_MODES, hs.owner),
        account_party_property=section.term("account_party_property", hs.account_party_property),
        lifecycle_stages=section.picklist("lifecycle_stages", hs.lifecycle_stages),
        read=section.read_options(hs.read),
    )
