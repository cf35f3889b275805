"""The terminals of the SPARQL 1.1 grammar, exactly as the recommendation defines them (§19.8).

One lexer for everything in crmkg that reads SPARQL text: the ``/sparql`` policy's parser, parameter
binding, query-form detection. It reads one token at a time from a position and never looks further
back than the token it is reading, so a whole text is read in time linear in its length (the
patterns below have no nested unbounded repetition, and a failed token stops the reading).

Two spots of the grammar are decided by the longest match, as the recommendation says: ``?x`` is a
variable (not the path modifier ``?`` and a name), ``+1`` a signed number. The third, ``<``, is an
IRI reference where one can be read and the operator otherwise; where the grammar only allows the
operator (``?a<?b&&?c>?d``), the parser asks for the other reading (:attr:`Token.other`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from typing import NamedTuple

from crmkg.errors import Phrase, QuerySyntaxError

_BASE = (
    "A-Za-z\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u02ff\u0370-\u037d\u037f-\u1fff\u200c-\u200d"
    "\u2070-\u218f\u2c00-\u2fef\u3001-\ud7ff\uf900-\ufdcf\ufdf0-\ufffd\U00010000-\U000effff"
)
_U = _BASE + "_"
_CHARS = _U + "\\-0-9\u00b7\u0300-\u036f\u203f-\u2040"
_PLX = r"%[0-9A-Fa-f]{2}|\\[_~.\-!$&'()*+,;=/?#@%]"
_EXP = r"[eE][+-]?[0-9]+"


def _ranges(body: str) -> list[tuple[int, int]]:
    """The code point ranges of a class body made of characters, ``x-y`` ranges and ``\\-``."""
    chars = list(body.replace("\\-", "\x00"))  # an escaped '-' is the character itself
    out: list[tuple[int, int]] = []
    index = 0
    while index < len(chars):
        low = "-" if chars[index] == "\x00" else chars[index]
        if index + 2 < len(chars) and chars[index + 1] == "-":
            out.append((ord(low), ord(chars[index + 2])))
            index += 3
        else:
            out.append((ord(low), ord(low)))
            index += 1
    return out


def _one_of(body: str) -> str:
    """A class of exactly the characters in ``body``, written as the negation of its complement.

    The same set either way; but ``re`` builds a class by visiting each of its characters below
    U+10000, and the name classes hold 54,000 of them against 11,500 outside: written this way the
    lexer compiles in a fifth of the time, which every crmkg process pays once.
    """
    parts: list[str] = []
    next_free = 0
    for low, high in sorted(_ranges(body)):
        if low > next_free:
            parts.append(_range_text(next_free, low - 1))
        next_free = max(next_free, high + 1)
    if next_free <= 0x10FFFF:
        parts.append(_range_text(next_free, 0x10FFFF))
    return "[^" + "".join(parts) + "]"


def _range_text(low: int, high: int) -> str:
    return f"\\U{low:08x}" if low == high else f"\\U{low:08x}-\\U{high:08x}"


_NAME_START = _one_of(_U + "0-9")
_PN_PREFIX = f"{_one_of(_BASE)}{_one_of(_CHARS + '.')}*"
# runs of name characters, not one a repetition: the same names, read several times faster (possessive
# quantifiers: nothing follows a local name that could make the pattern give characters back)
_PN_LOCAL = f"(?:{_one_of(_U + ':0-9')}|{_PLX})(?:{_one_of(_CHARS + '.:')}++|{_PLX})*+"
_BLANK_LABEL = f"_:{_NAME_START}{_one_of(_CHARS + '.')}*"
_VARNAME = _NAME_START + _one_of(_U + "0-9\u00b7\u0300-\u036f\u203f-\u2040") + "*"
_IRIREF = r'<[^<>"{}|^`\\\x00-\x20]*>'
_LANGTAG = r"@[a-zA-Z]+(?:-[a-zA-Z0-9]+)*"
_NUMBER = rf"[+-]?(?:(?P<double>[0-9]+\.[0-9]*{_EXP}|\.[0-9]+{_EXP}|[0-9]+{_EXP})|(?P<decimal>[0-9]*\.[0-9]+)|[0-9]+)"
_ECHAR = r"\\[tbnrf\\\"']"
_LONG1 = rf"'''(?:(?:'|'')?(?:[^'\\]|{_ECHAR}))*'''"
_LONG2 = rf'"""(?:(?:"|"")?(?:[^"\\]|{_ECHAR}))*"""'
_SHORT1 = rf"'(?:[^'\\\n\r]|{_ECHAR})*'"
_SHORT2 = rf'"(?:[^"\\\n\r]|{_ECHAR})*"'

#: Every terminal, in the order the longest-match rules above need.
_TOKENS = "|".join(
    (
        f"(?P<STRING_LITERAL_LONG1>{_LONG1})",
        f"(?P<STRING_LITERAL_LONG2>{_LONG2})",
        "(?P<STRING_LITERAL1>(?!''')" + _SHORT1 + ")",  # ''' always opens a long string
        '(?P<STRING_LITERAL2>(?!""")' + _SHORT2 + ")",
        f"(?P<IRIREF>{_IRIREF})",
        rf"(?P<VAR1>\?{_VARNAME})",
        rf"(?P<VAR2>\${_VARNAME})",
        r"(?P<NIL>\([ \t\r\n]*\))",
        r"(?P<ANON>\[[ \t\r\n]*\])",
        f"(?P<NUMBER>{_NUMBER})",
        f"(?P<BLANK_NODE_LABEL>{_BLANK_LABEL})",
        f"(?P<LANGTAG>{_LANGTAG})",
        rf"(?P<PNAME>(?:{_PN_PREFIX}(?<!\.))?:(?P<local>{_PN_LOCAL})?)",  # a prefix never ends with '.'
        r"(?P<WORD>[A-Za-z_][A-Za-z0-9_]*)",
        r"(?P<PUNCT>\^\^|\|\||&&|!=|<=|>=|[{}()\[\].,;*/|^?+\-!=<>])",
    )
)
_SPACE = re.compile(r"(?:[ \t\r\n]+|#[^\r\n]*)+")
#: White space and comments, then a token: one ``match`` a token (twice as fast as a pattern per
#: terminal tried in turn; possessive, so a comment is never given back to be read as tokens). Where
#: it reads nothing, or a word that is no keyword, :func:`_unreadable` says why.
_NEXT = re.compile(r"(?:[ \t\r\n]++|#[^\r\n]*+)*+(?:" + _TOKENS + ")")
_WORD = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")

