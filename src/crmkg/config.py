"""Settings: one frozen object, built explicitly at the edges (CLI, API) — never at import time."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, fields
from pathlib import Path

from crmkg.errors import UsageError
from crmkg.language import check

ENV_PREFIX = "CRMKG_"


def _bool(name: str, value: str) -> bool:
    lowered = value.strip().lower()
    if lowered in ("1", "true", "yes", "on"):
        return True
    if lowered in ("0", "false", "no", "off", ""):
        return False
    raise UsageError(key="error.setting_bool", variable=f"{ENV_PREFIX}{name.upper()}", value=value)


@dataclass(frozen=True)
class Settings:
    """Everything configurable about crmkg. Field names map to ``CRMKG_<NAME>`` variables."""

    data_dir: Path | None = None
    store: str | None = None
    data: tuple[Path, ...] = ()
    host: str = "127.0.0.1"
    port: int = 8000
    #: CRMKG_LANG: the service's default language (fi or en); "" = the server's locale (crmkg.language)
    lang: str = ""
    query_timeout_s: float = 10.0
    max_rows: int = 10_000
    max_request_bytes: int = 10 * 1024 * 1024
    cors_origins: tuple[str, ...] = ()
    validate_token: str | None = None
    #: ready owner/lead answers kept per server process (read-only stores only; 0 = off)
    lookup_cache: int = 10_000
    #: /sparql: worker processes per server process (a warm spare is kept beside them)
    sparql_workers: int = 2
    #: /sparql: largest query text accepted, in bytes (checked before parsing)
    sparql_max_query_bytes: int = 256 * 1024
    #: /sparql: deepest nesting accepted (brackets, and operands chained by one operator)
    sparql_max_depth: int = 500
    #: /sparql: memory cap of each worker process in MiB (0 = none); a query over it gets 503
    sparql_worker_memory_mb: int = 2048
    #: /sparql: queries one client (by address) may run at once; more wait for their turn
    sparql_per_client: int = 1
    #: /sparql and whole-store questions (the ownership table): the nice value of their
    #: worker processes (0 = the server's own), so on a busy CPU the lookups' workers come first
    sparql_worker_nice: int = 10
    #: lookups, /relationships, /agents, /queries/* and pages: queries one client (by address) may run
    #: at once in their worker processes (per server process); more wait for their turn
    lookup_per_client: int = 1
    #: brackets, JSON objects/arrays or XML elements open at once in an RDF document (checked before parsing)
    max_nesting_depth: int = 64
    #: attributes of one RDF/XML element, and namespace declarations in scope
    max_xml_attributes: int = 256
    #: POST /validate: seconds one upload may take to parse and validate (its process is then killed)
    upload_timeout_s: float = 60.0
    #: POST /validate: uploads parsed and validated at once per server process (others wait their turn)
    upload_processes: int = 2

    def __post_init__(self) -> None:
        if self.lang:  # refused at start, not on every request
            object.__setattr__(self, "lang", check(self.lang, "CRMKG_LANG"))

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None, **overrides: object) -> Settings:
        """Settings from ``CRMKG_*`` variables, then explicit keyword overrides."""
        env = os.environ if environ is None else environ
        values: dict[str, object] = {}
        for f in fields(cls):
            raw = env.get(ENV_PREFIX + f.name.upper())
            if raw is None:
                continue
            values[f.name] = _convert(f.name, str(f.type), raw)
        values.update({k: v for k, v in overrides.items() if v is not None})
        return cls(**values)  # type: ignore[arg-type]


def _convert(name: str, type_name: str, raw: str) -> object:
    try:
        if type_name.startswith("Path"):
            return Path(raw)
        if type_name.startswith("tuple[Path"):
            return tuple(Path(p) for p in raw.split(os.pathsep) if p)
        if type_name.startswith("tuple[str"):
            return tuple(p.strip() for p in raw.split(",") if p.strip())
        if type_name == "int":
            value = int(raw)
            if value < 0:
                raise ValueError(f"must be 0 or more, not {value}")
            return value
        if type_name == "float":
            return float(raw)
        if type_name == "bool":
            return _bool(name, raw)
    except ValueError as exc:
        raise UsageError(key="error.setting_value", variable=f"{ENV_PREFIX}{name.upper()}", problem=exc) from exc
    return raw
