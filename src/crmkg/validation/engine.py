"""The seam between "what to validate" and "how": the engine protocol and the engine registry.

An engine takes the data (a :class:`~crmkg.store.Store` or an rdflib graph; the ontology is
already in it) and a shapes graph whose date placeholders are already substituted (see
:mod:`crmkg.validation.parameters`), and returns a :class:`ValidationReport`. It does not load
files, does not attach file locations, does not choose output formats: :func:`crmkg.validation.validate`
does all that around it, so every engine gets the same CLI, formats, baseline and locations.

Engines are found by name. Built-in names resolve lazily (``"module:attribute"``, the attribute
called with no arguments), so a missing optional engine costs nothing until it is asked for.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import Protocol, runtime_checkable

from rdflib import Graph

from crmkg.errors import UsageError, ValidationError
from crmkg.store import Store
from crmkg.validation.parameters import ValidationParameters
from crmkg.validation.report import ValidationReport

DataGraph = Store | Graph


@runtime_checkable
class ValidationEngine(Protocol):
    """A SHACL engine.

    ``preferred_backend`` is the store backend the engine reads fastest (``"memory"`` for rdflib
    based engines, ``"oxigraph"`` for SPARQL-on-store engines); :func:`crmkg.validation.validate`
    loads the data into such a store. ``validate`` must accept any :class:`Store` or an rdflib
    ``Graph``/``Dataset`` (converting if it must), must not modify ``data`` or ``shapes``, and
    raises :class:`~crmkg.errors.ValidationError` when it cannot run (bad shapes, engine failure).
    Results carry ``location=None``; the caller fills locations in.
    """

    @property
    def name(self) -> str: ...

    @property
    def preferred_backend(self) -> str: ...

    def validate(
        self,
        data: DataGraph,
        shapes: Graph,
        *,
        parameters: ValidationParameters,
    ) -> ValidationReport: ...


EngineFactory = Callable[[], ValidationEngine]

#: Built-in engines: name → "module:attribute" (a class or function taking no arguments).
_BUILTIN: dict[str, str] = {
    "pyshacl": "crmkg.validation.pyshacl_engine:PyshaclEngine",
    "fast": "crmkg.validation.fast:FastEngine",
}
_REGISTERED: dict[str, EngineFactory] = {}

DEFAULT_ENGINE = "fast"


def register_engine(name: str, factory: EngineFactory) -> None:
    """Make an engine available under ``name`` (replaces an earlier registration)."""
    _REGISTERED[name] = factory


def _resolve(name: str) -> EngineFactory | None:
    if name in _REGISTERED:
        return _REGISTERED[name]
    target = _BUILTIN.get(name)
    if target is None:
        return None
    module_name, _, attr = target.partition(":")
    try:
        module = importlib.import_module(module_name)
    except ImportError as exc:
        # Only "the engine module is not there" means unavailable; a broken engine must be loud.
        if exc.name is not None and module_name.startswith(exc.name):
            return None
        raise ValidationError(f"validation engine {name!r} cannot be imported: {exc}") from exc
    except Exception as exc:  # a half-written engine module must not break the others
        raise ValidationError(f"validation engine {name!r} cannot be imported: {exc}") from exc
    factory = getattr(module, attr, None)
    if factory is None:
        return None
    return factory  # type: ignore[no-any-return]


def available_engines() -> list[str]:
    """Names of the engines that can be created here, the default first."""
    names = [DEFAULT_ENGINE, *sorted((set(_BUILTIN) | set(_REGISTERED)) - {DEFAULT_ENGINE})]
    out = []
    for n in names:
        try:
            if _resolve(n) is not None:
                out.append(n)
        except ValidationError:
            continue
    return out


def get_engine(name: str = DEFAULT_ENGINE) -> ValidationEngine:
    """The engine called ``name``; raises :class:`UsageError` for an unknown or unavailable one."""
    factory = _resolve(name)
    if factory is None:
        known = ", ".join(available_engines())
        raise UsageError(f"unknown or unavailable validation engine {name!r}; available: {known}")
    engine = factory()
    if not isinstance(engine, ValidationEngine):
        raise ValidationError(f"validation engine {name!r} does not implement ValidationEngine")
    return engine
