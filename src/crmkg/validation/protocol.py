"""The seam between "what to validate" and "how": the engine protocol every engine implements.

An engine takes the data (a :class:`~crmkg.store.Store` or an rdflib graph; the ontology is
already in it) and a shapes graph whose date placeholders are already substituted (see
:mod:`crmkg.validation.parameters`), and returns a :class:`ValidationReport`. It does not load
files, does not attach file locations, does not choose output formats: :func:`crmkg.validation.validate`
does all that around it, so every engine gets the same CLI, formats, baseline and locations.

This module names no engine, so engines import it and :mod:`crmkg.validation.engine` (which finds
them by name) imports the engines: the imports run one way.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol, runtime_checkable

from rdflib import Graph

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
