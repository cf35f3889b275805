"""Constraint handlers, one module per family (as SHACL's specification and pySHACL group them).

:data:`HANDLERS` maps each constraint parameter to the function that compiles it; the compiler
looks parameters up here and knows no handler by name. The order is the families' order, which
fixes the order of a shape's checks (and so the plan's text, deterministically).
"""

from __future__ import annotations

from rdflib import URIRef

from crmkg.validation.fast.constraints import (
    cardinality,
    logical,
    other,
    property_pair,
    shape_based,
    sparql,
    string_based,
    value_range,
    value_type,
)
from crmkg.validation.fast.constraints.base import Handler

HANDLERS: dict[URIRef, Handler] = {
    **value_type.HANDLERS,
    **cardinality.HANDLERS,
    **value_range.HANDLERS,
    **string_based.HANDLERS,
    **property_pair.HANDLERS,
    **logical.HANDLERS,
    **shape_based.HANDLERS,
    **other.HANDLERS,
    **sparql.HANDLERS,
}
