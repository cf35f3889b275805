"""The input limits, checked before any parser sees a document: exact where it matters, linear,
and the same for files (``crmkg load``/``validate``, the library) as for uploads.

The scanners are tested differentially: documents built with a known nesting — strings, comments,
IRIs and escaped names full of brackets and quotes around them — must come out at exactly that
depth, and pyoxigraph must accept every one of them (so they are real documents, not our own idea
of the syntax).
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pyoxigraph as ox
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from crmkg.errors import InputLimitError, RdfSyntaxError, UsageError
from crmkg.formats import RdfFormat
from crmkg.inputcheck import InputLimits, check_document, jsonld_scan, turtle_scan, using_limits
from crmkg.loading import load, parse_bytes
from crmkg.store import open_store

from .documents import DEEP, jsonld_context_chain, jsonld_objects, rdfxml_attributes, rdfxml_elements
from .servers import crmkg_env

# --- Turtle: documents of known depth -------------------------------------------------------------

_LEAVES = [
    "<http://e/x#frag>",
    "ex:a\\(\\)\\#",  # escaped local-name characters: no brackets, no comment
    "ex:b\\'q",
    '"] ) >> [ ( \\" # <<"',
    "'] ) [ ( \\' #'",
    '"""multi ] ) "" \\""" line\n [ ( << # """',
    "'''also ] '' ( \n # '''",
    '"tag"@fi',
    '"1"^^<http://www.w3.org/2001/XMLSchema#integer>',
    "42",
    "true",
    "_:b1",
]
_COMMENT = " # a comment with ] ) >> [ ( << \" '\n "


@st.composite
def turtle_terms(draw: st.DrawFn, budget: int = 6) -> tuple[str, int]:
    """A Turtle object term and its nesting depth."""
    kind = draw(st.sampled_from(["leaf", "leaf", "bnode", "collection", "triple"] if budget else ["leaf"]))
    if kind == "leaf":
        return draw(st.sampled_from(_LEAVES)), 0
    if kind == "triple":
        inner, depth = draw(triple_objects(budget - 1))
        return f"<<( <http://e/s> ex:p {inner} )>>", depth + 1
    parts = draw(st.lists(turtle_terms(budget - 1), min_size=1, max_size=3))
    gap = draw(st.sampled_from([" ", _COMMENT, "\n\t"]))
    if kind == "bnode":
        body = " ; ".join(f"ex:p{gap}{text}" for text, _ in parts)
        return f"[ {body} ]", 1 + max(d for _, d in parts)
    return "( " + gap.join(text for text, _ in parts) + " )", 1 + max(d for _, d in parts)


@st.composite
def triple_objects(draw: st.DrawFn, budget: int) -> tuple[str, int]:
    """Objects allowed inside a triple term: plain terms and triple terms."""
    if budget and draw(st.booleans()):
        inner, depth = draw(triple_objects(budget - 1))
        return f"<<( <http://e/s> ex:p {inner} )>>", depth + 1
    # pyoxigraph takes no long strings inside triple terms
    plain = [leaf for leaf in _LEAVES if leaf != "_:b1" and not leaf.startswith(('"""', "'''"))]
    return draw(st.sampled_from([*plain, "_:b2"])), 0


@st.composite
def turtle_documents(draw: st.DrawFn) -> tuple[bytes, int]:
    statements = draw(st.lists(turtle_terms(), min_size=1, max_size=4))
    lines = ["@prefix ex: <http://e/> ."]
    lines += [f"<http://e/s{i}> ex:p {text} .{_COMMENT if i % 2 else ''}" for i, (text, _) in enumerate(statements)]
    return "\n".join(lines).encode(), max(depth for _, depth in statements)


@settings(max_examples=300, deadline=None)
@given(turtle_documents())
def test_turtle_depth_is_exact(document: tuple[bytes, int]) -> None:
    data, expected = document
    list(ox.parse(data, format=ox.RdfFormat.TURTLE))  # a real document
    assert turtle_scan.depth(data) == expected
    check_document(data, RdfFormat.TURTLE, "t.ttl", InputLimits(max_depth=max(1, expected)))
    if expected >= 2:
        with pytest.raises(InputLimitError, match=r"t\.ttl:\d+:\d+: .*limit of"):
            check_document(data, RdfFormat.TURTLE, "t.ttl", InputLimits(max_depth=expected - 1))


