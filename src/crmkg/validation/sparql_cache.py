"""Parse each SPARQL text once: pyshacl re-parses a SHACL-SPARQL query for every focus node.

rdflib's ``SPARQLProcessor.query`` parses and translates its query string on every call; with
hundreds of focus nodes per shape that parse is most of the validation time. Parsing is a pure
function of (text, base, prefixes), so a bounded cache in front of it changes no result. The
cache is installed once per process (and is harmless to other rdflib users: they get it too).

pyshacl writes a constraint's PREFIX lines in its shapes graph's order, and two shapes graphs
parsed from the same files iterate in different orders: the same query then arrives as another
text. The cache keys on the prologue's declarations as a set (when no prefix is declared twice,
their order changes nothing), so a process that validates again reuses the parse.
"""

from __future__ import annotations

import functools
import threading
from collections import OrderedDict
from collections.abc import Mapping
from typing import Any

from rdflib.plugins.sparql import processor

from crmkg.errors import QuerySyntaxError
from crmkg.sparql.lexer import tokens

_LOCK = threading.Lock()
_MAX = 512
_installed = False


def install() -> None:
    """Put the cache in front of ``rdflib.plugins.sparql.processor.translateQuery`` (idempotent)."""
    global _installed
    with _LOCK:
        if _installed:
            return
        parse = getattr(processor, "parseQuery")  # noqa: B009 - not re-exported, mypy-wise
        translate = getattr(processor, "translateQuery")  # noqa: B009
        cache: OrderedDict[tuple[str, str | None, tuple[tuple[str, str], ...]], Any] = OrderedDict()

        def cached_parse(text: Any) -> Any:
            # Carry the text through so the translate step can key on it.
            return _Parsed(text, parse) if isinstance(text, str) else parse(text)

        def cached_translate(parsed: Any, base: str | None = None, init_ns: Mapping[str, Any] | None = None) -> Any:
            if not isinstance(parsed, _Parsed):
                return translate(parsed, base, init_ns)
            key = (prologue_free_key(parsed.text), base, tuple(sorted((k, str(v)) for k, v in (init_ns or {}).items())))
            with _LOCK:
                if key in cache:
                    cache.move_to_end(key)
                    return cache[key]
            query = translate(parsed.tree(), base, init_ns)
            with _LOCK:
                cache[key] = query
                if len(cache) > _MAX:
                    cache.popitem(last=False)
            return query

        setattr(processor, "parseQuery", cached_parse)  # noqa: B010
        setattr(processor, "translateQuery", cached_translate)  # noqa: B010
        _installed = True


@functools.lru_cache(maxsize=_MAX)  # asked once per focus node for the same few texts: lex each prologue once
def prologue_free_key(text: str) -> str:
    """``text`` with its leading PREFIX declarations sorted, when no prefix name is declared twice
    (then their order means nothing); otherwise, or when the text does not read, ``text`` itself."""
    declarations: list[str] = []
    names: set[str] = set()
    body_start = 0
    try:
        toks = tokens(text)
        for token in toks:
            if token.kind != "PREFIX":
                body_start = token.start
                break
            name, iri = next(toks), next(toks)
            if name.kind != "PNAME_NS" or iri.kind != "IRIREF" or name.text in names:
                return text
            names.add(name.text)
            declarations.append(f"PREFIX {name.text} {iri.text}")
        else:
            return text
    except (QuerySyntaxError, StopIteration):
        return text
    if not declarations:
        return text
    return "\n".join(sorted(declarations)) + "\n" + text[body_start:]


class _Parsed:
    """A query text whose parse is deferred until the cache misses."""

    def __init__(self, text: str, parse: Any) -> None:
        self.text = text
        self._parse = parse

    def tree(self) -> Any:
        return self._parse(self.text)
