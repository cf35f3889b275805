"""Value type constraints: ``sh:class``, ``sh:datatype``, ``sh:nodeKind``."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rdflib import URIRef
from rdflib.namespace import RDF, RDFS, XSD

from crmkg.validation.fast.constraints.base import Handler, Stack, Violation, per_value
from crmkg.validation.fast.shapes import ShapeView, sh
from crmkg.validation.fast.sparqltext import Uncompilable, iri

if TYPE_CHECKING:
    from crmkg.validation.fast.compiler import Compiler

#: Datatypes whose lexical space the store can check by casting (an ill-typed literal fails the cast).
_CASTABLE = {
    XSD.integer: "xsd:integer",
    XSD.decimal: "xsd:decimal",
    XSD.double: "xsd:double",
    XSD.float: "xsd:float",
    XSD.boolean: "xsd:boolean",
    XSD.date: "xsd:date",
    XSD.dateTime: "xsd:dateTime",
    XSD.time: "xsd:time",
}
#: Datatypes the Oxigraph store rewrites on load (e.g. "5"^^xsd:int is stored as xsd:integer),
#: so sh:datatype on them cannot be checked against the store.
CANONICALISED = {
    XSD.int, XSD.long, XSD.short, XSD.byte, XSD.nonNegativeInteger, XSD.positiveInteger,
    XSD.nonPositiveInteger, XSD.negativeInteger, XSD.unsignedInt, XSD.unsignedLong,
    XSD.unsignedShort, XSD.unsignedByte,
}  # fmt: skip

_KINDS = {
    "IRI": "isIRI($v)",
    "BlankNode": "isBlank($v)",
    "Literal": "isLiteral($v)",
    "BlankNodeOrIRI": "(isBlank($v) || isIRI($v))",
    "BlankNodeOrLiteral": "(isBlank($v) || isLiteral($v))",
    "IRIOrLiteral": "(isIRI($v) || isLiteral($v))",
}


def class_(c: Compiler, shape: ShapeView, focus: str, f: str, stack: Stack) -> list[Violation]:
    out = []
    for cls in shape.values(sh("class")):
        vp, v = c.values(shape, f)
        pattern = f"{focus} {vp} FILTER NOT EXISTS {{ {c.instance_test(v, [cls])} }}"
        out.append(Violation(sh("ClassConstraintComponent"), pattern, value=v))
    return out


def datatype(c: Compiler, shape: ShapeView, focus: str, f: str, stack: Stack) -> list[Violation]:
    out = []
    for dt in shape.values(sh("datatype")):
        if not isinstance(dt, URIRef):
            raise Uncompilable(f"{shape.label}: sh:datatype {dt.n3()} is not an IRI")
        if dt in CANONICALISED:
            raise Uncompilable(f"{shape.label}: sh:datatype {dt.n3()} (the store canonicalises it to xsd:integer)")
        if dt == RDF.langString:
            cond = '(isLiteral($v) && LANG($v) != "")'
        elif dt == RDFS.Literal:
            cond = "isLiteral($v)"
        elif dt == RDFS.Datatype:
            cond = 'isLiteral($v) && LANG($v) = ""'
        else:
            cond = f"(isLiteral($v) && sameTerm(DATATYPE($v), {iri(str(dt))}))"
            if dt in _CASTABLE:
                # A cast of an ill-typed literal is an error; COALESCE turns it into a non-literal
                # (an IRI constant: Virtuoso 7 has no BNODE(), SP031).
                cond = f"({cond} && isLiteral(COALESCE({iri(str(dt))}($v), {iri(str(RDF.nil))})))"
        out.append(per_value(c, shape, focus, f, "Datatype", cond))
    return out


def node_kind(c: Compiler, shape: ShapeView, focus: str, f: str, stack: Stack) -> list[Violation]:
    out = []
    for kind in shape.values(sh("nodeKind")):
        name = str(kind).removeprefix(str(sh("")))
        if name not in _KINDS:
            raise Uncompilable(f"{shape.label}: unknown sh:nodeKind {kind.n3()}")
        out.append(per_value(c, shape, focus, f, "NodeKind", _KINDS[name]))
    return out


HANDLERS: dict[URIRef, Handler] = {
    sh("class"): class_,
    sh("datatype"): datatype,
    sh("nodeKind"): node_kind,
}