@settings(max_examples=100, deadline=None)
@given(turtle_documents(), st.integers(min_value=0, max_value=3000))
def test_the_bracket_scan_never_retries(document: tuple[bytes, int], tail: int) -> None:
    """The depth scan's matches tile the document end to end: a match that failed would be retried at
    every later position, which made the scan quadratic in a long bracket-free tail."""
    data, _ = document
    data += b'\nex:a ex:b "c" .' * tail
    end = 0
    for match in turtle_scan._BRACKETS.finditer(data):
        assert match.start() == end, f"no match from {end} to {match.start()}"
        end = match.end()
    assert end == len(data)


@pytest.mark.parametrize(
    "data",
    [
        b'<http://e/a> <http://e/p> "never ends [[[[[[[[[[',  # the parser stops at the string
        b"<http://e/a> <http://e/p> <http://e/ [[[[[[[[[[ > .",  # an IRI with a space: invalid
        b'<http://e/a> <http://e/p> """still open\n[[[[[[[[[[',
    ],
)
def test_after_an_unterminated_token_every_bracket_counts(data: bytes) -> None:
    with pytest.raises(InputLimitError, match="never ends"):
        check_document(data, RdfFormat.TURTLE, "t.ttl", InputLimits(max_depth=5))
    check_document(data, RdfFormat.TURTLE, "t.ttl", InputLimits(max_depth=10))


# --- JSON(-LD): values of known depth ------------------------------------------------------------

_TRICKY = st.text(alphabet=st.sampled_from(list('[]{}"\\/ ,:aä\n\u2028')), max_size=12)
json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | _TRICKY,
    lambda children: st.lists(children, max_size=3) | st.dictionaries(_TRICKY, children, max_size=3),
    max_leaves=25,
)


def _json_depth(value: Any) -> int:
    if isinstance(value, list):
        return 1 + max((_json_depth(v) for v in value), default=0)
    if isinstance(value, dict):
        return 1 + max((_json_depth(v) for v in value.values()), default=0)
    return 0


@settings(max_examples=300, deadline=None)
@given(json_values, st.booleans(), st.sampled_from([None, 1]))
def test_json_depth_is_exact(value: Any, ascii_only: bool, indent: int | None) -> None:
    data = json.dumps(value, ensure_ascii=ascii_only, indent=indent).encode()
    assert jsonld_scan.depth(data) == _json_depth(value)


def test_json_brackets_inside_strings_do_not_count() -> None:
    data = json.dumps({"@id": "http://e/a", "http://e/p": "[" * 500 + '\\"{' * 500}).encode()
    check_document(data, RdfFormat.JSON_LD, "j.jsonld", InputLimits(max_depth=1))


def test_context_chains_are_measured_cycles_included() -> None:
    check_document(jsonld_context_chain(60), RdfFormat.JSON_LD, "c.jsonld")
    with pytest.raises(InputLimitError, match="@context term definitions"):
        check_document(jsonld_context_chain(64), RdfFormat.JSON_LD, "c.jsonld")
    # a chain that runs into a cycle of 40 terms: 30 + 40 terms on the way
    terms = {f"a{i}": f"a{i + 1}:x" for i in range(30)} | {f"c{i}": f"c{(i + 1) % 40}:x" for i in range(40)}
    terms["a30"] = "c0:x"
    cyclic = json.dumps({"@context": terms, "@id": "http://e/a"}).encode()
    with pytest.raises(InputLimitError):
        check_document(cyclic, RdfFormat.JSON_LD, "c.jsonld")
    check_document(cyclic, RdfFormat.JSON_LD, "c.jsonld", InputLimits(max_depth=71))
    # a big flat context (every term through one prefix) is fine
    flat = {"s": "http://schema.org/"} | {f"t{i}": {"@id": f"s:t{i}", "@type": "@id"} for i in range(3000)}
    check_document(json.dumps({"@context": flat}).encode(), RdfFormat.JSON_LD, "flat.jsonld")


# --- RDF/XML --------------------------------------------------------------------------------------


def test_xml_depth_counts_elements() -> None:
    # rdf:RDF, then two elements per level, then the innermost node element
    check_document(rdfxml_elements(31), RdfFormat.RDF_XML, "x.rdf")  # 64 elements
    with pytest.raises(InputLimitError, match=r"x\.rdf:1:\d+: XML elements"):
        check_document(rdfxml_elements(32), RdfFormat.RDF_XML, "x.rdf")


