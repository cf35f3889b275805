"""Rewriting a SHACL-SPARQL ``sh:select`` so it runs for all focus nodes at once.

The reference engine runs the query once per focus node with ``$this`` pre-bound. Here ``$this``
becomes the variable ``?this`` and a pattern that binds it to every focus node is put first in the
outermost WHERE group: each ``FILTER NOT EXISTS { $this … }`` and ``OPTIONAL`` later in that group
then sees ``?this`` bound, as with pre-binding. The rewritten SELECT is used as a sub-query, so the
user's other variables stay inside it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from crmkg.validation.fast.sparqltext import Uncompilable

_PROLOGUE = re.compile(
    r"\A(?:\s+|#[^\n]*\n|PREFIX\s+([A-Za-z][\w.-]*)?:\s*<([^>]*)>|BASE\s*<[^>]*>)",
    re.IGNORECASE,
)
_THIS = re.compile(r"[$?]this\b")
_PATH = re.compile(r"[$?]PATH\b")
_FORBIDDEN = {
    "shapesGraph": re.compile(r"[$?]shapesGraph\b"),
    "currentShape": re.compile(r"[$?]currentShape\b"),
}
_SELECT_HEAD = re.compile(r"\A\s*SELECT\s+(DISTINCT\s+|REDUCED\s+)?", re.IGNORECASE)
_AGGREGATE = re.compile(r"\b(COUNT|SUM|MIN|MAX|AVG|SAMPLE|GROUP_CONCAT)\s*\(", re.IGNORECASE)
_GROUP_BY = re.compile(r"\bGROUP\s+BY\b", re.IGNORECASE)
_KEYWORDS = {
    "MINUS": re.compile(r"\bMINUS\s*\{", re.IGNORECASE),
    "VALUES": re.compile(r"(?<![\w:-])VALUES\s*[({?$]", re.IGNORECASE),
    "SERVICE": re.compile(r"\bSERVICE\s*[<?$]", re.IGNORECASE),
}


@dataclass(frozen=True)
class RewrittenSelect:
    """A user SELECT with its prologue split off and the focus pattern spliced in."""

    prefixes: dict[str, str]
    select: str


def split_prologue(text: str) -> tuple[dict[str, str], str]:
    """PREFIX declarations of ``text`` and the rest of the query."""
    prefixes: dict[str, str] = {}
    rest = text
    while True:
        m = _PROLOGUE.match(rest)
        if not m or m.end() == 0:
            return prefixes, rest
        if m.group(2) is not None:
            prefixes[m.group(1) or ""] = m.group(2)
        rest = rest[m.end() :]


def _mask(text: str) -> str:
    """``text`` with strings, IRIs and comments blanked out, so braces and names in them are ignored."""
    out = list(text)
    i, n = 0, len(text)
    while i < n:
        ch = text[i]
        if ch == "#":
            j = text.find("\n", i)
            j = n if j < 0 else j
            out[i:j] = " " * (j - i)
            i = j
        elif ch in "\"'":
            long = text.startswith(ch * 3, i)
            quote = ch * 3 if long else ch
            j = i + len(quote)
            while j < n and not text.startswith(quote, j):
                j += 2 if text[j] == "\\" else 1
            j = min(n, j + len(quote))
            out[i:j] = " " * (j - i)
            i = j
        elif ch == "<" and re.match(r"<[^\s<>\"{}|^`\\]*>", text[i:]):
            m = re.match(r"<[^\s<>\"{}|^`\\]*>", text[i:])
            assert m is not None
            j = i + m.end()
            out[i:j] = " " * (j - i)
            i = j
        else:
            i += 1
    return "".join(out)


def rewrite_select(text: str, focus: str, path_sparql: str | None) -> RewrittenSelect:
    """The query of ``text`` as a sub-query whose ``?this`` ranges over the solutions of ``focus``.

    ``focus`` is a group pattern that binds ``?this``; ``path_sparql`` replaces ``$PATH``.
    """
    prefixes, body = split_prologue(text)
    masked = _mask(body)
    for name, pattern in _FORBIDDEN.items():
        if pattern.search(masked):
            raise Uncompilable(f"the SPARQL constraint uses ${name}")
    for name, pattern in _KEYWORDS.items():
        if pattern.search(masked):
            raise Uncompilable(f"the SPARQL constraint uses {name}, which SHACL forbids there")
    if _PATH.search(masked) and path_sparql is None:
        raise Uncompilable("the SPARQL constraint uses $PATH but the shape has no path")
    head = _SELECT_HEAD.match(masked)
    if head is None:
        raise Uncompilable("the SPARQL constraint is not a SELECT query")
    brace = masked.find("{")
    if brace < 0:
        raise Uncompilable("the SPARQL constraint has no WHERE clause")
    projection = masked[head.end() : brace]
    has_group_by = bool(_GROUP_BY.search(masked))
    if _AGGREGATE.search(masked) and not has_group_by:
        raise Uncompilable("the SPARQL constraint aggregates without GROUP BY (one group per focus node)")
    if has_group_by and not _THIS.search(masked[masked.rfind("}") :]):
        raise Uncompilable("the SPARQL constraint groups without grouping by $this")
    # Rebuild from the original text at the masked positions.
    pieces = [body[: head.end()]]
    proj_text = body[head.end() : brace]
    if projection.strip() != "*" and not _THIS.search(projection):
        proj_text = " ?this " + proj_text
    pieces.append(proj_text)
    pieces.append("{ " + focus + " ")
    rest = body[brace + 1 :]
    rest_masked = masked[brace + 1 :]
    rest = _substitute(rest, rest_masked, _THIS, "?this")
    if path_sparql is not None:
        rest = _substitute(rest, _mask(rest), _PATH, path_sparql)
    pieces.append(rest)
    select = "".join(pieces)
    select = _substitute(select, _mask(select), _THIS, "?this")
    return RewrittenSelect(prefixes, select)


def _substitute(text: str, masked: str, pattern: re.Pattern[str], replacement: str) -> str:
    """Replace matches of ``pattern`` found in the masked text (so strings and IRIs are untouched)."""
    out: list[str] = []
    last = 0
    for m in pattern.finditer(masked):
        out.append(text[last : m.start()])
        out.append(replacement)
        last = m.end()
    out.append(text[last:])
    return "".join(out)
