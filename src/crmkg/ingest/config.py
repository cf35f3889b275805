"""Import configuration: the mapping tables as data, their defaults, and the TOML override file.

A config file only needs the keys it changes; tables merge over the defaults entry by entry
(matching picklist values case-insensitively). Values name akj terms by local name
(``LeadRole``), CURIE (``akj:LeadRole``, ``org:…``) or full IRI; ``none`` drops the row.
"""

from __future__ import annotations

import datetime as dt
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from types import MappingProxyType
from typing import Any

from crmkg.errors import UsageError

AKJ = "https://w3id.org/crmkg/akj#"
_CURIES = {
    "akj": AKJ,
    "org": "http://www.w3.org/ns/org#",
    "foaf": "http://xmlns.com/foaf/0.1/",
    "prov": "http://www.w3.org/ns/prov#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
}

DEFAULT_SALESFORCE_BASE = "https://example.org/salesforce/"
DEFAULT_HR_BASE = "https://example.org/hr/"
DEFAULT_PROVIDER = "https://example.org/salesforce/provider"

#: AccountTeamMember.TeamMemberRole → responsibility role (the issue's defaults).
DEFAULT_TEAM_ROLES: Mapping[str, str | None] = MappingProxyType(
    {
        "account manager": AKJ + "LeadRole",
        "executive sponsor": AKJ + "OwnerRole",
    }
)
#: AccountContactRelation.Roles / AccountContactRole.Role → customer-capacity property.
DEFAULT_CONTACT_ROLES: Mapping[str, str | None] = MappingProxyType(
    {
        "business user": AKJ + "hasUser",
        "decision maker": AKJ + "hasNegotiatingPartner",
        "economic decision maker": AKJ + "hasNegotiatingPartner",
        "evaluator": AKJ + "hasNegotiatingPartner",
        "economic buyer": AKJ + "hasPayer",
    }
)
#: Account.Type → relationship class: Salesforce's standard values, all customer relationships.
_STANDARD_ACCOUNT_TYPES = (
    "prospect",
    "customer - direct",
    "customer - channel",
    "channel partner / reseller",
    "installation partner",
    "technology partner",
    "other",
    "",
)
DEFAULT_ACCOUNT_TYPES: Mapping[str, str | None] = MappingProxyType(
    dict.fromkeys(_STANDARD_ACCOUNT_TYPES, AKJ + "CustomerRelationship")
)
#: HR function column → akj:FunctionType individual (English, Finnish and local names).
DEFAULT_FUNCTIONS: Mapping[str, str | None] = MappingProxyType(
    {
        key: AKJ + local
        for local, keys in {
            "MarketingFunction": ("marketing", "markkinointi"),
            "SalesFunction": ("sales", "myynti"),
            "SalesManagementFunction": ("sales management", "myyntijohto"),
            "CustomerServiceFunction": ("customer service", "asiakaspalvelu"),
            "FinanceFunction": ("finance", "talous"),
            "ProductFunction": ("product", "product development", "tuote- ja palvelukehitys", "tuotekehitys"),
            "BusinessManagementFunction": ("business management", "liiketoimintajohto"),
            "GroupManagementFunction": ("group management", "konsernijohto"),
        }.items()
        for key in (*keys, local.lower())
    }
)


@dataclass(frozen=True)
class Provider:
    """The importing organisation: the provider side of every generated relationship."""

    iri: str = DEFAULT_PROVIDER
    name: str | None = None


@dataclass(frozen=True)
class PicklistMap:
    """A vendor picklist value → IRI table with a default for values it does not name."""

    table: Mapping[str, str | None]
    default: str | None

    def lookup(self, value: str) -> tuple[str | None, bool]:
        """``(iri or None to drop, whether the table named the value)``."""
        key = value.strip().casefold()
        if key in self.table:
            return self.table[key], True
        return self.default, False


@dataclass(frozen=True)
class OrgChartConfig:
    base: str = DEFAULT_HR_BASE
    export_date: dt.date | None = None
    functions: PicklistMap = field(default_factory=lambda: PicklistMap(DEFAULT_FUNCTIONS, None))


@dataclass(frozen=True)
class SalesforceConfig:
    base: str = DEFAULT_SALESFORCE_BASE
    export_date: dt.date | None = None
    #: The role Account.OwnerId (and its AccountHistory) maps to (decision 3: the lead).
    owner_role: str = AKJ + "LeadRole"
    #: How the account organisation itself takes part in its relationship.
    account_party_property: str = AKJ + "involvesCustomerParty"
    team_roles: PicklistMap = field(default_factory=lambda: PicklistMap(DEFAULT_TEAM_ROLES, AKJ + "TeamMemberRole"))
    contact_roles: PicklistMap = field(
        default_factory=lambda: PicklistMap(DEFAULT_CONTACT_ROLES, AKJ + "involvesCustomerParty")
    )
    #: Account.Type → relationship class (``none``: the account gets no relationship).
    account_types: PicklistMap = field(
        default_factory=lambda: PicklistMap(DEFAULT_ACCOUNT_TYPES, AKJ + "CustomerRelationship")
    )
    #: An HR org chart whose people the Salesforce users are linked to (by e-mail/employee no.).
    orgchart: Path | None = None


@dataclass(frozen=True)
class ImportConfig:
    provider: Provider = field(default_factory=Provider)
    salesforce: SalesforceConfig = field(default_factory=SalesforceConfig)
    orgchart: OrgChartConfig = field(default_factory=OrgChartConfig)


