"""The web app in a real headless Chromium: pages, navigation, language, timeline, upload, SPARQL
editor, offline API docs and an axe-core accessibility audit."""

from __future__ import annotations

import json
from collections.abc import Iterator
from urllib.parse import parse_qs, urlparse

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.remote.webdriver import WebDriver
from selenium.webdriver.support import expected_conditions as ec
from selenium.webdriver.support.ui import WebDriverWait

from crmkg.store import Store
from crmkg.store.base import SelectResult

from .browser import AXE, chromium, serve
from .conftest import AS_OF, BROKEN, expected_broken_findings, expected_handovers

pytestmark = [pytest.mark.slow, pytest.mark.server]

REL = "https://example.org/esimerkki/rel-kauppakulma-kiinteistohuolto"
MAIN_PAGES = [
    "/",
    "/ui/relationships",
    f"/ui/relationship?id={REL}&as_of={AS_OF}",
    "/ui/agent?id=ex:sari-laine",
    "/ui/organisation",
    "/ui/customers",
    "/ui/customer?id=ex:jarvilinnan-kaupunki",
    f"/ui/dashboard?as_of={AS_OF}",
    "/ui/terms?q=maksaja",
    "/ui/term?id=akj:CustomerRelationship",
    "/ui/validate",
    "/ui/queries",
    f"/ui/queries/cq-016-ownership-by-function?run=1&asOf={AS_OF}",
    "/ui/sparql",
    "/ontology/",
]


@pytest.fixture(scope="module")
def base(store: Store) -> Iterator[str]:
    with serve(store) as url:
        yield url


@pytest.fixture(scope="module")
def browser() -> Iterator[WebDriver]:
    with chromium() as driver:
        yield driver


def wait(driver: WebDriver, seconds: float = 20) -> WebDriverWait:  # type: ignore[type-arg]
    return WebDriverWait(driver, seconds)


def severe_console_errors(driver: WebDriver) -> list[str]:
    return [e["message"] for e in driver.get_log("browser") if e["level"] == "SEVERE"]


@pytest.mark.parametrize("path", MAIN_PAGES)
def test_every_page_renders(browser: WebDriver, base: str, path: str) -> None:
    browser.get(base + path)
    assert browser.find_element(By.TAG_NAME, "h1").text.strip()
    assert browser.find_element(By.CSS_SELECTOR, "header a.lang").is_displayed()
    assert severe_console_errors(browser) == []  # no script error, no refused asset, no CSP violation


def test_navigation_from_home_to_a_relationship(browser: WebDriver, base: str) -> None:
    browser.get(base + "/?lang=fi")
    browser.find_element(By.LINK_TEXT, "Asiakkuudet").click()
    wait(browser).until(ec.url_contains("/ui/relationships"))
    first = browser.find_element(By.CSS_SELECTOR, "a.rel-link")
    name = first.text
    first.click()
    wait(browser).until(ec.url_contains("/ui/relationship?"))
    assert browser.find_element(By.TAG_NAME, "h1").text == name
    browser.find_element(By.CSS_SELECTOR, ".current-owner a").click()
    wait(browser).until(ec.url_contains("/ui/agent?"))
    assert browser.find_elements(By.CSS_SELECTOR, "main h2")


def test_the_language_switch(browser: WebDriver, base: str) -> None:
    browser.get(base + "/ui/relationships?lang=fi&q=siivous")
    assert browser.find_element(By.TAG_NAME, "html").get_attribute("lang") == "fi"
    browser.find_element(By.CSS_SELECTOR, "a.lang").click()
    wait(browser).until(lambda d: d.find_element(By.TAG_NAME, "html").get_attribute("lang") == "en")
    assert browser.find_element(By.TAG_NAME, "h1").text == "Customer relationships"
    assert browser.find_element(By.ID, "f-q").get_attribute("value") == "siivous"
    browser.find_element(By.CSS_SELECTOR, "a.lang").click()
    wait(browser).until(lambda d: d.find_element(By.TAG_NAME, "html").get_attribute("lang") == "fi")


@pytest.mark.parametrize(("relationship", "handovers"), sorted(expected_handovers().items()))
def test_the_timeline_shows_the_handovers(
    browser: WebDriver, base: str, relationship: str, handovers: set[tuple[str, str]]
) -> None:
    browser.get(f"{base}/ui/relationship?id={relationship}&as_of={AS_OF}")
    marks = browser.find_elements(By.CSS_SELECTOR, "svg.timeline g.handover")
    assert len(marks) == len(handovers)
    assert {m.get_attribute("data-role") for m in marks} == {role for role, _ in handovers}
    for mark in marks:
        assert mark.rect["height"] > 0  # drawn, not just present


