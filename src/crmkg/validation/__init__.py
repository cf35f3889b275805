"""Validation of RDF data against the akj shapes, and the ontology's own QA.

The library entry point is :func:`validate`; engines implement :mod:`crmkg.validation.protocol`
and are found by name in :mod:`crmkg.validation.engine`; the typed report is in
:mod:`crmkg.validation.report`; output formats are in :mod:`crmkg.validation.formats`.

>>> from crmkg.validation import Severity
>>> Severity.WARNING < Severity.VIOLATION
True
"""

from __future__ import annotations

from crmkg.validation.engine import available_engines, get_engine, register_engine
from crmkg.validation.parameters import ValidationParameters
from crmkg.validation.protocol import ValidationEngine
from crmkg.validation.report import Severity, ValidationReport, ValidationResult
from crmkg.validation.run import load_shapes, validate, validate_graph

__all__ = [
    "Severity",
    "ValidationEngine",
    "ValidationParameters",
    "ValidationReport",
    "ValidationResult",
    "available_engines",
    "get_engine",
    "load_shapes",
    "register_engine",
    "validate",
    "validate_graph",
]
