"""The input-limit check over an open file, chunk by chunk (:func:`crmkg.inputcheck.check_file`),
gives what the check of the whole document gives: the same verdict, the same error, the same file,
line and column — wherever the chunks are cut, tiny chunks included, so that a violation, a long
string, a ``<<`` or a line straddles chunk boundaries.
"""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from crmkg.errors import CrmkgError, InputLimitError
from crmkg.formats import RdfFormat
from crmkg.inputcheck import InputLimits, check_document, check_file, using_limits
from crmkg.store import file_load, open_store, oxigraph, parsing

CHUNK_SIZES = [1, 2, 3, 4, 5, 7, 11, 64, 1 << 22]
LIMITS = InputLimits(max_depth=4, max_xml_attributes=3)

Outcome = tuple[str, str, object] | None


def _whole(data: bytes, fmt: RdfFormat, limits: InputLimits = LIMITS) -> Outcome:
    try:
        check_document(data, fmt, "doc", limits)
    except CrmkgError as exc:
        return type(exc).__name__, str(exc), exc.location
    return None


def _chunked(data: bytes, fmt: RdfFormat, chunk_size: int, limits: InputLimits = LIMITS) -> Outcome:
    opened = io.BytesIO(b"#" + data)  # from where the file stands, and put back there
    opened.seek(1)
    try:
        check_file(opened, fmt, "doc", limits, chunk_size=chunk_size)
    except CrmkgError as exc:
        return type(exc).__name__, str(exc), exc.location
    finally:
        assert opened.tell() == 1
    return None


TURTLE = {
    "deep on one line": b"@prefix ex: <http://e/> .\nex:s ex:p " + b"[ ex:p " * 6 + b"1" + b" ]" * 6 + b" .\n",
    "deep over lines": b"ex:s ex:p [\n ex:p [\n  ex:p (\n   [ ex:p\n    [ ex:q 1 ]\n ] ) ] ] .\n",
    "brackets in a long string": b'ex:s ex:p """[[[[[\n[[[[\n((((""" , [ ex:q 1 ] .\n',
    "after a long string": b'ex:s ex:p """a\n[[[[[\nb""" .\nex:s ex:p ' + b"[ ex:p " * 5 + b"1" + b" ]" * 5 + b" .\n",
    "long single quotes": b"ex:s ex:p '''[[[\n[[[[''' .\nex:s ex:q " + b"( " * 5 + b")" * 5 + b" .\n",
    "a long string never closed": b'ex:s ex:p """never\n' + b"[ " * 9 + b"\n",
    "a short string never closed": b'ex:s ex:p "abc\nex:s ex:p ' + b"[ " * 9 + b"\n",
    "an IRI never closed": b"ex:s ex:p <http://e/a\n" + b"( " * 3 + b"\n",
    "comments": b"# [[[[[[[[[[\nex:s ex:p [ ex:p 1 ] . # ((((((\n",
    "triple terms": b"<< << << << <<( <a> <b> <c> )>> <b> <c> >> <b> <c> >> <b> <c> >> <b> <c> >> <p> <o> .\n",
    "a run of <": b"<<<<<<<<<<<<<\n<<<<\n",
    "closers that do not match": b"[) [) [) [) [) [) [) [)\n",
    "CRLF and non-ASCII": 'ex:s ex:p "ä" ,\r\n ä:x [ ä:p [ ä:p [ ä:p [ ä:p [ 1 ] ] ] ] ] .\r\n'.encode(),
    "no line feed at all": b"ex:s ex:p " + b"{| " * 6 + b"|} " * 6,
    "escapes": b"ex:a\\[ ex:p ex:b\\( .\nex:s ex:p [ [ [ [ [ 1 ] ] ] ] ] .\n",
}


@pytest.mark.parametrize("fmt", [RdfFormat.TURTLE, RdfFormat.TRIG, RdfFormat.N_TRIPLES])
@pytest.mark.parametrize("name", TURTLE)
def test_turtle_family_gives_the_whole_document_verdict(name: str, fmt: RdfFormat) -> None:
    data = TURTLE[name]
    expected = _whole(data, fmt)
    for chunk_size in CHUNK_SIZES:
        assert _chunked(data, fmt, chunk_size) == expected, (name, chunk_size)