def test_uploading_the_broken_example_shows_the_expected_findings(browser: WebDriver, base: str) -> None:
    browser.get(base + "/ui/validate?lang=en")
    paths = "\n".join(str(p) for p in sorted(BROKEN.glob("*.ttl")))
    browser.find_element(By.ID, "files").send_keys(paths)
    browser.find_element(By.ID, "as-of-u").send_keys("")
    browser.execute_script("document.getElementById('as-of-u').value = arguments[0]", AS_OF)
    browser.find_element(By.ID, "upload-submit").click()
    wait(browser, 60).until(ec.presence_of_element_located((By.ID, "report-summary")))
    found = set()
    for group in browser.find_elements(By.CSS_SELECTOR, "section.shape-group"):
        shape = group.find_element(By.CSS_SELECTOR, "h3 a").text
        for link in group.find_elements(By.CSS_SELECTOR, "tr.finding td:nth-child(2) a"):
            focus = parse_qs(urlparse(link.get_attribute("href") or "").query)["id"][0]
            found.add((shape, focus))
    assert found == expected_broken_findings()


def test_the_sparql_editor_runs_a_query(browser: WebDriver, base: str, store: Store) -> None:
    browser.get(base + "/ui/sparql?lang=en")
    wait(browser).until(ec.presence_of_element_located((By.CSS_SELECTOR, ".CodeMirror")))
    query = "SELECT ?s WHERE { ?s a <https://w3id.org/crmkg/akj#CustomerRelationship> }"
    browser.execute_script("document.querySelector('.CodeMirror').CodeMirror.setValue(arguments[0])", query)
    browser.find_element(By.ID, "sparql-run").click()
    wait(browser).until(ec.presence_of_element_located((By.ID, "sparql-row-count")))
    rows = browser.find_elements(By.CSS_SELECTOR, "#sparql-results tbody tr")
    expected = store.query(query)
    assert isinstance(expected, SelectResult)
    assert len(rows) == len(expected.rows) > 0


def test_a_browser_opening_sparql_gets_the_editor(browser: WebDriver, base: str) -> None:
    browser.get(base + "/sparql")
    wait(browser).until(ec.url_contains("/ui/sparql"))
    assert browser.find_element(By.ID, "sparql-query")


def test_api_docs_render_operations_without_the_network(browser: WebDriver, base: str) -> None:
    browser.get(base + "/docs")
    wait(browser, 30).until(ec.presence_of_element_located((By.CSS_SELECTOR, ".opblock")))
    operations = browser.find_elements(By.CSS_SELECTOR, ".opblock-summary-path")
    paths = {op.text.replace("\u200b", "") for op in operations}
    assert "/sparql" in paths
    assert "/validate" in paths
    browser.get(base + "/redoc")
    wait(browser, 30).until(ec.presence_of_element_located((By.CSS_SELECTOR, "[data-section-id^='operation/']")))


AUDITED = [
    "/",
    "/ui/relationships",
    f"/ui/relationship?id={REL}&as_of={AS_OF}",
    "/ui/terms?q=maksaja",
    "/ui/term?id=akj:CustomerRelationship",
    f"/ui/dashboard?as_of={AS_OF}",
    "/ui/validate",
    f"/ui/queries/cq-016-ownership-by-function?run=1&asOf={AS_OF}",
    "/ui/organisation",
    "/ontology/",
    "/ui/sparql",
]


@pytest.mark.parametrize("path", AUDITED)
def test_no_serious_accessibility_violations(browser: WebDriver, base: str, path: str) -> None:
    browser.get(base + path)
    browser.execute_script(AXE.read_text(encoding="utf-8"))
    result = browser.execute_async_script(
        "const done = arguments[arguments.length - 1];"
        "axe.run(document, {resultTypes: ['violations']}).then(r => done(JSON.stringify(r.violations)))"
        ".catch(e => done(JSON.stringify([{id: 'axe-error', impact: 'critical', help: String(e), nodes: []}])));"
    )
    violations = json.loads(result)
    serious = [
        (v["id"], v["help"], [n["target"] for n in v["nodes"]][:3])
        for v in violations
        if v["impact"] in ("serious", "critical")
    ]
    assert serious == []
