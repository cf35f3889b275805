"""Wheel build hook: make sure the npm-installed browser assets are in src/crmkg/web/static/vendor/.

They are copied from assets/node_modules (installed from the committed package-lock.json by
'npm ci', which runs here at build time if it has not run yet). The copy itself is
crmkg.web.vendor, loaded by path so the build does not import crmkg.
"""

from __future__ import annotations

import importlib.util
import shutil
import subprocess
from pathlib import Path
from typing import Any

from hatchling.builders.hooks.plugin.interface import BuildHookInterface


class AssetsHook(BuildHookInterface):  # type: ignore[type-arg]
    PLUGIN_NAME = "custom"

    def initialize(self, version: str, build_data: dict[str, Any]) -> None:
        root = Path(self.root)
        spec = importlib.util.spec_from_file_location("crmkg_vendor", root / "src/crmkg/web/vendor.py")
        assert spec is not None and spec.loader is not None
        vendor = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(vendor)
        if not vendor.missing():
            return
        node_modules = root / "assets" / "node_modules"
        if not node_modules.is_dir():
            npm = shutil.which("npm")
            if npm is None:
                raise RuntimeError("the web assets are missing and npm is not installed: run 'make assets' first")
            subprocess.run([npm, "ci", "--ignore-scripts", "--no-audit", "--no-fund"], cwd=root / "assets", check=True)
        vendor.copy(node_modules)