def test_a_violation_straddling_a_chunk_is_located_as_in_the_whole_document() -> None:
    """The fifth ``[`` on line 3 is the one past the limit; chunks of 4 bytes cut through it all."""
    data = 'ex:s ex:p "ä" ;\n ex:q [ ex:p [\n ää:x [ ex:p [ ex:p [ 1 ] ] ] ] ] .\n'.encode()
    outcome = _chunked(data, RdfFormat.TURTLE, 4)
    assert outcome is not None
    assert outcome[0] == InputLimitError.__name__
    assert str(outcome[2]) == "doc:3:21"  # columns in characters: "ää" is 4 bytes
    assert outcome == _whole(data, RdfFormat.TURTLE)


XML = {
    "deep elements": b'<?xml version="1.0"?>\n<a>\n<b><c>\n<d><e>x</e></d></c></b></a>\n',
    "many attributes": b'<r>\n<e a="1" b="2" c="3" d="4"/></r>\n',
    "not well-formed": b"<r>\n<e>\n</r>\n",
    "fine": b'<r xmlns="urn:x">\n<e a="1"><f/></e></r>\n',
}


@pytest.mark.parametrize("name", XML)
def test_rdf_xml_gives_the_whole_document_verdict(name: str) -> None:
    expected = _whole(XML[name], RdfFormat.RDF_XML)
    for chunk_size in CHUNK_SIZES:
        assert _chunked(XML[name], RdfFormat.RDF_XML, chunk_size) == expected, (name, chunk_size)
    assert (expected is None) == (name == "fine")


def test_json_ld_gives_the_whole_document_verdict() -> None:
    data = b'{"@id": "urn:a", "urn:p": [[[[{"@value": "x"}]]]]}\n'
    assert _whole(data, RdfFormat.JSON_LD) is not None
    for chunk_size in CHUNK_SIZES:
        assert _chunked(data, RdfFormat.JSON_LD, chunk_size) == _whole(data, RdfFormat.JSON_LD)


#: Pieces of Turtle whose tokenisation depends on what comes before and after them.
_FRAGMENTS = [
    "[", "]", "(", ")", "{", "}", "{|", "|}", "<<", ">>", "<<(", ")>>", "<", ">", '"', "'", '"""', "'''",
    "#", "\\", "\n", "\r\n", " ", "ex:a", "<http://e/>", "ä", "|",
]  # fmt: skip


@settings(max_examples=300, deadline=None, derandomize=True)
@given(
    st.lists(st.sampled_from(_FRAGMENTS), max_size=60),
    st.sampled_from([1, 2, 3, 5, 8]),
    st.booleans(),
)
def test_any_turtle_text_gives_the_whole_document_verdict(pieces: list[str], chunk_size: int, nt: bool) -> None:
    data = "".join(pieces).encode()
    fmt = RdfFormat.N_TRIPLES if nt else RdfFormat.TURTLE
    limits = InputLimits(max_depth=2)
    assert _chunked(data, fmt, chunk_size, limits) == _whole(data, fmt, limits)


@pytest.mark.parametrize("path", ["folder", "remote-check"])
def test_the_folder_load_and_the_remote_checking_pass_check_the_open_file(
    path: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Neither reads a Turtle document whole to check it, and the error is where the whole check puts it."""
    deep = tmp_path / "deep.ttl"
    deep.write_bytes(TURTLE["deep over lines"])
    limits = InputLimits(max_depth=4)
    with pytest.raises(InputLimitError) as whole:
        check_document(deep.read_bytes(), RdfFormat.TURTLE, str(deep), limits)

    def whole_check(*_: object, **__: object) -> None:
        raise AssertionError("the whole document was checked")

    monkeypatch.setattr(parsing, "check_document", whole_check)
    monkeypatch.setattr(oxigraph, "check_document", whole_check)

    def load() -> None:
        if path == "remote-check":
            list(file_load._checked([deep]))
            return
        store = open_store(tmp_path / "store")
        try:
            store.load_files([deep])
        finally:
            store.close()

    with using_limits(limits), pytest.raises(InputLimitError) as caught:
        load()
    assert str(caught.value) == str(whole.value)
    assert caught.value.location == whole.value.location
    assert whole.value.location is not None
    assert whole.value.location.line == 5
