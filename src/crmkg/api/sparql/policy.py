"""What ``/sparql`` refuses before anything runs: updates, ``SERVICE``, and FROM of foreign graphs.

pyoxigraph would really make HTTP requests for ``SERVICE``, so the query text is tokenised here
first. The tokenizer knows SPARQL's strings, IRIs and comments, so ``"SERVICE"`` in a literal, in an
IRI or after ``#`` is not a keyword, while ``service`` in any letter case is.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from urllib.parse import urljoin

from crmkg.errors import QueryRefused, QuerySyntaxError

_TOKEN = re.compile(
    r"""
      (?P<ws>\s+)
    | (?P<comment>\#[^\n\r]*)
    | (?P<string>'''(?:[^'\\]|\\.|'(?!''))*'''|\"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\"
                 |'(?:[^'\\\n\r]|\\.)*'|"(?:[^"\\\n\r]|\\.)*")
    | (?P<iri><[^<>"{}|^`\\\x00-\x20]*>)
    | (?P<var>[?$][A-Za-z0-9_\u00B7\u00C0-\uFFFF]+)
    | (?P<pname>(?:[A-Za-z\u00C0-\uFFFF][\w\-.\u00B7\u00C0-\uFFFF]*)?:(?:[\w\-.:%\\\u00B7\u00C0-\uFFFF]*))
    | (?P<word>[A-Za-z_][A-Za-z0-9_]*)
    | (?P<other>.)
    """,
    re.VERBOSE | re.DOTALL,
)
QUERY_FORMS = ("SELECT", "CONSTRUCT", "DESCRIBE", "ASK")
UPDATE_WORDS = frozenset(("INSERT", "DELETE", "LOAD", "CLEAR", "CREATE", "DROP", "COPY", "MOVE", "ADD", "WITH"))


@dataclass(frozen=True)
class Token:
    kind: str
    text: str


@dataclass
class QueryInfo:
    """What the policy learned from a query's text."""

    form: str
    base: str | None = None
    prefixes: dict[str, str] = field(default_factory=dict)
    from_graphs: list[str] = field(default_factory=list)
    from_named: list[str] = field(default_factory=list)

    @property
    def is_graph(self) -> bool:
        """CONSTRUCT or DESCRIBE: the answer is RDF, not a results table."""
        return self.form in ("CONSTRUCT", "DESCRIBE")

    @property
    def has_dataset_clause(self) -> bool:
        return bool(self.from_graphs or self.from_named)


def tokens(text: str) -> list[Token]:
    """The significant tokens of a SPARQL text (no whitespace, no comments)."""
    found = []
    for match in _TOKEN.finditer(text):
        kind = match.lastgroup or "other"
        if kind in ("ws", "comment"):
            continue
        found.append(Token(kind, match.group()))
    return found


def _expand(token: Token, info: QueryInfo) -> str:
    if token.kind == "iri":
        iri = token.text[1:-1]
        return urljoin(info.base, iri) if info.base and ":" not in iri.split("/")[0] else iri
    prefix, _, local = token.text.partition(":")
    if prefix not in info.prefixes:
        raise QuerySyntaxError(f"undeclared prefix {prefix!r} in {token.text}")
    return info.prefixes[prefix] + local


def inspect(text: str) -> QueryInfo:
    """The query form, prologue and dataset clause; raises :class:`QueryRefused` for updates and SERVICE."""
    toks = tokens(text)
    info = QueryInfo(form="")
    i = 0
    # Prologue: BASE <iri> / PREFIX p: <iri>
    while i < len(toks) and toks[i].kind == "word" and toks[i].text.upper() in ("BASE", "PREFIX"):
        word = toks[i].text.upper()
        if word == "BASE" and i + 1 < len(toks) and toks[i + 1].kind == "iri":
            info.base = toks[i + 1].text[1:-1]
            i += 2
        elif word == "PREFIX" and i + 2 < len(toks) and toks[i + 1].kind == "pname" and toks[i + 2].kind == "iri":
            info.prefixes[toks[i + 1].text[:-1]] = _expand(toks[i + 2], info)
            i += 3
        else:
            raise QuerySyntaxError(f"malformed {word} declaration")
    first = toks[i].text.upper() if i < len(toks) and toks[i].kind == "word" else ""
    if first in UPDATE_WORDS:
        raise QueryRefused(f"SPARQL Update ({first}) is refused: this endpoint is read-only")
    if first not in QUERY_FORMS:
        raise QuerySyntaxError("expected SELECT, CONSTRUCT, DESCRIBE or ASK after the prologue")
    info.form = first
    for j in range(i, len(toks)):
        tok = toks[j]
        if tok.kind != "word":
            continue
        word = tok.text.upper()
        if word == "SERVICE":
            raise QueryRefused("SERVICE (federated query) is refused: this endpoint never calls other endpoints")
        if word == "FROM":
            named = j + 1 < len(toks) and toks[j + 1].kind == "word" and toks[j + 1].text.upper() == "NAMED"
            target = toks[j + 2] if named else (toks[j + 1] if j + 1 < len(toks) else None)
            if target is None or target.kind not in ("iri", "pname"):
                raise QuerySyntaxError("FROM must be followed by an IRI")
            (info.from_named if named else info.from_graphs).append(_expand(target, info))
    return info


def check_graphs(iris: list[str], known: frozenset[str], where: str) -> None:
    """Refuse graph IRIs that are not graphs of the store: nothing is ever fetched from outside."""
    unknown = [g for g in iris if g not in known]
    if unknown:
        raise QueryRefused(
            f"{where} names graphs that are not in this store (nothing is loaded from outside): "
            + ", ".join(f"<{g}>" for g in unknown)
        )
