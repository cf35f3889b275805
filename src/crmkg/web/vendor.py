"""Third-party browser assets: which files of which npm packages crmkg serves, and their copying.

The packages are pinned in ``assets/package.json`` and ``assets/package-lock.json``; ``make assets``
(``npm ci`` then ``python src/crmkg/web/vendor.py``) copies the files below into
``src/crmkg/web/static/vendor/``, which git ignores and the wheel carries (the hatch build hook in
``hatch_build.py`` runs the same copy). Standard library only: the build hook loads this file by path.
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

#: served path under static/vendor/ → path under node_modules/
MANIFEST: dict[str, str] = {
    "swagger-ui/swagger-ui-bundle.js": "swagger-ui-dist/swagger-ui-bundle.js",
    "swagger-ui/swagger-ui.css": "swagger-ui-dist/swagger-ui.css",
    "swagger-ui/LICENSE": "swagger-ui-dist/LICENSE",
    "redoc/redoc.standalone.js": "redoc/bundles/redoc.standalone.js",
    "redoc/LICENSE": "redoc/LICENSE",
    "codemirror/codemirror.js": "codemirror/lib/codemirror.js",
    "codemirror/codemirror.css": "codemirror/lib/codemirror.css",
    "codemirror/sparql.js": "codemirror/mode/sparql/sparql.js",
    "codemirror/LICENSE": "codemirror/LICENSE",
}

PACKAGE_DIR = Path(__file__).resolve().parent
VENDOR_DIR = PACKAGE_DIR / "static" / "vendor"


def missing(vendor_dir: Path = VENDOR_DIR) -> list[str]:
    """The manifest entries not yet present under ``vendor_dir``."""
    return [name for name in MANIFEST if not (vendor_dir / name).is_file()]


def copy(node_modules: Path, vendor_dir: Path = VENDOR_DIR) -> list[Path]:
    """Copy the manifest's files from ``node_modules`` into ``vendor_dir``; returns what was written."""
    absent = [src for src in MANIFEST.values() if not (node_modules / src).is_file()]
    if absent:
        raise FileNotFoundError(f"{node_modules}: missing {', '.join(absent)} — run 'npm ci' in assets/ (make assets)")
    written = []
    for dest, src in MANIFEST.items():
        target = vendor_dir / dest
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(node_modules / src, target)
        written.append(target)
    return written


if __name__ == "__main__":
    root = Path(sys.argv[1]) if len(sys.argv) > 1 else PACKAGE_DIR.parents[2] / "assets" / "node_modules"
    for path in copy(root):
        print(path.relative_to(PACKAGE_DIR))
