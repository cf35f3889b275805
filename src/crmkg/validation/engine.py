"""The engine registry: validation engines found by name (``--engine``, ``engine=`` of the API).

The engine protocol is in :mod:`crmkg.validation.protocol`. Both built-in engines, the fast one and
pyshacl (the reference), are imported when first asked for: their compilers and SPARQL engines take
about a tenth of a second to import, which ``import crmkg`` and the verbs that do not validate need not
pay; listing them imports neither. Engines from elsewhere join with :func:`register_engine`.
"""

from __future__ import annotations

from collections.abc import Callable
from importlib.util import find_spec

from crmkg.errors import UsageError, ValidationError
from crmkg.validation.protocol import EngineFactory, ValidationEngine


def _fast() -> EngineFactory:
    from crmkg.validation.fast.engine import FastEngine  # its compiler is imported by the verbs that validate

    return FastEngine


def _pyshacl() -> EngineFactory:
    from crmkg.validation.pyshacl_engine import PyshaclEngine

    return PyshaclEngine


#: Built-in engines: name → the function that imports the engine's class.
_BUILTIN: dict[str, Callable[[], EngineFactory]] = {"pyshacl": _pyshacl, "fast": _fast}
#: The optional package a built-in engine needs: listing the engines asks only whether it is installed
#: (importing pyshacl and rdflib's SPARQL engine costs every ``crmkg`` start-up about 0.1 s).
_NEEDS = {"pyshacl": "pyshacl"}
_REGISTERED: dict[str, EngineFactory] = {}

DEFAULT_ENGINE = "fast"


def register_engine(name: str, factory: EngineFactory) -> None:
    """Make an engine available under ``name`` (replaces an earlier registration)."""
    _REGISTERED[name] = factory


def _resolve(name: str) -> EngineFactory | None:
    if name in _REGISTERED:
        return _REGISTERED[name]
    importer = _BUILTIN.get(name)
    if importer is None:
        return None
    try:
        return importer()
    except ImportError as exc:  # a dependency missing or broken: say which engine, loudly
        raise ValidationError(key="error.engine_import", name=name, problem=exc) from exc


def available_engines() -> list[str]:
    """Names of the engines that can be created here (registered, or built in with their package
    installed), the default first."""
    names = [DEFAULT_ENGINE, *sorted((set(_BUILTIN) | set(_REGISTERED)) - {DEFAULT_ENGINE})]
    return [n for n in names if n in _REGISTERED or n not in _NEEDS or find_spec(_NEEDS[n]) is not None]


def get_engine(name: str = DEFAULT_ENGINE) -> ValidationEngine:
    """The engine called ``name``; raises :class:`UsageError` for an unknown or unavailable one."""
    factory = _resolve(name)
    if factory is None:
        known = ", ".join(available_engines())
        raise UsageError(key="error.engine_unknown", name=name, known=known)
    engine = factory()
    if not isinstance(engine, ValidationEngine):
        raise ValidationError(key="error.engine_protocol", name=name)
    return engine
