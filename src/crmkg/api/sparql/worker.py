"""A SPARQL worker process: checks, parses and answers one query at a time, without network access.

Run as ``python -m crmkg.api.sparql.worker STORE_DIR MEMORY_MIB [NICE]``. At start it installs the seccomp
filter of :mod:`crmkg.sandbox` (no sockets: a ``SERVICE`` that got past the policy still cannot
connect anywhere) and caps its own memory, then opens the store read-only. Everything that reads
the untrusted query text — the limits, the parse, the policy, content negotiation — happens here,
so a pathological query costs this process (killed and replaced by ``workers.WorkerPool``), never
the server. The parent talks to it over stdin/stdout in length-prefixed frames.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import resource
import struct
import sys
from collections import OrderedDict
from typing import IO, Any

import pyoxigraph as ox

from crmkg.api import answers
from crmkg.api.sparql import conneg, wire
from crmkg.api.sparql.results import BOOLEAN_WRITERS, GRAPH_FORMATS, SELECT_WRITERS
from crmkg.errors import CrmkgError, NotFound, QueryRefused, QuerySyntaxError, QueryTooLarge, portable_params
from crmkg.lookup.queries import AccountableMemo
from crmkg.namespaces import PREFIXES
from crmkg.sandbox import deny_network
from crmkg.sparql import policy
from crmkg.store import AskResult, QueryOptions, QueryResult, SelectResult, Store, graph_names, open_store

_LEN = struct.Struct(">I")
#: Admission decisions (or refusals) by query text: the parse is the costly step for repeated queries.
_DECISIONS: OrderedDict[tuple[str, int, int], policy.QueryInfo | Exception] = OrderedDict()
_DECISIONS_KEPT = 512
#: Who is accountable behind each owner/lead assignee, for the next relationship it owns or leads:
#: the store is a read-only snapshot for this process's life, so the rows stay right. Most of a
#: lookup's cost is Oxigraph preparing each query, and an assignee serves many relationships.
_ACCOUNTABLE: AccountableMemo = {}
_ACCOUNTABLE_KEPT = 8192


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


def decide(text: str, limits: policy.Limits) -> policy.QueryInfo:
    """:func:`policy.inspect`, remembered for the last few hundred texts."""
    key = (text, limits.max_bytes, limits.max_depth)
    found = _DECISIONS.get(key)
    if found is None:
        try:
            found = policy.inspect(text, limits)
        except (QueryRefused, QuerySyntaxError) as exc:
            found = exc
        _DECISIONS[key] = found
        if len(_DECISIONS) > _DECISIONS_KEPT:
            _DECISIONS.popitem(last=False)
    else:
        _DECISIONS.move_to_end(key)
    if isinstance(found, Exception):
        raise found
    return found


def run(store: Store, graphs: frozenset[str], req: dict[str, Any]) -> tuple[dict[str, Any], bytes]:
    """Admit, negotiate and run one query request; returns the reply header and the serialised body.

    ``bindings`` (the app's own queries: lookups, the catalogue) are bound by the store after the
    policy has admitted the text; a term in a variable's place cannot change what the query may do.
    A negative ``max_rows`` means no row cap (a lookup needs every row to answer right).
    """
    limits = policy.Limits(max_bytes=int(req["max_bytes"]), max_depth=int(req["max_depth"]))
    info = decide(req["query"], limits)
    if not (req["default_graphs"] or req["named_graphs"]):
        policy.check_graphs(info.from_graphs + info.from_named, graphs, "FROM")
    offer = conneg.negotiate(info.form, req.get("accept"), req.get("formats", ()))
    options = QueryOptions(
        default_graphs=tuple(req["default_graphs"]),
        named_graphs=tuple(req["named_graphs"]),
        max_rows=None if int(req["max_rows"]) < 0 else int(req["max_rows"]),
        query_dataset=info.has_dataset_clause,
    )
    bindings = wire.decode_terms(req.get("bindings") or {})
    result = store.query(req["query"], bindings=bindings or None, options=options)
    fmt = offer.key
    head: dict[str, Any] = {"ok": True, "media_type": conneg.content_type(offer), "truncated": result_truncated(result)}
    if isinstance(result, AskResult):
        return {**head, "kind": "boolean"}, BOOLEAN_WRITERS[fmt](result.value)
    if isinstance(result, SelectResult):
        body = SELECT_WRITERS[fmt](result.variables, result.rows, result.truncated)
        return {**head, "kind": "solutions", "rows": len(result)}, body
    prefixes = PREFIXES if fmt == "turtle" else None
    body = ox.serialize(result.triples, format=GRAPH_FORMATS[fmt], prefixes=prefixes) or b""
    return {**head, "kind": "graph", "rows": len(result)}, body


def call(store: Store, req: dict[str, Any]) -> tuple[dict[str, Any], bytes]:
    """One of the app's own lookups run whole here (:meth:`PooledStore.current_json`): our query
    texts with the client's values bound, and the answer's JSON body made where they ran."""
    if req["call"] != "current" or req["holders"] not in ("owners", "leads"):
        raise ValueError(f"unknown call {req['call']!r}")
    day = dt.date.fromisoformat(req["day"])
    if len(_ACCOUNTABLE) > _ACCOUNTABLE_KEPT:
        _ACCOUNTABLE.clear()  # bounded; refilled by the next lookups
    body = answers.current_json(store, req["holders"], req["relationship"], day, req["lang"], memo=_ACCOUNTABLE)
    return {"ok": True, "kind": "json", "media_type": "application/json"}, body


def result_truncated(result: QueryResult) -> bool:
    return not isinstance(result, AskResult) and result.truncated


def answer(store: Store, graphs: frozenset[str], req: dict[str, Any]) -> tuple[dict[str, Any], bytes]:
    """:func:`run`, with every failure turned into a reply header the parent maps to a status."""
    try:
        return call(store, req) if "call" in req else run(store, graphs, req)
    except NotFound as exc:
        return failure("not-found", exc), b""
    except QueryTooLarge as exc:
        return failure("too-large", exc), b""
    except QueryRefused as exc:
        return failure("refused", exc), b""
    except QuerySyntaxError as exc:
        return failure("syntax", exc), b""
    except conneg.NotAcceptable as exc:
        return {"ok": False, "kind": "not-acceptable", "message": exc.available}, b""
    except MemoryError:
        return {"ok": False, "kind": "memory", "message": "out of memory"}, b""
    except CrmkgError as exc:
        return failure("store", exc), b""
    except Exception as exc:  # report, never die: the parent decides what to do
        return {"ok": False, "kind": "internal", "message": f"{type(exc).__name__}: {exc}"}, b""


def failure(kind: str, exc: CrmkgError) -> dict[str, Any]:
    """A failed reply; a message key and its parameters go along, so the parent tells the error in
    the request's language (:meth:`CrmkgError.localised`)."""
    reply: dict[str, Any] = {"ok": False, "kind": kind, "message": str(exc)}
    if exc.key is not None:
        reply["key"] = exc.key
        reply["params"] = portable_params(exc.params)
    return reply


def cap_memory(mebibytes: int) -> None:
    """Cap the process's data segment (heap and anonymous mappings); 0 leaves it uncapped."""
    if mebibytes > 0:
        limit = mebibytes * 1024 * 1024
        resource.setrlimit(resource.RLIMIT_DATA, (limit, limit))


def prepare_process(memory_mb: int) -> bool:
    """Sandbox and cap this process before it reads anything; ``True`` if the network is gone."""
    refused = deny_network()
    if refused is not None:
        print(f"crmkg SPARQL worker: network NOT sandboxed — {refused}", file=sys.stderr, flush=True)
    cap_memory(memory_mb)
    return refused is None


def main(argv: list[str]) -> int:
    # Keep the protocol channel private: anything printed by libraries goes to stderr.
    out = os.fdopen(os.dup(1), "wb")
    os.dup2(2, 1)
    try:
        return serve(argv, out)
    except BrokenPipeError:
        return 0  # the parent stopped listening (shutdown): nothing left to answer


def serve(argv: list[str], out: IO[bytes]) -> int:
    inp = sys.stdin.buffer
    sandboxed = prepare_process(int(argv[2]) if len(argv) > 2 else 0)
    nice = int(argv[3]) if len(argv) > 3 else 0
    try:
        store = open_store(argv[1], read_only=True)
        graphs = graph_names(store)
    except CrmkgError as exc:
        write_frame(out, json.dumps({"ok": False, "kind": "store", "message": str(exc)}).encode())
        out.flush()
        return 1
    write_frame(out, json.dumps({"ok": True, "ready": True, "sandboxed": sandboxed}).encode())
    out.flush()
    if nice > 0:
        # Lowered once started (a start at the server's priority keeps a pool's first use and a
        # replacement short on a busy machine) and before the first query: whatever this worker
        # runs then yields the CPU to the lookups' workers and the server.
        os.nice(nice)
    while True:
        frame = read_frame(inp)
        if frame is None:
            return 0
        header, body = answer(store, graphs, json.loads(frame))
        write_frame(out, json.dumps(header).encode("utf-8"))
        write_frame(out, body)
        out.flush()


if __name__ == "__main__":
    sys.exit(main(sys.argv))
