"""crmkg — a knowledge-graph and ontology toolkit for managing customer relationships.

The public API is what ``__all__`` lists; everything else may change. ``create_app`` needs the
``api`` extra and is imported only when first used, so ``import crmkg`` stays light.

>>> import crmkg
>>> store = crmkg.open_store()
>>> len(store)
0
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from crmkg.catalogue import Catalogue
from crmkg.errors import CrmkgError
from crmkg.loading import load
from crmkg.lookup import ownership_table, relationship_answer
from crmkg.store import Store, open_store
from crmkg.validation import Severity, ValidationReport, validate

if TYPE_CHECKING:
    from crmkg.api import create_app

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
    if name == "create_app":  # fastapi is optional: import it only when asked for
        from crmkg.api import create_app

        return create_app
    raise AttributeError(f"module 'crmkg' has no attribute {name!r}")
