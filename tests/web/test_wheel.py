"""The wheel carries the web app — templates, static files and the npm-installed assets — and an
app run from the unpacked wheel serves them (no checkout, no npm, no network)."""

from __future__ import annotations

import json
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from crmkg.web.vendor import MANIFEST

REPO = Path(__file__).resolve().parents[2]

PROBE = """
import json, warnings
warnings.simplefilter("ignore")
from fastapi.testclient import TestClient
import crmkg, crmkg.web
from crmkg.api import create_app
from crmkg.config import Settings
client = TestClient(create_app(Settings(), crmkg.open_store()))
paths = ["/", "/docs", "/static/vendor/swagger-ui/swagger-ui-bundle.js", "/static/vendor/redoc/redoc.standalone.js",
         "/static/vendor/codemirror/codemirror.js", "/ontology/", "/ui/terms?q=maksaja"]
print(json.dumps({"web": crmkg.web.__file__, "status": {p: client.get(p).status_code for p in paths}}))
"""


@pytest.mark.slow
def test_the_wheel_serves_the_web_app_offline(tmp_path: Path) -> None:
    subprocess.run(
        [sys.executable, "-m", "build", "--wheel", "--no-isolation", "--outdir", str(tmp_path / "dist"), str(REPO)],
        check=True,
        capture_output=True,
    )
    (wheel,) = (tmp_path / "dist").glob("crmkg-*.whl")
    site = tmp_path / "site"
    with zipfile.ZipFile(wheel) as zf:
        names = set(zf.namelist())
        zf.extractall(site)
    for served in MANIFEST:
        assert f"crmkg/web/static/vendor/{served}" in names
    assert "crmkg/web/templates/base.html" in names
    assert "crmkg/web/sparql/relationship-index.rq" in names
    out = subprocess.run(
        [sys.executable, "-S", "-c", PROBE],  # -S: no .pth, so not the editable checkout
        check=True,
        capture_output=True,
        text=True,
        env={"PYTHONPATH": str(site) + ":" + ":".join(p for p in sys.path if "site-packages" in p)},
        cwd=tmp_path,
    )
    answer = json.loads(out.stdout.strip().splitlines()[-1])
    assert answer["web"].startswith(str(site))
    assert set(answer["status"].values()) == {200}, answer["status"]