#: Every keyword of SPARQL 1.1 Query and Update (matched without regard to letter case).
KEYWORDS = frozenset(
    [
        "BASE",
        "PREFIX",
        "SELECT",
        "CONSTRUCT",
        "DESCRIBE",
        "ASK",
        "DISTINCT",
        "REDUCED",
        "AS",
        "FROM",
        "NAMED",
        "WHERE",
        "ORDER",
        "BY",
        "ASC",
        "DESC",
        "GROUP",
        "HAVING",
        "LIMIT",
        "OFFSET",
        "VALUES",
        "UNDEF",
        "OPTIONAL",
        "GRAPH",
        "SERVICE",
        "SILENT",
        "BIND",
        "MINUS",
        "UNION",
        "FILTER",
        "EXISTS",
        "NOT",
        "IN",
        "TRUE",
        "FALSE",
        "STR",
        "LANG",
        "LANGMATCHES",
        "DATATYPE",
        "BOUND",
        "IRI",
        "URI",
        "BNODE",
        "RAND",
        "ABS",
        "CEIL",
        "FLOOR",
        "ROUND",
        "CONCAT",
        "STRLEN",
        "UCASE",
        "LCASE",
        "ENCODE_FOR_URI",
        "CONTAINS",
        "STRSTARTS",
        "STRENDS",
        "STRBEFORE",
        "STRAFTER",
        "YEAR",
        "MONTH",
        "DAY",
        "HOURS",
        "MINUTES",
        "SECONDS",
        "TIMEZONE",
        "TZ",
        "NOW",
        "UUID",
        "STRUUID",
        "MD5",
        "SHA1",
        "SHA256",
        "SHA384",
        "SHA512",
        "COALESCE",
        "IF",
        "STRLANG",
        "STRDT",
        "SAMETERM",
        "ISIRI",
        "ISURI",
        "ISBLANK",
        "ISLITERAL",
        "ISNUMERIC",
        "REGEX",
        "SUBSTR",
        "REPLACE",
        "COUNT",
        "SUM",
        "MIN",
        "MAX",
        "AVG",
        "SAMPLE",
        "GROUP_CONCAT",
        "SEPARATOR",
        "LOAD",
        "CLEAR",
        "DROP",
        "CREATE",
        "ADD",
        "MOVE",
        "COPY",
        "TO",
        "INTO",
        "INSERT",
        "DELETE",
        "DATA",
        "WITH",
        "USING",
        "DEFAULT",
        "ALL",
    ]
)
#: The keywords that can only begin a SPARQL Update operation.
UPDATE_KEYWORDS = frozenset(("INSERT", "DELETE", "LOAD", "CLEAR", "CREATE", "DROP", "COPY", "MOVE", "ADD", "WITH"))
QUERY_FORMS = frozenset(("SELECT", "CONSTRUCT", "DESCRIBE", "ASK"))


class Token(NamedTuple):
    """One terminal: its grammar name (keywords upper-cased, punctuation as itself), text and span.

    ``other`` is set on an IRI reference that could also be read as the operator ``<`` or ``<=``.
    (A named tuple: the lexer makes one per token, and a tuple is the cheapest immutable record.)
    """

    kind: str
    text: str
    start: int
    end: int
    other: str | None = None


def position(text: str, offset: int) -> tuple[int, int]:
    """The line and column (1-based) of ``offset`` in ``text``."""
    line = text.count("\n", 0, offset) + 1
    return line, offset - (text.rfind("\n", 0, offset) + 1) + 1


