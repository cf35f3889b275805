"""The console script ends without freeing a run's store, yet with its output flushed and its code."""

from __future__ import annotations

import subprocess
import sys
import textwrap

from crmkg import process_exit


def _run(body: str) -> subprocess.CompletedProcess[str]:
    script = "import atexit, sys\nfrom crmkg import process_exit\n" + textwrap.dedent(body)
    return subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60, check=False)


def test_a_kept_run_ends_at_once_with_its_output_flushed_and_its_code() -> None:
    done = _run(
        """
        atexit.register(lambda: print("teardown ran"))
        process_exit.opt_in()
        process_exit.keep_until_exit(object())
        sys.stdout.write("report without a newline")
        sys.stderr.write("a note")
        process_exit.exit_process(3)
        """
    )
    assert done.returncode == 3
    assert done.stdout == "report without a newline"  # flushed; the interpreter's teardown did not run
    assert done.stderr == "a note"


def test_without_anything_kept_the_exit_is_ordinary() -> None:
    done = _run(
        """
        atexit.register(lambda: print("teardown ran"))
        process_exit.opt_in()
        process_exit.exit_process(2)
        """
    )
    assert done.returncode == 2
    assert done.stdout == "teardown ran\n"


def test_nothing_is_kept_unless_the_console_script_opted_in() -> None:
    assert process_exit._kept is None  # in-process callers (these tests) never opted in
    process_exit.keep_until_exit(object())
    assert process_exit._kept is None
