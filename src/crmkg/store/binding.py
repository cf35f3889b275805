"""Bind query parameters as a ``VALUES`` block at the start of the query's main group.

pyoxigraph's own substitution only accepts projected variables, and remote endpoints have no
binding API, so both backends use this: the values are serialised RDF terms (N-Triples syntax,
escaped by rdflib) placed in a ``VALUES`` data block, never as query text of the caller's choosing.
A VALUES block first in the group joins before the group's FILTERs, OPTIONALs and EXISTS tests run,
so a parameter used anywhere in the main group is bound. (A parameter used only inside a sub-SELECT
is not: sub-queries see only their own variables.)
"""

from __future__ import annotations

import re

from rdflib import BNode, Literal, URIRef

from crmkg.errors import BindingError, QuerySyntaxError
from crmkg.store.terms import Term

_VARNAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
# Tokens that may hide braces: comments, strings (long first), IRIs.
_SKIP = re.compile(
    r"""
      \#[^\n]*
    | '''(?:[^'\\]|\\.|'(?!''))*'''
    | \"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\"
    | '(?:[^'\\\n]|\\.)*'
    | "(?:[^"\\\n]|\\.)*"
    | <[^<>"{}|^`\\\x00-\x20]*>
    """,
    re.VERBOSE,
)
_CONSTRUCT_TEMPLATE = re.compile(r"\bCONSTRUCT\s*$", re.IGNORECASE)


def serialise_term(term: Term) -> str:
    """One RDF term in SPARQL syntax; refuses anything that is not a plain IRI or literal."""
    if isinstance(term, URIRef):
        text = str(term)
        if not text or any(c in text for c in '<>"{}|^`\\ \t\n\r'):
            raise BindingError(f"not a valid IRI: {text!r}")
        return f"<{text}>"
    if isinstance(term, Literal):
        return term.n3()
    if isinstance(term, BNode):
        raise BindingError("blank nodes cannot be bound as query parameters")
    raise BindingError(f"unsupported parameter value {term!r}")


def _main_group_start(query: str) -> int:
    """Index just after the ``{`` that opens the query's WHERE group."""
    depth = 0
    in_template = False
    pos = 0
    while pos < len(query):
        skip = _SKIP.match(query, pos)
        if skip:
            pos = skip.end()
            continue
        char = query[pos]
        if char == "{":
            if depth == 0 and not in_template and _CONSTRUCT_TEMPLATE.search(query[:pos]):
                in_template = True  # CONSTRUCT { template } WHERE { ... }: skip the template
            elif depth == 0 and not in_template:
                return pos + 1
            depth += 1
        elif char == "}":
            depth -= 1
            if depth == 0 and in_template:
                in_template = False
        pos += 1
    raise QuerySyntaxError("the query has no WHERE group to bind parameters in")


def bind_values(query: str, bindings: dict[str, Term]) -> str:
    """``query`` with a one-row ``VALUES`` block for ``bindings`` opening its main group.

    >>> bind_values("SELECT ?r WHERE { ?r ?p ?o }", {"o": URIRef("http://e/x")})
    'SELECT ?r WHERE { VALUES (?o) { (<http://e/x>) }  ?r ?p ?o }'
    """
    if not bindings:
        return query
    names = list(bindings)
    for name in names:
        if not _VARNAME.match(name):
            raise BindingError(f"not a SPARQL variable name: {name!r}")
    values = " ".join(serialise_term(bindings[n]) for n in names)
    block = f" VALUES ({' '.join('?' + n for n in names)}) {{ ({values}) }} "
    at = _main_group_start(query)
    return query[:at] + block + query[at:]
