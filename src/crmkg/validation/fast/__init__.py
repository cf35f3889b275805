"""The ``fast`` validation engine: SHACL compiled to set-based SPARQL that runs on the store.

Registered in :mod:`crmkg.validation.engine` as ``"fast"`` (``crmkg.validation.fast:FastEngine``).
"""

from __future__ import annotations

from crmkg.validation.fast.compiler import Check, Fallback, Plan, compile_shapes
from crmkg.validation.fast.engine import FastEngine

__all__ = ["Check", "Fallback", "FastEngine", "Plan", "compile_shapes"]
