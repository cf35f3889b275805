"""Reading a SPARQL query's structure without a full parser: masked text and brace groups.

Strings, IRIs and comments are blanked out first, so braces, keywords and variable names inside
them are never mistaken for the query's own.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from crmkg.errors import QuerySyntaxError
from crmkg.sparql.lexer import read_token, skip_space
from crmkg.validation.fast.sparqltext import Uncompilable

FILTER = re.compile(r"\bFILTER\b", re.IGNORECASE)


@lru_cache(maxsize=4096)  # a shape's query is masked again at each step of its rewrite; the text decides all
def mask(text: str) -> str:
    """``text`` with strings, IRIs and comments blanked out, so braces and names in them are ignored.

    Read by the one SPARQL lexer (:mod:`crmkg.sparql.lexer`), so ``ex:a\\#`` is a name, not a name and
    a comment; a character no SPARQL token can start with is left as it is.
    """
    out = list(text)
    pos, n = 0, len(text)
    while pos < n:
        after_space = skip_space(text, pos)
        for i in range(pos, after_space):  # comments go, line breaks stay
            if text[i] not in "\r\n":
                out[i] = " "
        pos = after_space
        if pos >= n:
            break
        try:
            token = read_token(text, pos)
        except QuerySyntaxError:
            pos += 1
            continue
        if token.kind == "IRIREF" or token.kind.startswith("STRING_LITERAL"):
            out[token.start : token.end] = " " * (token.end - token.start)
        pos = max(token.end, pos + 1)
    return "".join(out)


@dataclass
class Group:
    open: int
    close: int
    kind: str  # "exists", "minus", "optional", "select" (wraps a sub-select) or "group"
    children: list[Group]


def groups(masked: str) -> list[Group]:
    """The brace groups of ``masked`` as a forest, each tagged with the keyword that opens it."""
    roots: list[Group] = []
    stack: list[Group] = []
    for i, ch in enumerate(masked):
        if ch == "{":
            before = masked[:i].rstrip()
            after = masked[i + 1 :].lstrip()
            if re.search(r"\bEXISTS$", before, re.IGNORECASE):
                kind = "exists"
            elif re.search(r"\bMINUS$", before, re.IGNORECASE):
                kind = "minus"
            elif re.search(r"\bOPTIONAL$", before, re.IGNORECASE):
                kind = "optional"
            elif re.match(r"SELECT\b", after, re.IGNORECASE):
                kind = "select"
            else:
                kind = "group"
            g = Group(i, -1, kind, [])
            (stack[-1].children if stack else roots).append(g)
            stack.append(g)
        elif ch == "}":
            if not stack:
                raise Uncompilable("the SPARQL constraint has unbalanced braces")
            stack.pop().close = i
    if stack:
        raise Uncompilable("the SPARQL constraint has unbalanced braces")
    return roots


def own_text(masked: str, g: Group) -> str:
    """The text of group ``g`` without its nested groups."""
    pos, text = g.open + 1, []
    for child in g.children:
        text.append(masked[pos : child.open])
        pos = child.close + 1
    text.append(masked[pos : g.close])
    return "".join(text)


#: Words that make a group more than triple patterns: a filter, a binding, a nested group or a sub-select.
_NOT_TRIPLES_ONLY = re.compile(r"\b(FILTER|BIND|OPTIONAL|UNION|VALUES|GRAPH|MINUS|SERVICE|SELECT)\b", re.IGNORECASE)
_OPTIONAL_BEFORE = re.compile(r"\bOPTIONAL\s*\Z", re.IGNORECASE)


def triples_only(masked: str, g: Group) -> bool:
    """Whether group ``g`` holds triple patterns and nothing else (no filter, binding, group or sub-select)."""
    return not g.children and not _NOT_TRIPLES_ONLY.search(own_text(masked, g))


def optional_keyword_start(masked: str, g: Group) -> int:
    """Where the ``OPTIONAL`` keyword that opens the optional group ``g`` starts."""
    keyword = _OPTIONAL_BEFORE.search(masked, 0, g.open)
    assert keyword is not None, "an optional group follows its keyword"
    return keyword.start()


def balanced_end(masked: str, start: int, open_ch: str, close_ch: str) -> int:
    """Index after the bracket that closes the one at ``start``."""
    depth = 0
    for i in range(start, len(masked)):
        if masked[i] == open_ch:
            depth += 1
        elif masked[i] == close_ch:
            depth -= 1
            if depth == 0:
                return i + 1
    raise Uncompilable("the SPARQL constraint has unbalanced brackets")


def filter_at(masked: str, i: int) -> re.Match[str] | None:
    """The FILTER keyword starting at ``i`` (not the tail of a longer name), if there is one."""
    m = FILTER.match(masked, i)
    if m and (i == 0 or not (masked[i - 1].isalnum() or masked[i - 1] in "_:?$")):
        return m
    return None


def filter_end(masked: str, start: int) -> int:
    """Index after the constraint of the FILTER keyword at ``start``."""
    i = start + len("FILTER")
    while i < len(masked) and masked[i].isspace():
        i += 1
    m = re.match(r"(NOT\s+)?EXISTS\s*\{", masked[i:], re.IGNORECASE)
    if m:
        return balanced_end(masked, i + m.end() - 1, "{", "}")
    m = re.match(r"[\w:]*\s*\(", masked[i:])
    if not m:
        raise Uncompilable("a FILTER the compiler cannot read")
    return balanced_end(masked, i + m.end() - 1, "(", ")")


@dataclass(frozen=True)
class Focus:
    """How a rewritten query gets its focus nodes: ``pattern`` binds ``?this`` to every focus node
    (a closed sub-query); ``test``, when known (class targets), is a FILTER that holds for a bound
    ``?this`` that is a focus node. A group whose own triple patterns bind ``?this`` takes the test
    at its end, so its patterns drive the join instead of a sub-query over every focus node."""

    pattern: str
    test: str | None = None

    def for_group(self, group_text: str, *, any_pattern: bool = False) -> tuple[str, str]:
        """(text for the group's start, text for its end) for the group ``{ … }`` in ``group_text``.

        ``any_pattern`` takes the test wherever a triple or path pattern of the group's own text
        names ``?this`` (see :func:`mentions_this`), not only where plain triples bind it."""
        masked = mask(group_text)
        roots = groups(masked)
        if self.test is not None and roots:
            own = own_text(masked, roots[0])
            if binds_this(own) or (any_pattern and mentions_this(own)):
                return "", self.test
        return self.pattern, ""


_THIS = re.compile(r"[$?]this\b")
_FILTER_CALL = re.compile(r"\bFILTER\s*\(", re.IGNORECASE)
_EXISTS_KEYWORD = re.compile(r"\bFILTER\s+(NOT\s+)?EXISTS\b", re.IGNORECASE)
_CHILD_KEYWORDS = re.compile(r"\b(OPTIONAL|MINUS|UNION)\b", re.IGNORECASE)
#: Anything but triple patterns, or a path modifier (``*``, ``+``, a ``?`` not starting a variable).
_NOT_PLAIN = re.compile(
    r"\b(BIND|VALUES|OPTIONAL|UNION|MINUS|GRAPH|SERVICE|SELECT|LATERAL)\b|[*+]|\?(?![A-Za-z_0-9])", re.IGNORECASE
)
VAR = re.compile(r"[?$]([A-Za-z_][A-Za-z0-9_]*)")


def mentions(name: str, text: str, start: int = 0, end: int | None = None) -> int:
    """How often ``text[start:end]`` names the variable ``name`` (as ``?name`` or ``$name``)."""
    return VAR.findall(text, start, len(text) if end is None else end).count(name)


def _without_filters(own: str) -> str:
    text = _EXISTS_KEYWORD.sub(" ", own)
    while m := _FILTER_CALL.search(text):
        text = text[: m.start()] + " " + text[balanced_end(text, m.end() - 1, "(", ")") :]
    return text


def pattern_vars(own: str) -> set[str] | None:
    """The variables the triple patterns of a group bind, from ``own`` (the group's masked text
    without its nested groups; its filters are set aside); None when the group holds anything but
    triple patterns and filters at its top level, or a path with a modifier."""
    text = _without_filters(own)
    if _NOT_PLAIN.search(text):
        return None
    return set(VAR.findall(text))


def binds_this(own: str) -> bool:
    """Whether a group's own triple patterns (``own`` as for :func:`pattern_vars`; nested groups
    such as OPTIONAL bodies do not count) bind ``?this`` in every solution."""
    vars_ = pattern_vars(_CHILD_KEYWORDS.sub(" ", own))
    return vars_ is not None and "this" in vars_


_BIND_CALL = re.compile(r"\bBIND\s*\(", re.IGNORECASE)
_SUB_SELECT = re.compile(r"\bSELECT\b", re.IGNORECASE)


def mentions_this(own: str) -> bool:
    """Whether a triple or path pattern of a group's own text (``own`` as for :func:`pattern_vars`)
    names ``?this``: a pattern binds both its ends in every solution, whatever its path modifiers,
    and OPTIONAL or UNION bodies are nested groups, not part of ``own``."""
    text = _without_filters(own)
    while m := _BIND_CALL.search(text):
        text = text[: m.start()] + " " + text[balanced_end(text, m.end() - 1, "(", ")") :]
    return not _SUB_SELECT.search(text) and bool(_THIS.search(text))


_STATEMENT_END = re.compile(r"\.(?=\s|$)")


def statement_texts(text: str) -> list[str]:
    """The statements of plain triple-pattern ``text`` (split at each "." that ends one)."""
    masked = mask(text)
    out, last = [], 0
    for m in _STATEMENT_END.finditer(masked):
        out.append(text[last : m.start()])
        last = m.end()
    out.append(text[last:])
    return [part for part in out if part.strip()]


def connected(own: str) -> bool:
    """Whether the triple patterns of a group (``own`` as for :func:`pattern_vars`) are linked
    through shared variables: joined on their own they make no cross product."""
    statements = [set(VAR.findall(part)) for part in _STATEMENT_END.split(_without_filters(own))]
    parts = [vars_ for vars_ in statements if vars_]
    if not parts:
        return True
    reached = set(parts[0])
    rest = parts[1:]
    while rest:
        linked = [p for p in rest if p & reached]
        if not linked:
            return False
        for p in linked:
            reached |= p
        rest = [p for p in rest if not p & reached]
    return True
