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
from dataclasses import dataclass

from crmkg.errors import Phrase, QuerySyntaxError

_BASE = (
    "A-Za-z\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u02ff\u0370-\u037d\u037f-\u1fff\u200c-\u200d"
    "\u2070-\u218f\u2c00-\u2fef\u3001-\ud7ff\uf900-\ufdcf\ufdf0-\ufffd\U00010000-\U000effff"
)
_U = _BASE + "_"
_CHARS = _U + "\\-0-9\u00b7\u0300-\u036f\u203f-\u2040"
_PLX = r"%[0-9A-Fa-f]{2}|\\[_~.\-!$&'()*+,;=/?#@%]"
_EXP = r"[eE][+-]?[0-9]+"

#: A prefix (possibly empty) and its colon; the local part is read separately.
_PNAME_NS = re.compile(f"(?:[{_BASE}][{_CHARS}.]*)?:")
_PN_LOCAL = re.compile(f"(?:[{_U}:0-9]|{_PLX})(?:[{_CHARS}.:]|{_PLX})*")
_BLANK_LABEL = re.compile(f"_:[{_U}0-9][{_CHARS}.]*")
_VARNAME = re.compile(f"[{_U}0-9][{_U}0-9\u00b7\u0300-\u036f\u203f-\u2040]*")
_WORD = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_IRIREF = re.compile(r'<[^<>"{}|^`\\\x00-\x20]*>')
_LANGTAG = re.compile(r"@[a-zA-Z]+(?:-[a-zA-Z0-9]+)*")
_NUMBER = re.compile(
    rf"[+-]?(?:(?P<double>[0-9]+\.[0-9]*{_EXP}|\.[0-9]+{_EXP}|[0-9]+{_EXP})|(?P<decimal>[0-9]*\.[0-9]+)|[0-9]+)"
)
_ECHAR = r"\\[tbnrf\\\"']"
_STRINGS = {
    "'''": ("STRING_LITERAL_LONG1", re.compile(rf"'''(?:(?:'|'')?(?:[^'\\]|{_ECHAR}))*'''")),
    '"""': ("STRING_LITERAL_LONG2", re.compile(rf'"""(?:(?:"|"")?(?:[^"\\]|{_ECHAR}))*"""')),
    "'": ("STRING_LITERAL1", re.compile(rf"'(?:[^'\\\n\r]|{_ECHAR})*'")),
    '"': ("STRING_LITERAL2", re.compile(rf'"(?:[^"\\\n\r]|{_ECHAR})*"')),
}
_SPACE = re.compile(r"(?:[ \t\r\n]+|#[^\r\n]*)+")
_NIL_OR_ANON = re.compile(r"\([ \t\r\n]*\)|\[[ \t\r\n]*\]")
#: Longest first, so '^^' is not read as two '^'.
_PUNCT: tuple[str, ...] = ("^^", "||", "&&", "!=", "<=", ">=", "{", "}", "(", ")", "[", "]", ".", ",", ";")
_PUNCT += ("*", "/", "|", "^", "?", "+", "-", "!", "=", "<", ">")

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


@dataclass(frozen=True, slots=True)
class Token:
    """One terminal: its grammar name (keywords upper-cased, punctuation as itself), text and span.

    ``other`` is set on an IRI reference that could also be read as the operator ``<`` or ``<=``.
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
    if pos >= len(text):
        return Token("EOF", "", pos, pos)
    ch = text[pos]
    if ch in "'\"":
        for opener in ("'''", '"""', ch):
            if text.startswith(opener, pos):
                kind, pattern = _STRINGS[opener]
                match = pattern.match(text, pos)
                if match is None:
                    raise QuerySyntaxError(key="error.sparql_bad_string", at=where(text, pos))
                return Token(kind, match.group(), pos, match.end())
    if ch == "<":
        match = _IRIREF.match(text, pos)
        other = "<=" if text.startswith("<=", pos) else "<"
        if match is not None:
            return Token("IRIREF", match.group(), pos, match.end(), other)
        return Token(other, other, pos, pos + len(other))
    if ch in "?$":
        match = _VARNAME.match(text, pos + 1)
        if match is not None:
            return Token("VAR1" if ch == "?" else "VAR2", text[pos : match.end()], pos, match.end())
        if ch == "?":
            return Token("?", "?", pos, pos + 1)
        raise QuerySyntaxError(key="error.sparql_bad_dollar", at=where(text, pos))
    if ch in "([":
        match = _NIL_OR_ANON.match(text, pos)
        if match is not None:
            return Token("NIL" if ch == "(" else "ANON", match.group(), pos, match.end())
    if ch.isdigit() or (ch in "+-." and pos + 1 < len(text) and (text[pos + 1].isdigit() or text[pos + 1] == ".")):
        match = _NUMBER.match(text, pos)
        if match is not None:
            kind = "DOUBLE" if match.group("double") else "DECIMAL" if match.group("decimal") else "INTEGER"
            kind += "_POSITIVE" if ch == "+" else "_NEGATIVE" if ch == "-" else ""
            return Token(kind, match.group(), pos, match.end())
    if ch == "_" and text.startswith("_:", pos):
        match = _BLANK_LABEL.match(text, pos)
        if match is None:
            raise QuerySyntaxError(key="error.sparql_bad_blank_label", at=where(text, pos))
        return _trim_dots(Token("BLANK_NODE_LABEL", match.group(), pos, match.end()))
    if ch == "@":
        match = _LANGTAG.match(text, pos)
        if match is None:
            raise QuerySyntaxError(key="error.sparql_bad_langtag", at=where(text, pos))
        return Token("LANGTAG", match.group(), pos, match.end())
    prefix = _PNAME_NS.match(text, pos)
    if prefix is not None and not prefix.group().endswith(".:"):
        local = _PN_LOCAL.match(text, prefix.end())
        if local is None:
            return Token("PNAME_NS", prefix.group(), pos, prefix.end())
        return _trim_dots(Token("PNAME_LN", text[pos : local.end()], pos, local.end()))
    word = _WORD.match(text, pos)
    if word is not None:
        upper = word.group().upper()
        if word.group() == "a":
            return Token("a", "a", pos, word.end())
        if upper in KEYWORDS:
            return Token(upper, word.group(), pos, word.end())
        raise QuerySyntaxError(key="error.sparql_unknown_word", word=word.group(), at=where(text, pos))
    for punct in _PUNCT:
        if text.startswith(punct, pos):
            return Token(punct, punct, pos, pos + len(punct))
    raise QuerySyntaxError(key="error.sparql_bad_character", character=ch, at=where(text, pos))


def _trim_dots(token: Token) -> Token:
    """A local name or blank node label cannot end with '.': that dot ends the triple instead."""
    text = token.text.rstrip(".")
    if text.endswith("\\"):  # an escaped dot ('\.') belongs to the name
        text += "."
    return Token(token.kind, text, token.start, token.start + len(text))


def tokens(text: str) -> Iterator[Token]:
    """Every significant token of ``text`` by the longest match (no white space, no comments, no EOF)."""
    pos = skip_space(text, 0)
    while True:
        token = read_token(text, pos)
        if token.kind == "EOF":
            return
        yield token
        pos = skip_space(text, token.end)


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