def resolve_term(value: str, where: str) -> str | None:
    """Expand ``LeadRole`` / ``akj:LeadRole`` / a full IRI; ``none`` → None."""
    text = value.strip()
    if text.casefold() == "none":
        return None
    if "://" in text:
        return text
    prefix, sep, local = text.partition(":")
    if sep:
        if prefix not in _CURIES:
            raise UsageError(f"{where}: unknown prefix {prefix!r} in {value!r}")
        return _CURIES[prefix] + local
    if not text or not text.replace("_", "").replace("-", "").isalnum():
        raise UsageError(f"{where}: {value!r} is not a term name, CURIE or IRI")
    return AKJ + text


def load_config(path: Path | None) -> ImportConfig:
    """The defaults, overridden by the TOML file at ``path`` if given."""
    config = ImportConfig()
    if path is None:
        return config
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise UsageError(f"{path}: cannot read the config file: {exc.strerror}") from None
    except tomllib.TOMLDecodeError as exc:
        raise UsageError(f"{path}: not valid TOML: {exc}") from None
    return apply_overrides(config, data, str(path), path.parent)


def apply_overrides(config: ImportConfig, data: Mapping[str, Any], where: str, relative_to: Path) -> ImportConfig:
    """Merge a parsed config document over ``config``; unknown keys are errors (typos)."""
    _check_keys(data, {"provider", "salesforce", "orgchart"}, where)
    provider = config.provider
    if "provider" in data:
        section = _section(data, "provider", where)
        _check_keys(section, {"iri", "name"}, f"{where} [provider]")
        provider = Provider(
            iri=_string(section, "iri", where, provider.iri),
            name=_string(section, "name", where, provider.name or "") or None,
        )
    sf = config.salesforce
    if "salesforce" in data:
        section = _section(data, "salesforce", where)
        w = f"{where} [salesforce]"
        _check_keys(
            section,
            {
                "base",
                "export_date",
                "owner_role",
                "account_party_property",
                "team_roles",
                "contact_roles",
                "account_types",
                "orgchart",
            },
            w,
        )
        orgchart = sf.orgchart
        if "orgchart" in section:
            orgchart = relative_to / _string(section, "orgchart", w, "")
        sf = replace(
            sf,
            base=_base(section, w, sf.base),
            export_date=_date(section, w, sf.export_date),
            owner_role=_term(section, "owner_role", w, sf.owner_role),
            account_party_property=_term(section, "account_party_property", w, sf.account_party_property),
            team_roles=_picklist(section, "team_roles", w, sf.team_roles),
            contact_roles=_picklist(section, "contact_roles", w, sf.contact_roles),
            account_types=_picklist(section, "account_types", w, sf.account_types),
            orgchart=orgchart,
        )
    hr = config.orgchart
    if "orgchart" in data:
        section = _section(data, "orgchart", where)
        w = f"{where} [orgchart]"
        _check_keys(section, {"base", "export_date", "functions"}, w)
        hr = replace(
            hr,
            base=_base(section, w, hr.base),
            export_date=_date(section, w, hr.export_date),
            functions=_picklist(section, "functions", w, hr.functions),
        )
    return ImportConfig(provider=provider, salesforce=sf, orgchart=hr)


def _check_keys(data: Mapping[str, Any], known: set[str], where: str) -> None:
    unknown = sorted(set(data) - known)
    if unknown:
        raise UsageError(f"{where}: unknown key(s) {', '.join(unknown)} (known: {', '.join(sorted(known))})")


def _section(data: Mapping[str, Any], key: str, where: str) -> Mapping[str, Any]:
    value = data[key]
    if not isinstance(value, dict):
        raise UsageError(f"{where}: [{key}] must be a table")
    return value


def _string(data: Mapping[str, Any], key: str, where: str, default: str) -> str:
    value = data.get(key, default)
    if not isinstance(value, str):
        raise UsageError(f"{where}: {key} must be a string")
    return value


def _term(data: Mapping[str, Any], key: str, where: str, default: str) -> str:
    if key not in data:
        return default
    iri = resolve_term(_string(data, key, where, ""), f"{where} {key}")
    if iri is None:
        raise UsageError(f"{where}: {key} cannot be none")
    return iri


def _base(data: Mapping[str, Any], where: str, default: str) -> str:
    base = _string(data, "base", where, default)
    if "://" not in base or base[-1] not in "/#":
        raise UsageError(f"{where}: base must be an absolute IRI ending in '/' or '#': {base!r}")
    return base


def _date(data: Mapping[str, Any], where: str, default: dt.date | None) -> dt.date | None:
    value = data.get("export_date", default)
    if value is None or (isinstance(value, dt.date) and not isinstance(value, dt.datetime)):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            pass
    raise UsageError(f"{where}: export_date must be a date (YYYY-MM-DD)")


def _picklist(data: Mapping[str, Any], key: str, where: str, base: PicklistMap) -> PicklistMap:
    if key not in data:
        return base
    section = _section(data, key, where)
    table = dict(base.table)
    default = base.default
    for value, target in section.items():
        if not isinstance(target, str):
            raise UsageError(f"{where}.{key}: the value for {value!r} must be a string")
        iri = resolve_term(target, f"{where}.{key} {value!r}")
        if value == "default":
            default = iri
        else:
            table[value.strip().casefold()] = iri
    return PicklistMap(MappingProxyType(table), default)
