"""A small streaming Turtle writer for the benchmark generators: one block per subject, nested
blank nodes written ``[ … ]``, a running triple count.

Terms are passed already written (``ex:a``, ``"x"@fi``, ``3``); a blank-node object is a
:class:`Blank` holding its own predicate–object pairs.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import TextIO


@dataclass
class Blank:
    """An anonymous blank node written in place: ``[ p o ; … ]``."""

    pairs: list[tuple[str, list[str | Blank]]] = field(default_factory=list)


Object = str | Blank
Pairs = list[tuple[str, list[Object]]]


def date(d: dt.date) -> str:
    return f'"{d.isoformat()}"^^xsd:date'


def text(value: str, lang: str | None = None) -> str:
    escaped = value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
    return f'"{escaped}"' + (f"@{lang}" if lang else "")


def long_text(value: str, lang: str | None = None) -> str:
    """A triple-quoted string (it may span lines, which the location scan must count)."""
    return '"""' + value.replace("\\", "\\\\").replace('"', '\\"') + '"""' + (f"@{lang}" if lang else "")


class TurtleWriter:
    """Writes Turtle blocks to ``out`` in chunks and counts the triples written."""

    def __init__(self, out: TextIO) -> None:
        self.out = out
        self.parts: list[str] = []
        self.triples = 0

    def raw(self, line: str) -> None:
        self.parts.append(line + "\n")

    def block(self, subject: str, pairs: Pairs, *, comment: str | None = None) -> None:
        """``subject p o , o ; p o .`` — pairs without objects are left out."""
        pairs = [(p, objs) for p, objs in pairs if objs]
        if not pairs:
            return
        if comment:
            self.parts.append(f"# {comment}\n")
        self.triples += self.count(pairs)
        body = " ;\n    ".join(f"{p} {self._objects(objs, 1)}" for p, objs in pairs)
        self.parts.append(f"{subject} {body} .\n\n")
        if len(self.parts) > 2000:
            self.flush()

    def anonymous(self, pairs: Pairs) -> None:
        """A statement whose subject is an anonymous blank node: ``[ p o ; … ] .``"""
        self.triples += self.count(pairs)
        self.parts.append(f"{self._blank(Blank(pairs), 0)} .\n\n")

    def _objects(self, objs: list[Object], depth: int) -> str:
        return " , ".join(o if isinstance(o, str) else self._blank(o, depth) for o in objs)

    def _blank(self, node: Blank, depth: int) -> str:
        inner = " ; ".join(f"{p} {self._objects(objs, depth + 1)}" for p, objs in node.pairs if objs)
        return f"[ {inner} ]"

    def count(self, pairs: Pairs) -> int:
        """Triples that ``pairs`` stand for, nested blank nodes included."""
        total = 0
        for _, objs in pairs:
            for o in objs:
                total += 1 if isinstance(o, str) else 1 + self.count(o.pairs)
        return total

    def flush(self) -> None:
        self.out.write("".join(self.parts))
        self.parts.clear()
