"""In-process timings for a before/after comparison (issue 17): catalogue load and owner lookups.

    CRMKG_DATA_DIR=. python bench/bench_consolidation.py org100k.nt answers.json

Prints the medians (ms) and a digest of the lookup answers (relationship, owners, leads: assignee,
since, until, assignment), and writes the answers to the JSON file. It uses only the public API that
older trees have too (Catalogue, open_store, loading.load, lookup.current_responsibilities), so the
same script runs an older commit's ``git archive`` with ``PYTHONPATH=<archive>/src``.
"""

import datetime as dt
import hashlib
import json
import os
import statistics
import sys
import time
from pathlib import Path

from crmkg import lookup
from crmkg.catalogue import Catalogue
from crmkg.loading import load
from crmkg.store import open_store

data, out = sys.argv[1], sys.argv[2]
cat = []
for _ in range(15):
    t = time.perf_counter()
    n = len(Catalogue(data_dir=Path(os.environ["CRMKG_DATA_DIR"])))
    cat.append(time.perf_counter() - t)
store = open_store()
load(store, [data])
q = "SELECT ?r WHERE { ?r a <https://w3id.org/crmkg/akj#CustomerRelationship> } ORDER BY ?r LIMIT 300"
rows = (store.select(q) if hasattr(store, "select") else store.query(q)).rows
iris = [getattr(r[0], "value", None) or str(r[0]) for r in rows]
day = dt.date(2026, 10, 1)
answers = []
per_call = []
for rnd in range(3):
    for iri in iris:
        t = time.perf_counter()
        rel, owners, leads = lookup.current_responsibilities(store, iri, day, lang="fi")
        per_call.append(time.perf_counter() - t)
        if rnd == 0:
            answers.append(
                [iri]
                + [
                    sorted((x.assignee.iri, str(x.since), str(x.until), x.assignment) for x in g)
                    for g in (owners, leads)
                ]
            )
main_only = []
try:
    from crmkg.lookup import queries as lq  # the package (after): time its first query alone
    from crmkg.store.terms import named_node
except ImportError:
    lq = None  # an older tree: its lookup was one module
if lq is not None:
    for iri in iris:
        t = time.perf_counter()
        lq._traced(
            store,
            "relationship-current",
            None,
            relationship=named_node(iri),
            asOf=lq._date_term(day),
            lang=lq._lang_term("fi"),
        )
        main_only.append(time.perf_counter() - t)
digest = hashlib.sha256(json.dumps(answers, sort_keys=True).encode()).hexdigest()[:16]
res = {
    "catalogue_queries": n,
    "catalogue_load_ms": statistics.median(cat) * 1000,
    "lookups": len(per_call),
    "owner_lookup_ms": statistics.median(per_call) * 1000,
    "answers_digest": digest,
    "main_query_only_ms": statistics.median(main_only) * 1000 if main_only else None,
    "relationships": len(iris),
}
Path(out).write_text(json.dumps(answers), "utf-8")
print(json.dumps(res))
