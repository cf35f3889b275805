"""String-based constraints: ``sh:minLength``, ``sh:maxLength``, ``sh:pattern``, ``sh:languageIn``,
``sh:uniqueLang``."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rdflib import Literal, URIRef

from crmkg.validation.fast.constraints.base import Handler, Stack, Violation, capitalised, int_param, per_value
from crmkg.validation.fast.shapes import ShapeView, sh
from crmkg.validation.fast.sparqltext import Uncompilable, string

if TYPE_CHECKING:
    from crmkg.validation.fast.compiler import Compiler


def _length(name: str, op: str) -> Handler:
    """The handler of ``sh:<name>``: values whose string length does not satisfy ``op``."""

    def handler(c: Compiler, shape: ShapeView, focus: str, f: str, stack: Stack) -> list[Violation]:
        n = int_param(shape, name)
        if name == "minLength" and n == 0:
            return []
        return [per_value(c, shape, focus, f, capitalised(name), f"(!isBlank($v) && STRLEN(STR($v)) {op} {n})")]

    return handler


def pattern(c: Compiler, shape: ShapeView, focus: str, f: str, stack: Stack) -> list[Violation]:
    flags = shape.value(sh("flags"))
    flag_text = f", {string(str(flags))}" if flags is not None else ""
    out = []
    for pat in shape.values(sh("pattern")):
        cond = f"(!isBlank($v) && REGEX(STR($v), {string(str(pat))}{flag_text}))"
        out.append(per_value(c, shape, focus, f, "Pattern", cond))
    return out


def language_in(c: Compiler, shape: ShapeView, focus: str, f: str, stack: Stack) -> list[Violation]:
    out = []
    for lst in shape.values(sh("languageIn")):
        langs = [str(x).lower() for x in shape.list_items(lst)]
        if "*" in langs:
            cond = '(isLiteral($v) && LANG($v) != "")'
        else:
            options = ", ".join(string(x) for x in langs) or '""'
            cond = (
                f'(isLiteral($v) && LANG($v) != "" && (LCASE(LANG($v)) IN ({options}) '
                f'|| LCASE(STRBEFORE(CONCAT(LANG($v), "-"), "-")) IN ({options})))'
            )
        out.append(per_value(c, shape, focus, f, "LanguageIn", cond))
    return out


def unique_lang(c: Compiler, shape: ShapeView, focus: str, f: str, stack: Stack) -> list[Violation]:
    flag = shape.value(sh("uniqueLang"))
    if flag != Literal(True):  # only "true"^^xsd:boolean activates it ("1" does not)
        return []
    if not shape.is_property_shape:
        raise Uncompilable(f"{shape.label}: sh:uniqueLang on a node shape")
    vp1, a = c.values(shape, f)
    vp2, b = c.values(shape, f)
    pattern = (
        f"{focus} {vp1} {vp2} FILTER(!sameTerm({a}, {b}) && isLiteral({a}) && isLiteral({b}) "
        f'&& LANG({a}) != "" && LCASE(LANG({a})) = LCASE(LANG({b})))'
    )
    return [Violation(sh("UniqueLangConstraintComponent"), pattern)]


HANDLERS: dict[URIRef, Handler] = {
    sh("minLength"): _length("minLength", ">="),
    sh("maxLength"): _length("maxLength", "<="),
    sh("pattern"): pattern,
    sh("languageIn"): language_in,
    sh("uniqueLang"): unique_lang,
}
