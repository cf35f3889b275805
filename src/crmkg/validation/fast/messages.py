"""Result messages: the shape's own ``sh:message`` (with ``{?var}`` filled in), else a generic one in fi and en."""

from __future__ import annotations

import re
from collections.abc import Mapping

from rdflib import Literal, URIRef

from crmkg.validation.fast.sparqltext import SH

_GENERIC: dict[str, tuple[str, str]] = {
    "Class": ("Arvo ei ole vaaditun luokan jäsen", "Value is not an instance of the required class"),
    "Datatype": ("Arvo ei ole vaaditun tietotyypin literaali", "Value is not a literal of the required datatype"),
    "NodeKind": ("Arvo on väärää solmutyyppiä", "Value is not of the required node kind"),
    "MinCount": ("Arvoja on liian vähän", "Fewer values than the minimum count"),
    "MaxCount": ("Arvoja on liian monta", "More values than the maximum count"),
    "MinExclusive": ("Arvo on liian pieni", "Value is not greater than the minimum"),
    "MinInclusive": ("Arvo on liian pieni", "Value is less than the minimum"),
    "MaxExclusive": ("Arvo on liian suuri", "Value is not less than the maximum"),
    "MaxInclusive": ("Arvo on liian suuri", "Value is greater than the maximum"),
    "MinLength": ("Arvo on liian lyhyt", "Value is shorter than the minimum length"),
    "MaxLength": ("Arvo on liian pitkä", "Value is longer than the maximum length"),
    "Pattern": ("Arvo ei vastaa vaadittua kaavaa", "Value does not match the pattern"),
    "LanguageIn": ("Arvon kieli ei ole sallittu", "Value's language is not allowed"),
    "UniqueLang": ("Samalla kielellä on useita arvoja", "More than one value in the same language"),
    "Equals": ("Arvojoukot eivät ole samat", "Values differ from those of the compared property"),
    "Disjoint": ("Arvo esiintyy myös verratussa ominaisuudessa", "Value also occurs in the compared property"),
    "LessThan": ("Arvo ei ole pienempi kuin verrattu arvo", "Value is not less than the compared value"),
    "LessThanOrEquals": (
        "Arvo on suurempi kuin verrattu arvo",
        "Value is not less than or equal to the compared value",
    ),
    "Not": ("Arvo täyttää muodon, jota sen ei pidä täyttää", "Value conforms to a shape it must not"),
    "And": ("Arvo ei täytä kaikkia muotoja", "Value does not conform to all of the shapes"),
    "Or": ("Arvo ei täytä yhtään muodoista", "Value conforms to none of the shapes"),
    "Xone": ("Arvo ei täytä täsmälleen yhtä muodoista", "Value does not conform to exactly one of the shapes"),
    "Node": ("Arvo ei täytä vaadittua muotoa", "Value does not conform to the required shape"),
    "QualifiedMinCount": ("Muodon täyttäviä arvoja on liian vähän", "Too few values conform to the shape"),
    "QualifiedMaxCount": ("Muodon täyttäviä arvoja on liian monta", "Too many values conform to the shape"),
    "Closed": ("Ominaisuus ei ole sallittu suljetussa muodossa", "Property is not allowed by the closed shape"),
    "HasValue": ("Vaadittu arvo puuttuu", "The required value is missing"),
    "In": ("Arvo ei ole sallittujen arvojen joukossa", "Value is not one of the allowed values"),
    "SPARQL": ("SPARQL-ehto ei täyty", "The SPARQL constraint is violated"),
}

_VAR = re.compile(r"\{[?$]([A-Za-z_][A-Za-z0-9_]*)\}")
#: Filled from the result itself, not from an extra column.
_RESULT_VARS = frozenset({"this", "value", "path"})


def template_variables(messages: tuple[Literal, ...]) -> list[str]:
    """The ``{?var}``/``{$var}`` names of ``messages`` other than this/value/path, sorted."""
    names = {m.group(1) for msg in messages for m in _VAR.finditer(str(msg))}
    return sorted(names - _RESULT_VARS)


def generic(component: URIRef) -> dict[str, str]:
    """fi and en text for a constraint component without a message of its own."""
    name = str(component).removeprefix(SH).removesuffix("ConstraintComponent")
    fi, en = _GENERIC.get(name, ("Muoto ei täyty", "The shape is not satisfied"))
    return {"fi": fi, "en": en}


def fill(messages: tuple[Literal, ...], bindings: Mapping[str, str]) -> dict[str, str]:
    """Messages by language tag, ``{?var}``/``{$var}`` replaced by the bound values (first per language)."""
    out: dict[str, str] = {}
    for msg in sorted(messages, key=str):
        text = _VAR.sub(lambda m: bindings.get(m.group(1), m.group(0)), str(msg))
        out.setdefault(msg.language or "", text)
    return out
