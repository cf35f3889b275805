"""Import configuration: the mapping tables as data, their defaults, and the TOML override file.

A config file only needs the keys it changes (see ``examples/*-export/crmkg-import.toml``):
``[provider]``, one section per source (``[salesforce]``, ``[orgchart]``…) with its own tables.
"""

from __future__ import annotations

import datetime as dt
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from crmkg.errors import UsageError
from crmkg.ingest.config_base import AKJ, READ_KEYS, PicklistMap, Provider, ReadOptions, Section, picklist
from crmkg.ingest.dynamics.config import DynamicsConfig, dynamics_config
from crmkg.ingest.hubspot.config import HubSpotConfig, hubspot_config
from crmkg.ingest.salesforce.config import SalesforceConfig, salesforce_config

DEFAULT_HR_BASE = "https://example.org/hr/"

#: HR function column → akj:FunctionType individual (English, Finnish and local names).
DEFAULT_FUNCTIONS: Mapping[str, str | None] = {
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


@dataclass(frozen=True)
class OrgChartConfig:
    base: str = DEFAULT_HR_BASE
    export_date: dt.date | None = None
    functions: PicklistMap = field(default_factory=lambda: picklist(DEFAULT_FUNCTIONS, None))
    read: ReadOptions = field(default_factory=ReadOptions)


@dataclass(frozen=True)
class ImportConfig:
    provider: Provider = field(default_factory=Provider)
    salesforce: SalesforceConfig = field(default_factory=SalesforceConfig)
    hubspot: HubSpotConfig = field(default_factory=HubSpotConfig)
    dynamics: DynamicsConfig = field(default_factory=DynamicsConfig)
    orgchart: OrgChartConfig = field(default_factory=OrgChartConfig)


def load_config(path: Path | None) -> ImportConfig:
    """The defaults, overridden by the TOML file at ``path`` if given."""
    config = ImportConfig()
    if path is None:
        return config
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise UsageError(key="error.ingest_config_unreadable", path=path, reason=exc.strerror) from None
    except UnicodeDecodeError:
        raise UsageError(key="error.ingest_config_not_utf8", path=path) from None
    except tomllib.TOMLDecodeError as exc:
        raise UsageError(key="error.not_toml", where=path, problem=exc) from None
    return apply_overrides(config, data, str(path), path.parent)


def apply_overrides(config: ImportConfig, data: Mapping[str, Any], where: str, relative_to: Path) -> ImportConfig:
    """Merge a parsed config document over ``config``; unknown keys are errors (typos)."""
    root = Section(data, where, relative_to)
    root.check_keys({"provider", "salesforce", "hubspot", "dynamics", "orgchart"})
    provider = config.provider
    if (section := Section.of(root, "provider")) is not None:
        section.check_keys({"iri", "name"})
        provider = Provider(
            iri=section.string("iri", provider.iri), name=section.string("name", provider.name or "") or None
        )
    sf = config.salesforce
    if (section := Section.of(root, "salesforce")) is not None:
        sf = salesforce_config(section, sf)
    hs = config.hubspot
    if (section := Section.of(root, "hubspot")) is not None:
        hs = hubspot_config(section, hs)
    dyn = config.dynamics
    if (section := Section.of(root, "dynamics")) is not None:
        dyn = dynamics_config(section, dyn)
    hr = config.orgchart
    if (section := Section.of(root, "orgchart")) is not None:
        section.check_keys({"base", "export_date", "functions", *READ_KEYS})
        hr = OrgChartConfig(
            base=section.base(hr.base),
            export_date=section.date("export_date", hr.export_date),
            functions=section.picklist("functions", hr.functions),
            read=section.read_options(hr.read),
        )
    return ImportConfig(provider=provider, salesforce=sf, hubspot=hs, dynamics=dyn, orgchart=hr)
