"""What reading SPARQL text costs crmkg, against pyoxigraph reading the same texts in the same run.

    .venv/bin/python bench/bench_sparql_text.py            # the packaged catalogue's queries
    .venv/bin/python bench/bench_sparql_text.py --repeat 15

crmkg reads every query text with its own lexer and parser (``crmkg.sparql``: the ``/sparql`` policy,
the catalogue's parameters and query forms, parameter binding, the fast validator's SPARQL
constraints). Issue 17 asks that this costs no more than noise; so the figures here are ratios to
baselines measured in this process, on the catalogue's own ``.rq`` files:

* ``lex``: every token of every text (:func:`crmkg.sparql.lexer.tokens`), and ``parse``: the syntax
  tree of every text (:func:`crmkg.sparql.parser.parse`), each against pyoxigraph parsing and
  running the same texts on an empty store (the least an engine does with a text; Rust);
* ``catalogue``: reading every query of a new ``Catalogue()`` with its token cache emptied before
  each load (what ``crmkg queries list`` or a service's start pays) against a load that finds every
  text in the cache (a service's or a test run's second load), and one query of a new catalogue
  (what ``crmkg query ID`` pays: the catalogue reads a query only when it is asked for);
* ``bind``: binding one catalogue query's parameters into its text (:func:`crmkg.store.binding.substitute`),
  the first time for a text against the cached reading of its variables.

Medians of ``--repeat`` runs after a warm-up. Take it under ``flock /tmp/crmkg-bench.lock`` with
``uptime`` beside it.
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Callable

import pyoxigraph as ox

from crmkg import resources
from crmkg.catalogue import Catalogue, spec
from crmkg.sparql.lexer import tokens
from crmkg.sparql.parser import parse
from crmkg.store import binding


def _median_ms(work: Callable[[], object], repeat: int) -> float:
    work()  # warm-up
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        work()
        times.append(time.perf_counter() - started)
    return statistics.median(times) * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=9)
    args = parser.parse_args()
    texts = [path.read_text("utf-8") for path in sorted(resources.data_path("queries").rglob("*.rq"))]
    token_count = sum(1 for text in texts for _ in tokens(text))
    empty = ox.Store()

    def engine() -> None:
        for text in texts:
            result = empty.query(text)
            if isinstance(result, ox.QuerySolutions | ox.QueryTriples):
                list(result)

    def uncached_catalogue() -> None:
        spec._read_tokens.cache_clear()
        list(Catalogue())

    def cached_catalogue() -> None:
        list(Catalogue())

    def uncached_one_query() -> None:
        spec._read_tokens.cache_clear()
        Catalogue().get("cq-002")

    owner = Catalogue().get("cq-011")
    values = {"relationship": ox.NamedNode("https://example.org/esimerkki/rel-1")}
    values |= {"asOf": ox.Literal("2026-10-01", datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#date"))}
    bindings = {p.variable: values[p.name] for p in owner.params if p.name in values}

    def bind_first() -> None:
        binding._occurrences.cache_clear()
        binding.substitute(owner.text, bindings)

    rows = [
        ("lex (crmkg.sparql.lexer)", _median_ms(lambda: [list(tokens(t)) for t in texts], args.repeat)),
        ("parse (crmkg.sparql.parser)", _median_ms(lambda: [parse(t) for t in texts], args.repeat)),
        ("pyoxigraph parse + run on an empty store", _median_ms(engine, args.repeat)),
        ("catalogue load, token cache empty", _median_ms(uncached_catalogue, args.repeat)),
        ("catalogue load, tokens cached", _median_ms(cached_catalogue, args.repeat)),
        ("one query of a new catalogue, cache empty", _median_ms(uncached_one_query, args.repeat)),
        ("bind cq-011, first time", _median_ms(bind_first, args.repeat * 20)),
        (
            "bind cq-011, variables cached",
            _median_ms(lambda: binding.substitute(owner.text, bindings), args.repeat * 20),
        ),
    ]
    figures = dict(rows)
    print(f"{len(texts)} query texts, {token_count} tokens; medians of {args.repeat} runs")
    for name, ms in rows:
        print(f"  {name:45} {ms:9.3f} ms")
    engine_ms = figures["pyoxigraph parse + run on an empty store"]
    print("ratios:")
    print(f"  lex / pyoxigraph                     {figures['lex (crmkg.sparql.lexer)'] / engine_ms:6.2f}")
    print(f"  parse / pyoxigraph                   {figures['parse (crmkg.sparql.parser)'] / engine_ms:6.2f}")
    cat_cold, cat_warm = figures["catalogue load, token cache empty"], figures["catalogue load, tokens cached"]
    print(f"  catalogue load, cold / cached        {cat_cold / cat_warm:6.2f}")
    bind_first, bind_cached = figures["bind cq-011, first time"], figures["bind cq-011, variables cached"]
    print(f"  bind, first / cached                 {bind_first / bind_cached:6.2f}")


if __name__ == "__main__":
    main()
