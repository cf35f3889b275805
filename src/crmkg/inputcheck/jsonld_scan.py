"""Nesting depth of JSON-LD, and how deep its ``@context`` term definitions refer to each other.

The depth comes from a JSON scanner that knows strings and escapes. The term chains matter
because JSON-LD defines a term whose IRI is written with another term of the same context first,
recursively — pyoxigraph segfaults on a chain of about 15,000 terms, however flat the JSON.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from itertools import accumulate
from typing import Any

from crmkg.errors import InputLimitError, Phrase, SourceLocation
from crmkg.graph_components import strongly_connected
from crmkg.inputcheck.limits import InputLimits, location_at, too_deep, unterminated

_STRING = rb'"(?:[^"\\]++|\\.)*+"'
_STRINGS = re.compile(_STRING, re.DOTALL)
_TOKEN = re.compile(_STRING + rb'|[\[\]{}]|"', re.DOTALL)
_CLOSES = {b"]": b"[", b"}": b"{"}
_NOT_BRACKETS = bytes(b for b in range(256) if b not in b"[]{}")
_DELTA = tuple({ord("["): 1, ord("{"): 1, ord("]"): -1, ord("}"): -1}.get(b, 0) for b in range(256))


def check(data: bytes, source: str, limits: InputLimits) -> None:
    _check_depth(data, source, limits.max_depth)
    if b"@context" in data:
        _check_context_chains(data, source, limits.max_depth)


def depth(data: bytes) -> int:
    """The deepest nesting of objects and arrays — exact for valid JSON, never less than what a
    parser reaches before its first syntax error (strings removed, then a running sum)."""
    brackets = _STRINGS.sub(b"", data).translate(None, _NOT_BRACKETS)
    return max(accumulate(map(_DELTA.__getitem__, brackets)), default=0)


def _check_depth(data: bytes, source: str, limit: int) -> None:
    if data.count(b"{") + data.count(b"[") <= limit or depth(data) <= limit:
        return
    _locate(data, source, limit)
    raise too_deep(SourceLocation(source), Phrase("limit.what.json"), limit)  # the token scan never counts less


def _locate(data: bytes, source: str, limit: int) -> None:
    """Scan token by token and raise where the nesting passes ``limit``."""
    stack: list[bytes] = []
    for match in _TOKEN.finditer(data):
        token = match.group()
        if token in (b"{", b"["):
            stack.append(token)
            if len(stack) > limit:
                raise too_deep(location_at(data, match.start(), source), Phrase("limit.what.json"), limit)
        elif token in _CLOSES:
            if stack and stack[-1] == _CLOSES[token]:
                stack.pop()
        elif token == b'"':  # a string that never ends: the JSON parser stops here
            if len(stack) + data.count(b"{", match.start()) + data.count(b"[", match.start()) > limit:
                raise unterminated(location_at(data, match.start(), source), Phrase("limit.what.string"))
            return


def _check_context_chains(data: bytes, source: str, limit: int) -> None:
    try:
        document = json.loads(data.removeprefix(b"\xef\xbb\xbf"))
    except ValueError:
        return  # not JSON: the parser reports where
    except RecursionError:  # only with a depth limit above what Python's json can read
        raise InputLimitError(SourceLocation(source), Phrase("limit.context_unchecked")) from None
    for context in _contexts(document):
        longest = _longest_chain(context)
        if longest > limit:
            raise too_deep(SourceLocation(source), Phrase("limit.what.jsonld_context"), limit)


def _contexts(document: Any) -> Iterator[dict[str, Any]]:
    """Every local context object in the document, scoped ones (inside term definitions) included."""
    pending = [document]
    while pending:
        node = pending.pop()
        if isinstance(node, list):
            pending.extend(node)
        elif isinstance(node, dict):
            for key, value in node.items():
                if key == "@context":
                    for context in value if isinstance(value, list) else [value]:
                        if isinstance(context, dict):
                            yield context
                pending.append(value)


def _references(term: str, definition: Any, terms: dict[str, Any]) -> set[str]:
    """The other terms of the same context that defining ``term`` needs first (an over-estimate)."""
    texts = [term]
    if isinstance(definition, str):
        texts.append(definition)
    elif isinstance(definition, dict):
        texts.extend(v for k, v in definition.items() if k != "@context" and isinstance(v, str))
    found = set()
    for text in texts:
        for name in (text, text.split(":", 1)[0]):
            if name != term and name in terms:
                found.add(name)
    return found


def _longest_chain(context: dict[str, Any]) -> int:
    """How many terms a chain of definitions can pass through: the longest path of the reference
    graph, a cycle counted with all its terms (JSON-LD stops at a cycle, but only when it meets it)."""
    terms = {k: v for k, v in context.items() if not k.startswith("@")}
    edges = {term: _references(term, definition, terms) for term, definition in terms.items()}
    if not any(edges.values()):
        return 1 if terms else 0
    components = strongly_connected(edges)
    component_of = {term: i for i, members in enumerate(components) for term in members}
    # Tarjan lists components in reverse topological order: successors come first.
    longest: list[int] = []
    for i, members in enumerate(components):
        after = max((longest[component_of[u]] for t in members for u in edges[t] if component_of[u] != i), default=0)
        longest.append(len(members) + after)
    return max(longest)
