"""Write tests/catalogue/expected/cq-NNN.srj from the Oxigraph backend — a review aid, not a test.

Run it only after changing a query or the example, then read the diff of every file against the
example's README (examples/esimerkki/README.md, "CQ → positive and negative cases") before
committing: test_readme_cases.py checks those cases independently of these files.

    .venv/bin/python tests/catalogue/make_expected.py
"""

from __future__ import annotations

import io
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from conftest import EXPECTED, example_quads, params_for
from crmkg.catalogue import Catalogue, QueryKind
from crmkg.cli.query import write_result
from crmkg.store import open_store


def main() -> None:
    catalogue = Catalogue()
    store = open_store()
    store.add_quads(example_quads())
    EXPECTED.mkdir(exist_ok=True)
    for spec in catalogue.list(QueryKind.CQ):
        result = catalogue.run(spec, store, params_for(catalogue, spec.id))
        out = io.StringIO()
        write_result(result, "json", out)
        target = EXPECTED / f"cq-{spec.cq_number:03d}.srj"
        target.write_text(out.getvalue(), "utf-8")
        print(target.name, len(getattr(result, "rows", [])))


if __name__ == "__main__":
    main()
