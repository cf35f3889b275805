"""A SPARQL worker process: opens the store read-only and answers one query at a time.

Run as ``python -m crmkg.api.sparql.worker STORE_DIR``. The parent (``workers.WorkerPool``) talks to
it over stdin/stdout in length-prefixed frames, and kills it when a query runs out of time —
pyoxigraph cannot cancel a running query, a process can always be killed.
"""

from __future__ import annotations

import json
import os
import struct
import sys
from typing import IO, Any

import pyoxigraph as ox

from crmkg.api.sparql.results import BOOLEAN_WRITERS, GRAPH_FORMATS, SELECT_WRITERS
from crmkg.namespaces import PREFIXES

_LEN = struct.Struct(">I")


def write_frame(out: IO[bytes], payload: bytes) -> None:
    out.write(_LEN.pack(len(payload)))
    out.write(payload)


def read_frame(inp: IO[bytes]) -> bytes | None:
    head = inp.read(_LEN.size)
    if len(head) < _LEN.size:
        return None
    (size,) = _LEN.unpack(head)
    data = inp.read(size)
    return data if len(data) == size else None


def run(store: ox.Store, req: dict[str, Any]) -> tuple[dict[str, Any], bytes]:
    """Run one query request; returns the reply header and the serialised body."""
    kwargs: dict[str, Any] = {}
    if req["default_graphs"]:
        kwargs["default_graph"] = [ox.NamedNode(g) for g in req["default_graphs"]]
    if req["named_graphs"]:
        kwargs["named_graphs"] = [ox.NamedNode(g) for g in req["named_graphs"]]
        if not req["default_graphs"]:
            kwargs["default_graph"] = []  # only named graphs given: the default graph is empty
    if not kwargs and not req["dataset_clause"]:
        kwargs["use_default_graph_as_union"] = True
    result = store.query(req["query"], base_iri=req.get("base_iri"), **kwargs)
    fmt = req["format"]
    max_rows = int(req["max_rows"])
    if isinstance(result, ox.QueryBoolean):
        return {"ok": True, "kind": "boolean", "truncated": False}, BOOLEAN_WRITERS[fmt](bool(result))
    truncated = False
    if isinstance(result, ox.QuerySolutions):
        variables = [v.value for v in result.variables]
        width = len(variables)
        rows: list[list[object | None]] = []
        for solution in result:
            if len(rows) >= max_rows:
                truncated = True
                break
            rows.append([solution[i] for i in range(width)])
        body = SELECT_WRITERS[fmt](variables, rows, truncated)
        return {"ok": True, "kind": "solutions", "truncated": truncated, "rows": len(rows)}, body
    triples: list[ox.Triple] = []
    for triple in result:
        if len(triples) >= max_rows:
            truncated = True
            break
        triples.append(triple)
    prefixes = PREFIXES if fmt == "turtle" else None
    body = ox.serialize(triples, format=GRAPH_FORMATS[fmt], prefixes=prefixes) or b""
    return {"ok": True, "kind": "graph", "truncated": truncated, "rows": len(triples)}, body


def main(argv: list[str]) -> int:
    # Keep the protocol channel private: anything printed by libraries goes to stderr.
    out = os.fdopen(os.dup(1), "wb")
    os.dup2(2, 1)
    inp = sys.stdin.buffer
    try:
        store = ox.Store.read_only(argv[1])
    except OSError as exc:
        write_frame(out, json.dumps({"ok": False, "kind": "store", "message": str(exc)}).encode())
        out.flush()
        return 1
    write_frame(out, b'{"ok": true, "ready": true}')
    out.flush()
    while True:
        frame = read_frame(inp)
        if frame is None:
            return 0
        try:
            header, body = run(store, json.loads(frame))
        except SyntaxError as exc:
            header, body = {"ok": False, "kind": "syntax", "message": str(exc)}, b""
        except OSError as exc:
            header, body = {"ok": False, "kind": "store", "message": str(exc)}, b""
        except Exception as exc:  # report, never die: the parent decides what to do
            header, body = {"ok": False, "kind": "internal", "message": f"{type(exc).__name__}: {exc}"}, b""
        write_frame(out, json.dumps(header).encode("utf-8"))
        write_frame(out, body)
        out.flush()


if __name__ == "__main__":
    sys.exit(main(sys.argv))
