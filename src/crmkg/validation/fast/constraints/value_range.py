"""Value range constraints: ``sh:minExclusive``, ``sh:minInclusive``, ``sh:maxExclusive``, ``sh:maxInclusive``."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rdflib import Literal, URIRef
from rdflib.namespace import XSD

from crmkg.validation.fast.constraints.base import Handler, Stack, Violation, capitalised, per_value
from crmkg.validation.fast.constraints.value_type import CANONICALISED
from crmkg.validation.fast.shapes import ShapeView, sh
from crmkg.validation.fast.sparqltext import Uncompilable, term

if TYPE_CHECKING:
    from crmkg.validation.fast.compiler import Compiler


def _range(name: str, op: str) -> Handler:
    """The handler of ``sh:<name>``: values for which ``value op bound`` is not true."""

    def handler(c: Compiler, shape: ShapeView, focus: str, f: str, stack: Stack) -> list[Violation]:
        out = []
        for bound in shape.values(sh(name)):
            if not isinstance(bound, Literal):
                raise Uncompilable(f"{shape.label}: sh:{name} is not a literal")
            if bound.datatype in CANONICALISED:
                bound = Literal(str(bound), datatype=XSD.integer)
            cond = f"($v {op} {term(bound)})"
            if isinstance(bound.value, str) or bound.value is None:
                cond = f"(isLiteral($v) && {cond})"
            out.append(per_value(c, shape, focus, f, capitalised(name), cond))
        return out

    return handler


HANDLERS: dict[URIRef, Handler] = {
    sh("minExclusive"): _range("minExclusive", ">"),
    sh("minInclusive"): _range("minInclusive", ">="),
    sh("maxExclusive"): _range("maxExclusive", "<"),
    sh("maxInclusive"): _range("maxInclusive", "<="),
}
