"""The ``crmkg`` command line: verbs mirror library functions; errors become exit codes here.

Exit codes: 0 success (or conforms), 1 findings at or above ``--fail-on``, 2 usage or input error.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence

from crmkg._version import __version__
from crmkg.cli._common import EXIT_USAGE, input_limits
from crmkg.errors import CrmkgError
from crmkg.inputcheck import using_limits

#: One module per verb; each exposes ``register(subparsers)``.
VERB_MODULES = (
    "crmkg.cli.load",
    "crmkg.cli.lookup",
    "crmkg.cli.query",
    "crmkg.cli.ingest",
    "crmkg.cli.validate",
    "crmkg.cli.serve",
    "crmkg.cli.docs",
)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="crmkg",
        description="crmkg — knowledge graph and ontology toolkit for managing customer relationships.",
        epilog="Exit codes: 0 success/conforms, 1 findings at or above --fail-on, 2 usage or input error.",
    )
    parser.add_argument("-V", "--version", action="version", version=f"crmkg {__version__}")
    subparsers = parser.add_subparsers(dest="verb", required=True, metavar="VERB")
    for name in VERB_MODULES:
        importlib.import_module(name).register(subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        with using_limits(input_limits(args)):
            code: int = args.func(args)
    except CrmkgError as exc:
        print(f"crmkg: error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return 0
    return code


def entry_point() -> None:
    """The console script: exit with :func:`main`'s code."""
    sys.exit(main())
