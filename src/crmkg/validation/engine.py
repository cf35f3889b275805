"""The seam between "what to validate" and "how": the engine protocol and the engine registry.

An engine takes the data (a :class:`~crmkg.store.Store` or an rdflib graph; the ontology is
already in it) and a shapes graph whose date placeholders are already substituted (see
:mod:`crmkg.validation.parameters`), and returns a :class:`ValidationReport`. It does not load
files, does not attach file locations, does not choose output formats: :func:`crmkg.validation.validate`
does all that around it, so every engine gets the same CLI, formats, baseline and locations.

Engines are found by name. The built-in ones are imported when first asked for (pyshacl is heavy,
and ``import crmkg`` stays light); engines from elsewhere join with :func:`register_engine`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol, runtime_checkable

from rdflib import Graph

from crmkg.errors import UsageError, ValidationError
from crmkg.store import Store
from crmkg.validation.parameters import ValidationParameters
from crmkg.validation.profile import Profile
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
    Results carry ``location=None``; the caller fills locations in. With ``profile``, the engine
    records its phases (and may record each check) there; it is passed only when profiling.
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
        profile: Profile | None = None,
    ) -> ValidationReport: ...


EngineFactory = Callable[[], ValidationEngine]


def _fast() -> EngineFactory:
    # Imported here, not at the top: crmkg.validation.fast.engine imports this module.
    from crmkg.validation.fast import FastEngine

    return FastEngine


def _pyshacl() -> EngineFactory:
    from crmkg.validation.pyshacl_engine import PyshaclEngine

    return PyshaclEngine


#: Built-in engines: name → the function that imports the engine's class.
_BUILTIN: dict[str, Callable[[], EngineFactory]] = {"pyshacl": _pyshacl, "fast": _fast}
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
        raise ValidationError(f"validation engine {name!r} cannot be imported: {exc}") from exc


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