def where(text: str, offset: int) -> Phrase:
    """``line L, column C`` (1-based) of ``offset`` in ``text``, told in the error's language."""
    line, column = position(text, offset)
    return Phrase("error.sparql_at", line=line, column=column)


def skip_space(text: str, pos: int) -> int:
    """The position after any white space and comments at ``pos``."""
    match = _SPACE.match(text, pos)
    return match.end() if match else pos


def read_token(text: str, pos: int) -> Token:
    """The token that starts at ``pos`` (white space already skipped); ``EOF`` at the end.

    Raises :class:`QuerySyntaxError` naming the line and column where no terminal can start.
    """
    match = _NEXT.match(text, pos)
    if match is None or match.start(match.lastgroup or 0) != pos:  # nothing, or a token after white space
        if pos >= len(text):
            return Token("EOF", "", pos, pos)
        raise _unreadable(text, pos)
    return _token(text, match)


def next_token(text: str, pos: int) -> Token:
    """The token after any white space and comments at ``pos``: :func:`read_token` after :func:`skip_space`."""
    match = _NEXT.match(text, pos)
    if match is None:
        return read_token(text, skip_space(text, pos))  # the end, or what cannot be read there
    return _token(text, match)


def _token(text: str, match: re.Match[str]) -> Token:
    kind = match.lastgroup
    assert kind is not None
    pos = match.start(kind)
    end = match.end()
    found = text[pos:end]
    if kind == "PUNCT":
        return Token(found, found, pos, end)
    if kind == "WORD":
        if found == "a":
            return Token("a", "a", pos, end)
        upper = found.upper()
        if upper in KEYWORDS:
            return Token(upper, found, pos, end)
        raise _unreadable(text, pos)
    if kind == "PNAME":
        if match.group("local") is None:
            return Token("PNAME_NS", found, pos, end)
        token = Token("PNAME_LN", found, pos, end)
        return _trim_dots(token) if found[-1] == "." else token
    if kind == "NUMBER":
        number = "DOUBLE" if match.group("double") else "DECIMAL" if match.group("decimal") else "INTEGER"
        sign = found[0]
        number += "_POSITIVE" if sign == "+" else "_NEGATIVE" if sign == "-" else ""
        return Token(number, found, pos, end)
    if kind == "IRIREF":
        return Token("IRIREF", found, pos, end, "<=" if text.startswith("<=", pos) else "<")
    if kind == "BLANK_NODE_LABEL" and found[-1] == ".":
        return _trim_dots(Token(kind, found, pos, end))
    return Token(kind, found, pos, end)


def _unreadable(text: str, pos: int) -> QuerySyntaxError:
    """Why no terminal of the grammar starts at ``pos``."""
    ch = text[pos]
    at = where(text, pos)
    if ch in "'\"":
        return QuerySyntaxError(key="error.sparql_bad_string", at=at)
    if ch == "$":
        return QuerySyntaxError(key="error.sparql_bad_dollar", at=at)
    if text.startswith("_:", pos):
        return QuerySyntaxError(key="error.sparql_bad_blank_label", at=at)
    if ch == "@":
        return QuerySyntaxError(key="error.sparql_bad_langtag", at=at)
    word = _WORD.match(text, pos)
    if word is not None:
        return QuerySyntaxError(key="error.sparql_unknown_word", word=word.group(), at=at)
    return QuerySyntaxError(key="error.sparql_bad_character", character=ch, at=at)


def _trim_dots(token: Token) -> Token:
    """A local name or blank node label cannot end with '.': that dot ends the triple instead."""
    text = token.text.rstrip(".")
    if text.endswith("\\"):  # an escaped dot ('\.') belongs to the name
        text += "."
    return Token(token.kind, text, token.start, token.start + len(text))


def tokens(text: str) -> Iterator[Token]:
    """Every significant token of ``text`` by the longest match (no white space, no comments, no EOF)."""
    pos = 0
    while True:
        token = next_token(text, pos)
        if token.kind == "EOF":
            return
        yield token
        pos = token.end


def relex_operator(text: str, token: Token) -> Token:
    """The operator reading (``<`` or ``<=``) of an IRI reference token."""
    assert token.other is not None
    return Token(token.other, token.other, token.start, token.start + len(token.other))


def query_form(text: str) -> str | None:
    """The query form keyword after the prologue (``SELECT``, ``ASK``, ``CONSTRUCT``, ``DESCRIBE``), or ``None``.

    Reads only the prologue and the next token, so it is cheap and needs no parse.
    """
    try:
        return form_of(tokens(text))
    except QuerySyntaxError:
        return None


def form_of(toks: Iterable[Token]) -> str | None:
    """The query form keyword that follows the prologue in ``toks``, or ``None`` if another token does."""
    skip = 0
    for token in toks:
        if skip:
            skip -= 1
        elif token.kind in ("BASE", "PREFIX"):
            skip = 1 if token.kind == "BASE" else 2
        else:
            return token.kind if token.kind in QUERY_FORMS else None
    return None
