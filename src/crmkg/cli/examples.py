"""``crmkg examples``: find the bundled examples (where an installed crmkg keeps them, what each is)."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from crmkg import resources
from crmkg.cli._common import EXIT_OK
from crmkg.errors import UsageError


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser("examples", help="list the bundled examples and print where one is")
    verbs = parser.add_subparsers(dest="examples_verb", required=True, metavar="VERB")
    listing = verbs.add_parser("list", help="every bundled example with its title")
    listing.add_argument("--format", choices=("text", "json"), default="text")
    listing.set_defaults(func=run_list)
    path = verbs.add_parser(
        "path", help="the folder of one example, e.g. crmkg validate $(crmkg examples path esimerkki-broken)/data"
    )
    path.add_argument("name", metavar="NAME", help="an example's name (crmkg examples list)")
    path.set_defaults(func=run_path)


def title(folder: Path) -> str:
    """The first Markdown heading of the example's README ("" when it has none)."""
    readme = folder / "README.md"
    if not readme.is_file():
        return ""
    for line in readme.read_text(encoding="utf-8").splitlines():
        if line.startswith("#"):
            return line.lstrip("#").strip()
    return ""


def run_list(args: argparse.Namespace) -> int:
    found = [(name, resources.example_dir(name)) for name in resources.example_names()]
    if args.format == "json":
        rows = [{"name": name, "path": str(folder), "title": title(folder)} for name, folder in found]
        json.dump(rows, sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
        return EXIT_OK
    width = max((len(name) for name, _ in found), default=0)
    for name, folder in found:
        sys.stdout.write(f"{name:<{width}}  {title(folder)}\n")
    return EXIT_OK


def run_path(args: argparse.Namespace) -> int:
    names = resources.example_names()
    if args.name not in names:
        raise UsageError(key="error.no_example", name=args.name, names=", ".join(names))
    sys.stdout.write(f"{resources.example_dir(args.name)}\n")
    return EXIT_OK
