"""The pre-commit hooks (issue 14 §4): the whole data set, incremental from the staged files, your
own ontology extensions. Each hook is run as pre-commit runs it: its ``entry`` from
``.pre-commit-hooks.yaml``, then the hook's ``args``, then the staged files that match ``files``."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

from crmkg.cli import main

from ..conftest import REPO

# before 2026-08-31: from then on the example keeps one wanted violation (a leader who left, S28a)
AS_OF = "2026-08-15"
HOOKS = {hook["id"]: hook for hook in yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))}


def _git(repo: Path, *args: str) -> str:
    return subprocess.run(["git", *args], cwd=repo, check=True, capture_output=True, text=True).stdout


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A data repository with the example organisation committed under data/."""
    root = tmp_path / "crm-data"
    root.mkdir()
    _git(root, "init", "-q")
    _git(root, "config", "user.email", "ci@example.org")
    _git(root, "config", "user.name", "CI")
    shutil.copytree(REPO / "examples" / "esimerkki", root / "data", ignore=shutil.ignore_patterns("*.md"))
    _git(root, "add", ".")
    _git(root, "commit", "-q", "-m", "data")
    monkeypatch.chdir(root)
    return root


def run_hook(hook_id: str, args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    """``entry args staged-files`` as pre-commit builds it (staged files filtered by the hook's pattern)."""
    hook = HOOKS[hook_id]
    staged = [f for f in _git(Path.cwd(), "diff", "--cached", "--name-only").split() if re.search(hook["files"], f)]
    entry = hook["entry"].split()
    assert entry[0] == "crmkg"
    code = main([*entry[1:], *args, *staged])
    out, err = capsys.readouterr()
    return code, out, err


def _fingerprints(path: Path) -> set[str]:
    return {r["fingerprint"] for r in json.loads(path.read_text(encoding="utf-8"))["results"]}


def _full_run(out: Path) -> set[str]:
    main(["validate", "data", "--as-of", AS_OF, "--format", "json", "-o", str(out)])
    return _fingerprints(out)


def test_a_comment_in_plans_changes_nothing(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Why: the old hook validated only the staged plans.ttl — 9 violations and 9 warnings that do not exist."""
    plans = repo / "data" / "plans.ttl"
    plans.write_text(plans.read_text(encoding="utf-8") + "\n# reviewed in the spring meeting\n", encoding="utf-8")
    _git(repo, "add", "data/plans.ttl")
    out = repo.parent / "hook.json"
    code, _out, _err = run_hook("crmkg-validate", ["--as-of", AS_OF, "--format", "json", "-o", str(out)], capsys)
    assert code == 0
    report = json.loads(out.read_text(encoding="utf-8"))
    assert report["summary"]["violations"] == 0
    assert len(report["inputs"]) == len(list((repo / "data").glob("*.ttl")))  # the whole data set
    assert _fingerprints(out) == _full_run(repo.parent / "full.json")
    # what the old hook did — the staged file alone — reports violations that do not exist
    alone = repo.parent / "alone.json"
    assert main(["validate", "data/plans.ttl", "--as-of", AS_OF, "--format", "json", "-o", str(alone)]) == 1
    assert json.loads(alone.read_text(encoding="utf-8"))["summary"]["violations"] > 0
    capsys.readouterr()


def test_second_commit_is_incremental_and_equals_a_full_run(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    args = ["--as-of", AS_OF, "--format", "json", "-o", str(repo.parent / "hook.json")]
    # First commit through the hook: a full run, whose report is kept for the tree committed.
    (repo / "data" / "notes.ttl").write_text("@prefix ex: <https://example.org/esimerkki/> .\n", encoding="utf-8")
    _git(repo, "add", "data/notes.ttl")
    _code, _out, err = run_hook("crmkg-validate", args, capsys)
    assert "incremental" not in err
    _git(repo, "commit", "-q", "-m", "notes")
    # Second commit: an assignment without a start date, role or assignee joins the data.
    assignments = repo / "data" / "assignments.ttl"
    text = assignments.read_text(encoding="utf-8")
    assignments.write_text(text + "\nex:asg-new a akj:ResponsibilityAssignment .\n", encoding="utf-8")
    _git(repo, "add", "data/assignments.ttl")
    code, _out, err = run_hook("crmkg-validate", args, capsys)
    assert "incremental run" in err
    assert "data/assignments.ttl" in err
    assert code == 1
    hook = _fingerprints(repo.parent / "hook.json")
    assert hook == _full_run(repo.parent / "full.json")
    capsys.readouterr()


def test_kept_report_of_another_day_is_not_used(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (repo / "data" / "a.ttl").write_text("@prefix ex: <https://example.org/esimerkki/> .\n", encoding="utf-8")
    _git(repo, "add", "data/a.ttl")
    run_hook("crmkg-validate", ["--as-of", AS_OF, "--format", "json", "-o", "../h.json"], capsys)
    _git(repo, "commit", "-q", "-m", "a")
    (repo / "data" / "a.ttl").write_text("# empty\n", encoding="utf-8")
    _git(repo, "add", "data/a.ttl")
    _code, _out, err = run_hook(
        "crmkg-validate", ["--as-of", "2026-10-02", "--format", "json", "-o", "../h.json"], capsys
    )
    assert "incremental" not in err


def test_data_set_from_crmkg_toml(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (repo / "ontology").mkdir()
    (repo / "ontology" / "broken.ttl").write_text("this is not turtle", encoding="utf-8")
    _git(repo, "add", ".")
    # Every tracked RDF file is the data set by default: the broken file is read and reported …
    code, out, _err = run_hook("crmkg-validate", ["--as-of", AS_OF, "--format", "github"], capsys)
    assert code == 2
    assert out.startswith("::error file=ontology/broken.ttl,line=1,")
    # … unless crmkg.toml (or --data) says what the data set is.
    (repo / "crmkg.toml").write_text('[validate]\npaths = ["data"]\n', encoding="utf-8")
    code, _out, _err = run_hook("crmkg-validate", ["--as-of", AS_OF], capsys)
    assert code == 0
    code, _out, err = run_hook("crmkg-validate", ["--as-of", AS_OF, "--no-config", "--data", "data"], capsys)
    assert code == 0, err


EXTENSION = """@prefix owl: <http://www.w3.org/2002/07/owl#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix dcterms: <http://purl.org/dc/terms/> .
@prefix vann: <http://purl.org/vocab/vann/> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix akj: <https://w3id.org/crmkg/akj#> .
@prefix my: <https://crm.example.org/ontology#> .

<https://crm.example.org/ontology> a owl:Ontology ;
    dcterms:title "Oma laajennus"@fi , "Our extension"@en ;
    dcterms:description "Kumppanuudet."@fi , "Partnerships."@en ;
    dcterms:creator "CRM team" ;
    dcterms:license <https://creativecommons.org/licenses/by/4.0/> ;
    dcterms:created "2026-01-01"^^xsd:date ;
    dcterms:modified "2026-02-01"^^xsd:date ;
    owl:versionIRI <https://crm.example.org/ontology/1.0> ;
    owl:versionInfo "1.0" ;
    vann:preferredNamespacePrefix "my" ;
    vann:preferredNamespaceUri "https://crm.example.org/ontology#" .

my:PartnerRelationship a owl:Class ;
    rdfs:subClassOf akj:CustomerRelationship ;
    rdfs:label "Partnership"@en .
"""


def test_check_hook_checks_your_extension(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (repo / "ontology").mkdir()
    (repo / "ontology" / "my.ttl").write_text(EXTENSION, encoding="utf-8")
    _git(repo, "add", "ontology/my.ttl")
    out = repo.parent / "check.json"
    code, _out, _err = run_hook("crmkg-check", ["--format", "json", "-o", str(out)], capsys)
    assert code == 1
    report = json.loads(out.read_text(encoding="utf-8"))
    focus = {(r["ruleId"], r["focusNode"]["value"]) for r in report["results"] if r["severity"] != "Info"}
    # The extension's class lacks a Finnish label; crmkg's own terms are not what is checked.
    assert any(node == "https://crm.example.org/ontology#PartnerRelationship" for _rule, node in focus)
    assert not [node for _rule, node in focus if node.startswith("https://w3id.org/crmkg/akj")]
    assert report["inputs"] == ["ontology/my.ttl"]
    # Its own prefix and namespace are fine in its header; fixing the label makes it pass.
    fixed = EXTENSION.replace('rdfs:label "Partnership"@en', 'rdfs:label "Partnership"@en , "Kumppanuus"@fi')
    (repo / "ontology" / "my.ttl").write_text(fixed, encoding="utf-8")
    _git(repo, "add", "ontology/my.ttl")
    code, _out, _err = run_hook("crmkg-check", ["--format", "json", "-o", str(out)], capsys)
    failing = [r for r in json.loads(out.read_text(encoding="utf-8"))["results"] if r["severity"] == "Violation"]
    assert failing == []
    assert code == 0


def test_check_hook_without_an_ontology_is_a_usage_error(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["hook", "check"])
    assert code == 2
    assert "no ontology to check" in capsys.readouterr().err


def test_readme_snippet_names_hooks_that_exist() -> None:
    pages = [REPO / "README.md", *sorted((REPO / "docs").glob("*.md"))]  # the README and its guides
    readme = "\n".join(page.read_text(encoding="utf-8") for page in pages)
    snippet = re.search(r"```yaml\n(repos:\n.*?)```", readme, re.DOTALL)
    assert snippet is not None, "the README's pre-commit snippet"
    config = yaml.safe_load(snippet.group(1))
    [entry] = config["repos"]
    assert entry["rev"] == "v" + __import__("crmkg").__version__
    assert {h["id"] for h in entry["hooks"]} <= set(HOOKS)
    for hook in entry["hooks"]:
        for arg in hook.get("args", []):
            assert not arg.startswith("<"), "arguments in the snippet are real, runnable values"
