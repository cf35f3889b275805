""":func:`turtle_scan.check` over an open file, chunk by chunk: the same verdicts and locations
without the whole document in memory (1.3 GB at 10M triples).

The document is scanned in pieces that end after a line feed. No token the scanner tells apart
spans a line feed — comments, short strings, IRIs and escapes end before one, brackets hold none —
except a long string (three quotes): where one opens in a piece and does not close there, the piece
is scanned up to it and the rest waits for more of the document. So each piece is tokenised as the
whole document would be there, and the passes of :mod:`turtle_scan` (a bound on the openers, the
running depth, the token scan that says where) run piece after piece with their state carried on.
"""

from __future__ import annotations

from collections.abc import Iterator
from itertools import accumulate, chain
from typing import IO

from crmkg.errors import Phrase, SourceLocation
from crmkg.inputcheck.limits import InputLimits, too_deep, unterminated
from crmkg.inputcheck.turtle_scan import _BRACKETS, _DELTA, _OPENER_OF, _TOKEN, _WHAT

#: Bytes read at a time (a piece is this plus the rest of the line it ends in).
CHUNK_SIZE = 1 << 20
_LONG_QUOTES = (b'"""', b"'''")


class _Pieces:
    """The document from where ``opened`` stands, in pieces ending after a line feed; a piece's tail
    may be handed back (:meth:`keep`) to come again at the front of the next one."""

    def __init__(self, opened: IO[bytes], chunk_size: int) -> None:
        self._opened = opened
        self._chunk_size = chunk_size
        self._kept = b""
        self.lines = 0  # line feeds before the current piece
        self._line_head = b""  # the bytes of its first line that came before it

    def __iter__(self) -> Iterator[tuple[bytes, bool]]:
        """Each piece and whether it is the last (the end of the document)."""
        parts = [self._kept]
        while True:
            # After a long string was handed back, read at least as much again: never quadratic.
            chunk = self._opened.read(max(self._chunk_size, len(self._kept)))
            if not chunk:
                yield b"".join(parts), True
                return
            cut = chunk.rfind(b"\n") + 1
            if not cut:  # a line longer than a chunk
                parts.append(chunk)
                continue
            self._kept = chunk[cut:]
            yield b"".join([*parts, chunk[:cut]]), False
            parts = [self._kept]

    def keep(self, piece: bytes, start: int) -> None:
        """``piece[start:]`` comes again at the front of the next piece; only ``piece[:start]`` was used."""
        self._kept = piece[start:] + self._kept
        self.consumed(piece, start)

    def consumed(self, piece: bytes, end: int) -> None:
        feeds = piece.count(b"\n", 0, end)
        last = piece.rfind(b"\n", 0, end)
        self._line_head = piece[last + 1 : end] if feeds else self._line_head + piece[:end]
        self.lines += feeds

    def rest(self, piece: bytes, start: int) -> bytes:
        """What of the document is read but not yet scanned, from ``piece[start:]`` on."""
        return piece[start:] + self._kept

    def location(self, piece: bytes, offset: int, source: str) -> SourceLocation:
        """What :func:`crmkg.inputcheck.limits.location_at` says of the whole document."""
        line_start = piece.rfind(b"\n", 0, offset) + 1
        before = piece[line_start:offset] if line_start else self._line_head + piece[:offset]
        column = len(before.decode("utf-8", "replace")) + 1
        return SourceLocation(source, self.lines + piece.count(b"\n", 0, offset) + 1, column)


def check(opened: IO[bytes], source: str, limits: InputLimits, *, line_based: bool, chunk_size: int) -> None:
    """:func:`turtle_scan.check` of the document from where ``opened`` stands."""
    start, limit = opened.tell(), limits.max_depth
    if _openers(_chunks(opened, chunk_size), b"", line_based=line_based) <= limit:
        return
    opened.seek(start)
    if _depth(_Pieces(opened, chunk_size)) <= limit:
        return
    opened.seek(start)
    _locate(opened, source, limit, chunk_size)
    raise too_deep(SourceLocation(source), _WHAT, limit)  # the token scan never counts less


def _chunks(opened: IO[bytes], chunk_size: int) -> Iterator[bytes]:
    while chunk := opened.read(chunk_size):
        yield chunk


def _openers(chunks: Iterator[bytes], first: bytes, *, line_based: bool = False) -> int:
    """``turtle_scan._openers`` (``line_based``: the ``<<`` alone) of ``first`` and then ``chunks``:
    ``bytes.count`` counts ``<<`` in a run of ``<`` from its start, so an odd run's last ``<`` waits
    for the next chunk."""
    total, carried = 0, b""
    for chunk in chain((first,), chunks):
        data = carried + chunk
        carried = b"<" if (len(data) - len(data.rstrip(b"<"))) % 2 else b""
        total += data.count(b"<<", 0, len(data) - len(carried))
        if not line_based:
            total += data.count(b"[") + data.count(b"(") + data.count(b"{")
    return total


def _open_long_string(piece: bytes, start: int, token: bytes) -> bool:
    """Whether the token at ``start`` is where a long string opens but does not close in ``piece``
    (the scanner then took its first two quotes for an empty string)."""
    quotes = piece[start : start + 3]
    return quotes in _LONG_QUOTES and not (len(token) >= 6 and token.endswith(quotes))


def _depth(pieces: _Pieces) -> int:
    """``turtle_scan.depth`` of the whole document, piece by piece."""
    level = deepest = 0
    for piece, last in pieces:
        if last or not any(quotes in piece for quotes in _LONG_QUOTES):
            levels = list(accumulate((_DELTA.get(b, 0) for b in _BRACKETS.findall(piece)), initial=level))
            level, deepest = levels[-1], max(deepest, *levels)
            continue
        for match in _TOKEN.finditer(piece):  # a long string may open here: token by token
            if match.lastgroup == "skip" and _open_long_string(piece, match.start(), match.group()):
                pieces.keep(piece, match.start())
                break
            level += _DELTA.get(match.group(), 0) if match.lastgroup in ("open", "close") else 0
            deepest = max(deepest, level)
    return deepest


def _locate(opened: IO[bytes], source: str, limit: int, chunk_size: int) -> None:
    """``turtle_scan._locate``, piece by piece: raise where the nesting passes ``limit``."""
    stack: list[bytes] = []
    pieces = _Pieces(opened, chunk_size)
    for piece, last in pieces:
        for match in _TOKEN.finditer(piece):
            kind, token = match.lastgroup, match.group()
            if kind == "skip" and not last and _open_long_string(piece, match.start(), token):
                pieces.keep(piece, match.start())
                break
            if kind == "open":
                stack.append(token)
                if len(stack) > limit:
                    raise too_deep(pieces.location(piece, match.start(), source), _WHAT, limit)
            elif kind == "close":
                if stack and stack[-1] == _OPENER_OF[token]:
                    stack.pop()
            elif kind == "odd":
                # An unterminated string or an invalid IRI: the parser stops here (see turtle_scan).
                if len(stack) + _openers(_chunks(opened, chunk_size), pieces.rest(piece, match.start())) > limit:
                    what = Phrase("limit.what.iri") if token == b"<" else Phrase("limit.what.string")
                    raise unterminated(pieces.location(piece, match.start(), source), what)
                return
        else:
            pieces.consumed(piece, len(piece))
