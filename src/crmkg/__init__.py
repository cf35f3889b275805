"""crmkg — a knowledge-graph and ontology toolkit for managing customer relationships.

The public API is what ``__all__`` lists; everything else may change. The catalogue, the store and
the errors are imported with the package; loading, the lookups, validation and ``create_app`` (which
needs the ``api`` extra) are imported when first used, so ``import crmkg`` — and every ``crmkg``
command, which imports it first — pays only for what it uses.

>>> import crmkg
>>> store = crmkg.open_store()
>>> len(store)
0
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from crmkg.catalogue import Catalogue
from crmkg.errors import CrmkgError
from crmkg.severity import Severity
from crmkg.store import Store, open_store

if TYPE_CHECKING:
    from crmkg.api import create_app
    from crmkg.loading import load
    from crmkg.lookup import ownership_table, relationship_answer
    from crmkg.validation import ValidationReport, validate

from crmkg._version import __version__

__all__ = [
    "Catalogue",
    "CrmkgError",
    "Severity",
    "Store",
    "ValidationReport",
    "__version__",
    "create_app",
    "load",
    "open_store",
    "ownership_table",
    "relationship_answer",
    "validate",
]


def __getattr__(name: str) -> Any:
    if name == "create_app":  # fastapi is optional
        from crmkg.api import create_app

        return create_app
    if name == "load":
        from crmkg.loading import load

        return load
    if name in ("ownership_table", "relationship_answer"):
        from crmkg import lookup

        return getattr(lookup, name)
    if name in ("ValidationReport", "validate"):
        from crmkg import validation

        return getattr(validation, name)
    raise AttributeError(f"module 'crmkg' has no attribute {name!r}")