def test_xml_width_is_limited() -> None:
    check_document(rdfxml_attributes(255), RdfFormat.RDF_XML, "x.rdf")  # plus rdf:about
    with pytest.raises(InputLimitError, match="257 attributes"):
        check_document(rdfxml_attributes(256), RdfFormat.RDF_XML, "x.rdf")

    # three elements declaring 100 namespaces each, inside rdf:RDF's one: 301 in scope at the innermost
    def declarations(level: int) -> str:
        return " ".join(f'xmlns:n{level}x{i}="http://e/{level}/{i}/"' for i in range(100))

    nested = (
        '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
        f"<a {declarations(1)}><b {declarations(2)}><c {declarations(3)}/></b></a></rdf:RDF>"
    )
    check_document(nested.encode(), RdfFormat.RDF_XML, "x.rdf", InputLimits(max_xml_attributes=301))
    with pytest.raises(InputLimitError, match="301 namespace declarations in scope"):
        check_document(nested.encode(), RdfFormat.RDF_XML, "x.rdf", InputLimits(max_xml_attributes=300))


def test_internal_entities_load_from_files_but_expansion_bombs_do_not(tmp_path: Path) -> None:
    rdf = 'xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:ex="http://e/"'
    owl_style = (
        '<?xml version="1.0"?>\n<!DOCTYPE rdf:RDF [<!ENTITY e "http://e/">]>\n'
        f'<rdf:RDF {rdf}><rdf:Description rdf:about="&e;a"><ex:p rdf:resource="&e;b"/></rdf:Description></rdf:RDF>'
    )
    assert len(parse_bytes(owl_style.encode(), RdfFormat.RDF_XML)) == 1
    with pytest.raises(RdfSyntaxError, match="not allowed in posted"):
        check_document(owl_style.encode(), RdfFormat.RDF_XML, "u.rdf", InputLimits(xml_entities=False))
    levels = ['<!ENTITY l0 "' + "x" * 100 + '">'] + [
        f'<!ENTITY l{i} "' + f"&l{i - 1};" * 10 + '">' for i in range(1, 10)
    ]
    bomb = (
        f'<?xml version="1.0"?>\n<!DOCTYPE rdf:RDF [{"".join(levels)}]>\n'
        f'<rdf:RDF {rdf}><rdf:Description rdf:about="http://e/a"><ex:p>&l9;</ex:p></rdf:Description></rdf:RDF>'
    )
    with pytest.raises(RdfSyntaxError, match="amplification"):
        check_document(bomb.encode(), RdfFormat.RDF_XML, "bomb.rdf")


# --- the same limits for files: library and CLI ---------------------------------------------------


@pytest.mark.parametrize("name", sorted(DEEP))
def test_a_deep_file_leaves_the_store_as_it_was(tmp_path: Path, name: str) -> None:
    _, suffix, build = DEEP[name]
    good = tmp_path / "a-good.ttl"
    good.write_text("<http://e/x> <http://e/p> <http://e/y> .\n")
    deep = tmp_path / f"b-deep{suffix}"
    deep.write_bytes(build(20_000))
    store = open_store()
    with pytest.raises(InputLimitError, match=rf"b-deep\{suffix}(:\d+:\d+)?: .*limit of 64"):
        load(store, [good, deep])
    assert len(store) == 0
    with using_limits(InputLimits(max_depth=20)), pytest.raises(InputLimitError, match="limit of 20"):
        load(store, [deep])


def _crmkg(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "crmkg", *args], capture_output=True, text=True, env=env or crmkg_env(), timeout=300
    )


@pytest.mark.parametrize("verb", ["load", "validate"])
def test_the_cli_refuses_a_deep_file_with_exit_2(tmp_path: Path, verb: str) -> None:
    deep = tmp_path / "deep.jsonld"
    deep.write_bytes(jsonld_objects(4_000))  # exit 139, silently, before
    args = [verb, str(deep)] + (["--store", str(tmp_path / "kg")] if verb == "load" else [])
    result = _crmkg(*args)
    assert result.returncode == 2, result.stderr
    assert "deep.jsonld:1:" in result.stderr
    assert "CRMKG_MAX_NESTING_DEPTH" in result.stderr
    assert "Traceback" not in result.stderr
    raised = _crmkg(*args, "--max-nesting-depth", "8")
    assert raised.returncode == 2
    assert "limit of 8" in raised.stderr


def test_the_limit_settings_have_a_range(tmp_path: Path) -> None:
    data = tmp_path / "a.ttl"
    data.write_text("<http://e/x> <http://e/p> <http://e/y> .\n")
    for env in ({"CRMKG_MAX_NESTING_DEPTH": "0"}, {"CRMKG_MAX_XML_ATTRIBUTES": "100000"}):
        result = _crmkg("validate", str(data), env=crmkg_env(**env))
        assert result.returncode == 2
        assert "must be between" in result.stderr
        assert next(iter(env)) in result.stderr
    with pytest.raises(UsageError, match="between 1 and 512"):
        InputLimits(max_depth=10_000)
