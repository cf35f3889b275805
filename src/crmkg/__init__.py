"""crmkg — a knowledge-graph and ontology toolkit for managing customer relationships.

The public API is what ``__all__`` lists; everything else may change.
"""

from __future__ import annotations

from crmkg.errors import CrmkgError
from crmkg.loading import load
from crmkg.lookup import ownership_table
from crmkg.store import Store, open_store

__version__ = "0.1.0"

__all__ = [
    "CrmkgError",
    "Store",
    "__version__",
    "load",
    "open_store",
    "ownership_table",
]
