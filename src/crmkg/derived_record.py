"""Deriving a served folder's graph for a new day without running every rule again.

``crmkg serve --store DIR`` on a new day derives the rules' results for it (:mod:`crmkg.derived`).
Most rules do not take the day, and their results change only with the data; at 10M triples they
are most of the five minutes this took. So each derivation leaves a record beside the store,
``DIR/crmkg-derived-dated.nt``: the triples that are in the derived graph only for its day
(N-Triples), under a first line naming the generation the derivation wrote, its day and the rules'
fingerprint. The next derivation runs only the rules that take the day when the store's current
generation is that one (every write makes a new generation, so the data is what the graph was
derived from) and the rules are the same; anything else, or no record, derives everything.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import re
from pathlib import Path

import pyoxigraph as ox

from crmkg import derived
from crmkg.catalogue import Catalogue
from crmkg.rules import rule_specs
from crmkg.store import open_store
from crmkg.store.generations import current_name

__all__ = ["RECORD", "refresh_folder"]

RECORD = "crmkg-derived-dated.nt"
_HEADER = re.compile(r"# crmkg derived: generation (\d+), day (\d{4}-\d{2}-\d{2}), rules ([0-9a-f]{64})\n")


def refresh_folder(location: str | Path, as_of: dt.date) -> int:
    """Derive the folder's graph for ``as_of`` in one writer (a new generation), reusing the last
    derivation where the record allows (see the module's note); the number of triples derived."""
    root = Path(location)
    rules = _fingerprint()
    writer = open_store(root)
    try:
        base = current_name(root)  # the writer's lock is held: no other writer can change it now
        dated_before = _read(root, base, rules)
        if dated_before is not None and derived.derived_day(writer) != dated_before[0]:
            dated_before = None
        derivation = derived.derive(writer, as_of, dated_before=None if dated_before is None else dated_before[1])
    finally:
        writer.close()
    if writer.generation is not None:
        _write(root, writer.generation, as_of, rules, derivation.dated_only)
    return derivation.written


def _fingerprint() -> str:
    """The rules as they are now: their ids and texts (a changed rule derives everything again)."""
    digest = hashlib.sha256()
    for spec in rule_specs(Catalogue()):
        digest.update(f"{spec.id}\n{spec.text}\n".encode())
    return digest.hexdigest()


def _read(root: Path, generation: str | None, rules: str) -> tuple[dt.date, frozenset[ox.Triple]] | None:
    """The record's day and triples, if it was written for ``generation`` with these ``rules``."""
    if generation is None:
        return None
    try:
        data = (root / RECORD).read_bytes()
    except OSError:
        return None
    first, _, body = data.partition(b"\n")
    header = _HEADER.fullmatch(first.decode("utf-8", "replace") + "\n")
    if header is None or header[1] != generation or header[3] != rules:
        return None
    try:
        triples = frozenset(ox.Triple(q.subject, q.predicate, q.object) for q in ox.parse(body, ox.RdfFormat.N_TRIPLES))
        return dt.date.fromisoformat(header[2]), triples
    except (SyntaxError, ValueError):  # a damaged record: derive everything
        return None


def _write(root: Path, generation: str, as_of: dt.date, rules: str, triples: tuple[ox.Triple, ...]) -> None:
    header = f"# crmkg derived: generation {generation}, day {as_of.isoformat()}, rules {rules}\n"
    body = ox.serialize(list(triples), format=ox.RdfFormat.N_TRIPLES) or b""
    temporary = root / f".{RECORD}.{os.getpid()}"
    temporary.write_bytes(header.encode() + body)
    os.replace(temporary, root / RECORD)  # a reader sees the old record or the new one
