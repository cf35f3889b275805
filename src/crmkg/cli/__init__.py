"""The ``crmkg`` command line: verbs mirror library functions; errors become exit codes here.

Exit codes: 0 success (or conforms), 1 findings at or above ``--fail-on``, 2 usage or input error.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from contextvars import ContextVar
from typing import NoReturn

from crmkg import process_exit
from crmkg._version import __version__
from crmkg.cli import docs, examples, hook, ingest, load, lookup, query, serve, shapes, terms, validate
from crmkg.cli._common import EXIT_USAGE, input_limits
from crmkg.cli._help import add_lang_option, argparse_phrases, language_of, localise
from crmkg.cli._progress import add_quiet_option, progress_display
from crmkg.cli._report import write_error_report, write_usage_error_report
from crmkg.errors import CrmkgError
from crmkg.i18n import message
from crmkg.inputcheck import using_limits
from crmkg.language import FALLBACK, cli_language
from crmkg.library_logs import quiet_libraries

#: One module per verb, in the order of ``crmkg --help``; each adds its verb with ``register(subparsers)``.
VERBS = (load, lookup, query, ingest, validate, shapes, hook, serve, docs, examples, terms)


#: The arguments being parsed (a bad option is reported in the format they ask for).
_ARGV: ContextVar[Sequence[str]] = ContextVar("crmkg_argv", default=())


class CrmkgArgumentParser(argparse.ArgumentParser):
    """argparse, except that a bad option of a reporting verb also reaches its report (CI formats)."""

    def error(self, message: str) -> NoReturn:
        write_usage_error_report(message, _ARGV.get())
        super().error(message)


def build_parser() -> argparse.ArgumentParser:
    parser = CrmkgArgumentParser(
        prog="crmkg",
        description="crmkg — knowledge graph and ontology toolkit for managing customer relationships.",
        epilog="Exit codes: 0 success/conforms, 1 findings at or above --fail-on, 2 usage or input error.",
    )
    parser.add_argument("-V", "--version", action="version", version=f"crmkg {__version__}")
    subparsers = parser.add_subparsers(dest="verb", required=True, metavar="VERB")
    for verb in VERBS:
        verb.register(subparsers)
    add_quiet_option(parser)
    add_lang_option(parser)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    quiet_libraries()  # a library's warning is one line, never a traceback on the terminal
    given = list(sys.argv[1:] if argv is None else argv)
    lang = language_of(given)
    parser = build_parser()
    localise(parser, lang)  # --help in the language of the one language rule
    token = _ARGV.set(given)
    try:
        with argparse_phrases(lang):
            args = parser.parse_args(given)
    finally:
        _ARGV.reset(token)
    try:
        with using_limits(input_limits(args)), progress_display(args, _language(args)):
            code: int = args.func(args)
    except CrmkgError as exc:
        if getattr(args, "reports_errors", False):
            write_error_report(exc, args, getattr(args, "title", None) or "crmkg")
        lang = _language(args)
        print(f"crmkg: {message('cli.error', lang)}: {exc.localised(lang)}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return 0
    return code


def _language(args: argparse.Namespace) -> str:
    """The verb's language for the error line; English when even that cannot be decided (a bad
    CRMKG_LANG is itself the error being told)."""
    try:
        return cli_language(getattr(args, "lang", None))
    except CrmkgError:
        return FALLBACK


def entry_point() -> None:
    """The console script: exit with :func:`main`'s code (without freeing a big run's store,
    see :mod:`crmkg.process_exit`)."""
    process_exit.opt_in()
    process_exit.exit_process(main())
