"""``validate --store URL``: the compiled checks run inside Oxigraph server, Virtuoso and Jena, and
find exactly what a local run of the same files finds.

The differential runs on the broken example (every shape family has findings there) and on an
organisation from ``bench/generate.py`` with injected defects. Findings are compared as multisets
of (fingerprint, severity, messages): the fingerprint names rule, component, focus, path and value,
without blank-node labels, which a server renames. The per-check error handling is tested on a
store that fails one check.
"""

from __future__ import annotations

import collections
import dataclasses
import datetime as dt
import json
import re
from collections.abc import Collection, Iterator
from pathlib import Path

import pytest

from crmkg import resources
from crmkg.cli import main
from crmkg.errors import QueryTimeout, UsageError, told
from crmkg.loading import parse_paths
from crmkg.namespaces import PREFIXES
from crmkg.store import Bindings, Capabilities, QueryOptions, QueryResult, Store, open_store
from crmkg.store.sparql import SparqlStore
from crmkg.validation import validate
from crmkg.validation.paging import DEFAULT_PAGE_SIZE, page_of
from crmkg.validation.remote import validate_store
from crmkg.validation.report import ValidationReport
from crmkg.validation.run import ontology_paths

from .conftest import ENGINES, Server
from .datasets import generated_file

AS_OF = dt.date(2026, 6, 1)
#: Shapes whose findings Virtuoso 7.2 still gets wrong on the broken example (every other shape's
#: findings must equal a local run's there): none. On Virtuoso the checks keep their anti-joins and
#: EXISTS filters as ``BIND(EXISTS …)`` tests and test the focus node's class the same way
#: (validation/fast/user_sparql/portable.py: S13a found nothing with the class test as a triple), and
#: S23's cycle test is one step plus a ``*`` path (before: S16 and S23 did not compile, 53 wrong findings).
#: On the generated organisation every check's findings are right too (before, S19 and S28a found nothing,
#: and S5 and S26 lost findings in a session that had validated the broken example first; S5's joined
#: sub-selects lost a finding in every CI run until 4 December 17:50):
#: see portable.py and ``_injections`` in user_sparql/rewrite.py for the forms and the bugs they avoid.
VIRTUOSO_GAPS: set[str] = set()
#: Shapes whose findings on Virtuoso 7.2 change between fresh server sessions of the same build (measured
#: 4 December). They are compared apart from the rest, so every other shape is held to the local findings in
#: every session, and a difference in one of them is reported as an expected failure naming the shape.
#: (S16 on the broken example was one until 4 December 20:30: right in the 24 fresh sessions measured after
#: 13:00 and in 8 of 8 run with the catalogue test at 20:10-20:32. S28a on the generated organisation was
#: one until 4 December 21:20, its anti-joins removing nothing in some sessions: the end of each ``*`` path
#: to ``?top`` is now a variable of its own, tested in the OPTIONAL's filter, portable.star_path_ends_apart.)
VIRTUOSO_SESSION_DEPENDENT: dict[str, dict[str, str]] = {}


def findings(
    report: ValidationReport, leave_out: Collection[str] = (), only: str | None = None
) -> collections.Counter[tuple[str, str, tuple[tuple[str, str], ...]]]:
    """The report's findings as a multiset, without the shapes ``leave_out`` names (or of ``only`` one shape)."""
    return collections.Counter(
        (r.fingerprint(), r.severity.value, tuple(sorted((k, full_iris(v, report)) for k, v in r.messages.items())))
        for r in report.results
        if r.shape_id not in leave_out and (only is None or r.shape_id == only)
    )


def full_iris(message: str, report: ValidationReport) -> str:
    """``message`` with the data files' own prefixed names written out: a local run knows the files'
    prefixes (``ex:asg-1``), a store holds no prefixes and names an unlabelled thing by its IRI."""
    own = {p: ns for p, ns in report.prefixes.items() if p and PREFIXES.get(p) != ns}
    if not own:
        return message
    pattern = re.compile(r"(?<![\w:/])(" + "|".join(map(re.escape, own)) + r"):([^\s,;()\"]+)")
    return pattern.sub(lambda m: own[m.group(1)] + m.group(2), message)


#: Jena gets a smaller generated organisation: ARQ evaluates NOT EXISTS row by row, and 8 checks need
#: over 30 s at 300 relationships. 120 relationships have findings of the same 15 shapes as 300 (measured).
JENA_RELATIONSHIPS = 120


