"""Differential fuzzing of the /sparql policy against the engine itself.

Hypothesis builds queries that mix escapes (``\\#``, ``\\'``, ``\\"``, ``\\\\``, ``%xx``), strings of all
four kinds, IRIs, comments and SERVICE / LOAD / FROM / update pieces. Every query the policy admits is
then run by pyoxigraph in this (unsandboxed) process — the engine that would really call out — and a
listener on 127.0.0.1 must never see a connection. Queries that carry an active SERVICE by
construction must never be admitted. CI runs the fixed example sequence of the ``ci`` profile.
"""

from __future__ import annotations

import contextlib
import time
from typing import Any

import pyoxigraph as ox
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from crmkg.errors import QueryError
from crmkg.sparql.policy import inspect

NAMES = ["ex:a\\#", "ex:a\\'", "ex:a%23", "ex:a\\.", "ex:a.b", "ex:a\\#\\'", "ex:", "ex:a\\\\", 'ex:a\\"', "ex:é%C3"]
STRINGS = [
    '"a\\"#"',
    "'\\'#'",
    '"""a""#"""',
    "'''a''b'''",
    '"a\\\\"',
    '"#"',
    '"}"',
    "'SERVICE <{t}> { }'",
    '"""\nSERVICE <{t}> { ?s ?p ?o }\n"""',
    '"<"',
]
IRIS = ["<http://e/#x>", "<a'b>", "<http://e/>", "<{t}>", "<urn:SERVICE>"]
TERMS = NAMES + STRINGS + IRIS + ["?v", "1", "-1.5e3", "true", "[]", "()"]
SEPARATORS = [" ", "\n", "\r", "\t", " # c\n", " #SERVICE <{t}> {\n", "#", " . "]
ACTIVE = ["SERVICE <{t}> { ?s ?p ?o }", "SERVICE SILENT <{t}> { }", "sErViCe <{t}>{}"]
INERT = [
    "FILTER(?a<?b&&?c>?d)",
    "FILTER(1<2)",
    "OPTIONAL { ?s ?p ?o }",
    "LOAD <{t}>",
    "INSERT DATA { }",
    "{ SELECT * FROM <{t}> { } }",
    "} UNION {",
]


@st.composite
def hostile_queries(draw: st.DrawFn) -> tuple[str, bool]:
    """A query text (``{t}`` stands for the listener's URL), and whether a SERVICE piece was put in."""
    parts: list[str] = []
    active = False
    for _ in range(draw(st.integers(1, 6))):
        choice = draw(st.sampled_from(["triple", "bind", "service", "inert"]))
        if choice == "triple":
            parts.append(f"?s ?p {draw(st.sampled_from(TERMS))} .")
        elif choice == "bind":
            parts.append(f"BIND({draw(st.sampled_from(TERMS))} AS ?x{len(parts)})")
        elif choice == "service":
            parts.append(draw(st.sampled_from(ACTIVE)))
            active = True
        else:
            parts.append(draw(st.sampled_from(INERT)))
        parts.append(draw(st.sampled_from(SEPARATORS)))
    form = draw(st.sampled_from(["SELECT * WHERE", "ASK", "CONSTRUCT WHERE", "SELECT * FROM <{t}> WHERE"]))
    return "PREFIX ex: <http://e/>\n" + form + " { " + "".join(parts) + " }", active


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(generated=hostile_queries())
def test_nothing_the_policy_admits_opens_a_connection(listener: Any, generated: tuple[str, bool]) -> None:
    template, _ = generated
    text = template.replace("{t}", f"http://127.0.0.1:{listener.port}/sparql")
    try:
        info = inspect(text)
    except QueryError:
        return  # refused: nothing runs
    try:
        result = ox.Store().query(text)
        if not isinstance(result, ox.QueryBoolean):
            list(result)
    except (SyntaxError, OSError, ValueError):
        pass  # the engine may refuse what the grammar allows (scoping rules); it must still not connect
    time.sleep(0.01)
    assert listener.connections == [], f"admitted {info.form} query made the engine connect:\n{text}"


@settings(max_examples=150, deadline=None)
@given(st.text(alphabet="{}()<>?$\\'\"#%:.;,|^!*+-/=@_ \nSERVICEsiloadfrom1234aex", max_size=80))
def test_random_text_is_decided_in_linear_time_and_never_crashes(text: str) -> None:
    started = time.perf_counter()
    with contextlib.suppress(QueryError):
        inspect(text)
    assert time.perf_counter() - started < 0.5
