"""The ``>>>`` examples in the library's docstrings run and give what they show."""

from __future__ import annotations

import doctest
import importlib
import pkgutil

import pytest

import crmkg

MODULES = sorted(
    info.name
    for info in pkgutil.walk_packages(crmkg.__path__, "crmkg.")
    if not info.name.startswith(("crmkg.api", "crmkg.cli", "crmkg.__main__"))
)


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name: str) -> None:
    module = importlib.import_module(name)
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    assert result.failed == 0, f"{result.failed} docstring example(s) failed in {name}"


def test_the_doctests_actually_cover_something() -> None:
    attempted = sum(doctest.testmod(importlib.import_module(n)).attempted for n in MODULES)
    assert attempted >= 5