@pytest.fixture(scope="module")
def inputs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, list[Path]]:
    """Dataset name -> its data files (the ontology is added by both runs)."""
    return {
        "esimerkki-broken": [resources.example_dir("esimerkki-broken") / "data"],
        "generated": [generated_file(tmp_path_factory.mktemp("generated"))],
        "generated-small": [generated_file(tmp_path_factory.mktemp("generated"), JENA_RELATIONSHIPS)],
    }


@pytest.fixture(scope="module")
def local_runs(inputs: dict[str, list[Path]]) -> dict[str, ValidationReport]:
    """Each dataset's local validation, run once for every engine it is compared with."""
    return {dataset: validate(paths, as_of=AS_OF) for dataset, paths in inputs.items()}


@pytest.fixture(scope="module", params=list(ENGINES))
def server(request: pytest.FixtureRequest) -> Server:
    return request.getfixturevalue(ENGINES[request.param])  # type: ignore[no-any-return]


@pytest.mark.server
@pytest.mark.parametrize("dataset", ["esimerkki-broken", "generated"])
def test_remote_validation_equals_a_local_run(
    server: Server,
    dataset: str,
    inputs: dict[str, list[Path]],
    local_runs: dict[str, ValidationReport],
) -> None:
    if server.name == "jena" and dataset == "generated":
        dataset = "generated-small"  # see JENA_RELATIONSHIPS
    graph = f"urn:crmkg:test:validate:{dataset}"
    server.ensure(graph, lambda: parse_paths([*ontology_paths(), *inputs[dataset]])[1])
    local = local_runs[dataset]
    assert local.results, "the dataset must have findings for the comparison to mean something"
    # the broken example is read in pages of 5 rows (many checks have more findings than that)
    # (on the engines that cap answers: Oxigraph server sends every row, so each query is asked whole there)
    page_size = 5 if dataset == "esimerkki-broken" else DEFAULT_PAGE_SIZE
    store = server.store(timeout=120, default_graphs=(graph,))
    remote = validate_store(store, as_of=AS_OF, page_size=page_size)
    oxigraph = server.name == "oxigraph-server"  # (whose checks take LATERAL where it is faster, as embedded)
    assert (store.capabilities.capped_answers, store.capabilities.lateral) == (not oxigraph, oxigraph)
    assert remote.failed == (), "\n".join(remote.failed)
    gaps = VIRTUOSO_GAPS if server.name == "virtuoso" else set()
    unstable = VIRTUOSO_SESSION_DEPENDENT.get(dataset, {}) if server.name == "virtuoso" else {}
    if gaps:  # each listed gap must still be one (remove it when a rewrite or a release fixes it)
        still = {g for g in gaps if findings(local, only=g) != findings(remote.report, only=g)}
        assert still == gaps, f"Virtuoso now finds what a local run finds for {sorted(gaps - still)}"
    apart = gaps | set(unstable)
    missing = findings(local, apart) - findings(remote.report, apart)
    extra = findings(remote.report, apart) - findings(local, apart)
    assert not missing, f"{server.name}: {sum(missing.values())} findings missing, e.g. {list(missing)[:2]}"
    assert not extra, f"{server.name}: {sum(extra.values())} unexpected findings, e.g. {list(extra)[:2]}"
    differing = sorted(s for s in unstable if findings(local, only=s) != findings(remote.report, only=s))
    if differing:  # only the named session-dependent shapes may differ; everything else was held above
        pytest.xfail("; ".join(f"Virtuoso 7.2 {s}: {unstable[s]}" for s in differing))


