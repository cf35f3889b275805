"""Screenshots of the web app's main pages (for the README): ``make screenshots``.

Serves the example organisation on a free port of 127.0.0.1 and photographs each page in
Debian's headless Chromium, with the same helpers as the browser tests.
"""

from __future__ import annotations

import argparse
import importlib.util
import sys
from pathlib import Path

from crmkg import resources
from crmkg.loading import load
from crmkg.store import open_store

ROOT = Path(__file__).resolve().parents[1]
PAGES = {
    "home": "/?lang=en",
    "relationships": "/ui/relationships?lang=en&as_of=2026-10-01",
    "relationship": "/ui/relationship?lang=en&as_of=2026-10-01&id=ex:rel-pohjolan-logistiikka-it",
    "dashboard": "/ui/dashboard?lang=en&as_of=2026-10-01",
    "term": "/ui/term?lang=fi&id=akj:CustomerRelationship",
    "ontology": "/ontology/?lang=en#diagram",
    "validation": "",  # filled by uploading esimerkki-broken
    "query": "/ui/queries/cq-016-ownership-by-function?lang=en&run=1&asOf=2026-10-01",
}


def _browser_helpers():  # type: ignore[no-untyped-def]
    spec = importlib.util.spec_from_file_location("crmkg_browser", ROOT / "tests" / "web" / "browser.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshots")
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    helpers = _browser_helpers()
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions as ec
    from selenium.webdriver.support.ui import WebDriverWait

    store = open_store()
    load(store, [*resources.ontology_files(), resources.example_dir("esimerkki")])
    with helpers.serve(store) as base, helpers.chromium(1280, 1000) as driver:
        for name, path in PAGES.items():
            if name == "validation":
                driver.get(base + "/ui/validate?lang=en")
                broken = resources.example_dir("esimerkki-broken") / "data"
                driver.find_element(By.ID, "files").send_keys("\n".join(str(p) for p in sorted(broken.glob("*.ttl"))))
                driver.find_element(By.ID, "upload-submit").click()
                WebDriverWait(driver, 60).until(ec.presence_of_element_located((By.ID, "report-summary")))
            else:
                driver.get(base + path)
            target = args.out / f"{name}.png"
            driver.save_screenshot(str(target))
            print(target.relative_to(ROOT) if target.is_relative_to(ROOT) else target)
    return 0


if __name__ == "__main__":
    sys.exit(main())
