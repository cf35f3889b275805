"""The ``fast`` validation engine: SHACL compiled to set-based SPARQL that runs on the store.

Registered in :mod:`crmkg.validation.engine` as ``"fast"``; its reference engine (pyshacl unless
another is given) validates the shapes it cannot compile.
"""

from __future__ import annotations

from crmkg.validation.fast.compiler import Check, Fallback, Plan, compile_shapes
from crmkg.validation.fast.engine import FastEngine

__all__ = ["Check", "Fallback", "FastEngine", "Plan", "compile_shapes"]