@pytest.mark.server
def test_validate_store_from_the_command_line(
    oxigraph_server: Server, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """load --with-ontology through the Graph Store Protocol, then validate --store: the JSON report
    holds the local run's findings and the exit code says there are violations."""
    graph = "urn:crmkg:test:validate:cli"
    data = resources.example_dir("esimerkki-broken") / "data"
    assert oxigraph_server.gsp_url is not None
    store_args = ["--store", oxigraph_server.query_url, "--graph", graph]
    load = ["load", "--with-ontology", str(data), *store_args, "--graph-store", oxigraph_server.gsp_url]
    assert main(load) == 0
    out = tmp_path / "report.json"
    code = main(["validate", *store_args, "--as-of", AS_OF.isoformat(), "--format", "json", "--output", str(out)])
    assert code == 1
    remote = json.loads(out.read_text("utf-8"))["results"]
    got = collections.Counter((r["fingerprint"], r["severity"], tuple(sorted(r["messages"].items()))) for r in remote)
    assert got == findings(validate([data], as_of=AS_OF))
    oxigraph_server.store().update(f"DROP SILENT GRAPH <{graph}>")


class FailingStore(Store):
    """Embedded Oxigraph that fails every query mentioning ``needle`` (as an endpoint's timeout would)."""

    def __init__(self, inner: Store, needle: str) -> None:
        self.inner, self.needle = inner, needle

    def __getattr__(self, name: str) -> object:
        return getattr(self.inner, name)

    @property
    def capabilities(self) -> Capabilities:
        return self.inner.capabilities

    def query(
        self, sparql: str, *, bindings: Bindings | None = None, options: QueryOptions | None = None
    ) -> QueryResult:
        if self.needle in sparql:
            raise QueryTimeout("the endpoint stopped the query after 1 s")
        return self.inner.query(sparql, bindings=bindings, options=options)


@pytest.fixture
def broken_store() -> Iterator[Store]:
    store = open_store()
    _, quads = parse_paths([*ontology_paths(), resources.example_dir("esimerkki-broken") / "data"])
    store.add_quads(quads)
    return store


def test_a_failing_check_is_reported_and_the_others_still_run(broken_store: Store) -> None:
    whole = validate_store(broken_store, as_of=AS_OF)
    needle = "hasPayer"  # the checks about payers fail; everything else must still be found
    partial = validate_store(FailingStore(broken_store, needle), as_of=AS_OF)
    assert partial.failed, "some check names akj:hasPayer"
    assert all("failed: the endpoint stopped the query after 1 s" in f for f in partial.failed)
    assert set(partial.report.notes) == set(partial.failed)
    in_finnish = [told(f, "fi") for f in partial.failed]  # said in the user's language, the cause as the store put it
    assert all("epäonnistui: the endpoint stopped the query after 1 s" in f for f in in_finnish), in_finnish
    kept = findings(partial.report)
    assert kept
    assert not kept - findings(whole.report)
    assert sum(kept.values()) < sum(findings(whole.report).values())


class CountingStore(FailingStore):
    """Embedded Oxigraph that records the queries it is asked."""

    def __init__(self, inner: Store) -> None:
        super().__init__(inner, needle="\0never")
        self.asked: list[str] = []

    def query(
        self, sparql: str, *, bindings: Bindings | None = None, options: QueryOptions | None = None
    ) -> QueryResult:
        self.asked.append(sparql)
        return super().query(sparql, bindings=bindings, options=options)


class VirtuosoLike(CountingStore):
    """Embedded Oxigraph that says it is Virtuoso, so the checks take the form compiled for Virtuoso."""

    server_software = "Virtuoso/07.20.3238 (Linux) x86_64-pc-linux-gnu"


@pytest.mark.parametrize("dataset", ["esimerkki-broken", "generated"])
def test_the_form_for_virtuoso_finds_what_the_fast_form_finds(
    dataset: str, inputs: dict[str, list[Path]], local_runs: dict[str, ValidationReport]
) -> None:
    store = open_store()
    store.add_quads(parse_paths([*ontology_paths(), *inputs[dataset]])[1])
    virtuoso_like = VirtuosoLike(store)
    portable = validate_store(virtuoso_like, as_of=AS_OF)
    assert findings(portable.report) == findings(local_runs[dataset])
    assert any("BIND(EXISTS" in q for q in virtuoso_like.asked), "the portable form was the one run"
    # S13a's class test of the focus node, moved out of the triples into a BIND(EXISTS …) test
    assert any(re.search(r"BIND\(EXISTS \{ \?this rdf:type/rdfs:subClassOf\* akj:", q) for q in virtuoso_like.asked)
    # S28a's OPTIONAL anti-joins nested one per group, each with its !BOUND filter (on the broken
    # example, which has no membership records, a settled FILTER (false) keeps the group as it is)
    nested = re.compile(r"\} FILTER \(!BOUND\(\?membership\)\) \}")
    assert dataset != "generated" or any(nested.search(q) for q in virtuoso_like.asked)
    # and the end of each of their `*` paths to ?top as a variable of its own, tested in the OPTIONAL's filter
    ends = re.compile(
        r"\?o1 \(org:subOrganizationOf\|org:unitOf\)\* (\?_end\d+) \. "
        r"FILTER\(!BOUND\(\?top\) \|\| sameTerm\(\1, \?top\)\)"
    )
    assert any(ends.search(q) for q in virtuoso_like.asked)
    # S26's OPTIONAL { P . BIND (true AS ?person) } + FILTER (!BOUND(?person)) as a BIND(EXISTS { P }) test
    person = re.compile(r"BIND\(EXISTS \{ \?value rdf:type/rdfs:subClassOf\* foaf:Person \} AS \?_absent\d+\)")
    assert any(person.search(q) for q in virtuoso_like.asked)
    assert not any("BIND (true AS ?person)" in q for q in virtuoso_like.asked)
    # S5's two sub-selects of current owners, joined, each kept apart by a LIMIT no answer reaches
    # (folded into the join, Virtuoso lost the pair whenever other graphs had been loaded first)
    kept_apart = re.compile(r"FILTER\(\?_focus\d+\) \}\s+LIMIT 1000000000\s+\}")
    assert any(len(kept_apart.findall(q)) == 2 and "STR(?value) < STR(?other)" in q for q in virtuoso_like.asked)
    # S12's UNION branches take no focus test of their own: the WHERE group's one restricts ?this
    # (with one in each branch too, Virtuoso ran past its 60 s limit under load)
    shortcut = [q for q in virtuoso_like.asked if "akj:hasOwner ?anyOwner" in q]
    assert shortcut
    assert all(len(re.findall(r"AS \?_focus\d+\)", q)) == 1 for q in shortcut)
    # and that one's BIND stands between the triple that binds ?this and the UNION, its FILTER at the
    # end (with the whole test after the UNION, the owner half took 12.6 s on the broken example)
    early = re.compile(r"\?anyOwner \.\s+BIND\(EXISTS \{.*?\} AS (\?_focus\d+)\) \{.*FILTER\(\1\)", re.DOTALL)
    assert all(early.search(q) for q in shortcut)
    # S19's triples with a transitive path moved before the sub-select they followed
    assert any(re.search(r"WHERE \{ \?a akj:countsAsCustomer \?t", q) for q in virtuoso_like.asked)


class CappedStore(CountingStore):
    """Embedded Oxigraph that says it caps its answers (as Virtuoso does), so long answers are read in pages."""

    @property
    def capabilities(self) -> Capabilities:
        return dataclasses.replace(self.inner.capabilities, capped_answers=True)


def test_findings_read_in_pages_are_the_findings_read_whole(broken_store: Store) -> None:
    counting = CountingStore(broken_store)
    whole = validate_store(counting, as_of=AS_OF, page_size=3, workers=1)
    # a store that sends every row is asked each query once, whole, whatever the page size
    assert not any(" OFFSET " in q for q in counting.asked)
    counting = CappedStore(broken_store)
    paged = validate_store(counting, as_of=AS_OF, page_size=3, workers=1)
    assert findings(paged.report) == findings(whole.report)
    pages = [q for q in counting.asked if " LIMIT 3 OFFSET " in q]
    assert any(" OFFSET 6" in q for q in pages), "some check has more than two pages of findings"
    # every check is paged: one page each at least, beyond the ontology probe
    assert len(pages) > len(counting.asked) // 2


def test_a_query_with_its_own_modifiers_is_read_whole() -> None:
    assert page_of("SELECT ?s WHERE { ?s ?p ?o } LIMIT 3", 10, 0) is None
    assert page_of("SELECT * WHERE { ?s ?p ?o }", 10, 0) is None
    assert page_of("SELECT ?s WHERE { ?s ?p ?o } VALUES ?s { <urn:x:a> }", 10, 0) is None
    assert page_of("SELECT ?s ?p WHERE { ?s ?p ?o } # end", 10, 20) == (
        "SELECT ?s ?p WHERE { ?s ?p ?o } ORDER BY ?s ?p LIMIT 10 OFFSET 20 # end"
    )


def test_an_endpoint_is_read_whole_and_given_lateral_only_when_its_server_is_known_for_them() -> None:
    store = SparqlStore("http://127.0.0.1:1/query")
    assert store.capabilities.capped_answers, "before its first answer an endpoint is taken to cap"
    assert not store.capabilities.lateral
    for server_software, oxigraph in [
        ("Oxigraph/0.5.13", True),
        ("Virtuoso/07.20.3238 (Linux) x86_64-pc-linux-gnu", False),
        ("Apache-Coyote/1.1", False),
    ]:
        store.server_software = server_software
        assert store.capabilities.capped_answers != oxigraph, server_software
        assert store.capabilities.lateral == oxigraph, server_software


def test_a_store_without_the_ontology_is_refused() -> None:
    store = open_store()
    _, quads = parse_paths([resources.example_dir("esimerkki-broken") / "data"])
    store.add_quads(quads)
    with pytest.raises(UsageError, match="does not hold the akj ontology"):
        validate_store(store, as_of=AS_OF)


def test_validate_needs_paths_or_a_store(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validate"]) == 2
    assert "or --store" in capsys.readouterr().err
