"""The ``#+`` header of a catalogue query: the subset of YAML grlc's files use.

Mappings, lists, quoted and plain scalars and ``[a, b]`` flow lists, each line prefixed ``#+``.
A problem is a :class:`HeaderError` naming the line; :mod:`crmkg.catalogue.spec` turns it into a
:class:`~crmkg.errors.QuerySyntaxError` naming the file too.
"""

from __future__ import annotations

import re

from crmkg.errors import Phrase

Node = str | list["Node"] | dict[str, "Node"]

_ESCAPE = re.compile(r'\\(["\\/nt])')
_KEY_VALUE = re.compile(r"^([A-Za-z_][A-Za-z0-9_\-]*)\s*:(?:\s+(.*)|\s*)$")
_STARTS_WITH_KEY = re.compile(r"^[A-Za-z_][A-Za-z0-9_\-]*\s*:(\s|$)")


class HeaderError(Exception):
    """A query file's ``#+`` header is malformed at ``line``; ``problem`` is told in the user's language."""

    def __init__(self, line: int, problem: Phrase) -> None:
        super().__init__(str(problem))
        self.line = line
        self.problem = problem


def _scalar(raw: str, line: int) -> Node:
    text = raw.strip()
    if text.startswith("[") and text.endswith("]"):
        inner = text[1:-1].strip()
        return [_scalar(part, line) for part in _split_flow(inner, line)] if inner else []
    if text[:1] in ('"', "'"):
        quote = text[0]
        if len(text) < 2 or not text.endswith(quote):
            raise HeaderError(line, Phrase("header.unterminated_value", text=repr(text)))
        body = text[1:-1]
        if quote == "'":
            return body.replace("''", "'")
        if "\\" not in body:
            return body
        return _ESCAPE.sub(lambda m: {"n": "\n", "t": "\t"}.get(m.group(1), m.group(1)), body)
    if " #" in text:  # a YAML comment after a plain value
        text = text.split(" #", 1)[0].rstrip()
    if ": " in text:
        raise HeaderError(line, Phrase("header.quote_colon", text=repr(text)))
    return text


def _split_flow(inner: str, line: int) -> list[str]:
    parts: list[str] = []
    current = ""
    quote = ""
    for ch in inner:
        if quote:
            current += ch
            if ch == quote:
                quote = ""
        elif ch in "\"'":
            quote = ch
            current += ch
        elif ch == ",":
            parts.append(current)
            current = ""
        else:
            current += ch
    if quote:
        raise HeaderError(line, Phrase("header.unterminated_list_quote"))
    parts.append(current)
    return [p for p in (p.strip() for p in parts) if p]


def _split_key(content: str, line: int) -> tuple[str, str]:
    match = _KEY_VALUE.match(content)
    if not match:
        raise HeaderError(line, Phrase("header.expected_key_value", content=repr(content)))
    return match.group(1), (match.group(2) or "").strip()


def _parse_block(lines: list[tuple[int, int, str]], pos: int, indent: int) -> tuple[Node, int]:
    """Parse lines at exactly ``indent`` from ``pos``; returns the node and the next position."""
    is_list = lines[pos][2].startswith("- ") or lines[pos][2] == "-"
    result_list: list[Node] = []
    result_map: dict[str, Node] = {}
    while pos < len(lines):
        ind, lineno, content = lines[pos]
        if ind < indent:
            break
        if ind > indent:
            raise HeaderError(lineno, Phrase("header.indentation"))
        item_is_list = content.startswith("- ") or content == "-"
        if item_is_list != is_list:
            raise HeaderError(lineno, Phrase("header.mixed"))
        if is_list:
            item = content[1:].strip()
            pos += 1
            if not item:
                if pos < len(lines) and lines[pos][0] > indent:
                    node, pos = _parse_block(lines, pos, lines[pos][0])
                    result_list.append(node)
                    continue
                raise HeaderError(lineno, Phrase("header.empty_item"))
            if _STARTS_WITH_KEY.match(item):
                key, value = _split_key(item, lineno)
                entry: dict[str, Node] = {}
                if value:
                    entry[key] = _scalar(value, lineno)
                elif pos < len(lines) and lines[pos][0] > indent:
                    entry[key], pos = _parse_block(lines, pos, lines[pos][0])
                else:
                    entry[key] = ""
                result_list.append(entry)
            else:
                result_list.append(_scalar(item, lineno))
        else:
            key, value = _split_key(content, lineno)
            if key in result_map:
                raise HeaderError(lineno, Phrase("header.key_twice", field=repr(key)))
            pos += 1
            if value:
                result_map[key] = _scalar(value, lineno)
            elif pos < len(lines) and lines[pos][0] > indent:
                result_map[key], pos = _parse_block(lines, pos, lines[pos][0])
            else:
                result_map[key] = ""
    return (result_list if is_list else result_map), pos


def parse_header(text: str) -> tuple[dict[str, Node], int]:
    """The ``#+`` header of a query as a mapping, and the number of header lines.

    The header is the run of lines at the top starting with ``#+``; the rest of each line is YAML
    (the subset grlc files use: mappings, lists, quoted and plain scalars, ``[a, b]`` lists).
    """
    raw: list[tuple[int, int, str]] = []
    count = 0
    for lineno, line in enumerate(text.splitlines(), start=1):
        if not line.startswith("#+"):
            break
        count = lineno
        body = line[2:]
        if body.startswith(" "):
            body = body[1:]
        if not body.strip() or body.lstrip().startswith("#"):
            continue
        if "\t" in body[: len(body) - len(body.lstrip())]:
            raise HeaderError(lineno, Phrase("header.tabs"))
        raw.append((len(body) - len(body.lstrip(" ")), lineno, body.strip()))
    if not raw:
        return {}, count
    node, pos = _parse_block(raw, 0, raw[0][0])
    if pos != len(raw):
        raise HeaderError(raw[pos][1], Phrase("header.indentation"))
    if not isinstance(node, dict):
        raise HeaderError(raw[0][1], Phrase("header.not_mapping"))
    return node, count
