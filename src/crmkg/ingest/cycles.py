"""Cycles in a parent table (units, roles, accounts, managers), of any length.

A unit that is its own grandparent makes the organisation's boundary undefined (every "top of
the chain" walk loops), so each cycle is reported once and broken at the member seen first in
the file, which then hangs directly under the top (the provider, or no parent).
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Mapping, MutableMapping
from typing import TYPE_CHECKING, TypeVar

if TYPE_CHECKING:
    from _typeshed import SupportsRichComparison

K = TypeVar("K", bound=Hashable)


def find_cycles(parents: Mapping[K, K | None], order: Callable[[K], SupportsRichComparison]) -> list[list[K]]:
    """Every cycle of ``parents`` (child → parent), each listed from its first member by
    ``order`` and following the parent links; cycles are found once each."""
    state: dict[K, int] = {}  # 1 = on the current path, 2 = done
    cycles: list[list[K]] = []
    for start in sorted(parents, key=order):
        path: list[K] = []
        node: K | None = start
        while node is not None and node in parents and state.get(node, 0) == 0:
            state[node] = 1
            path.append(node)
            node = parents[node]
        if node is not None and state.get(node) == 1:
            cycle = path[path.index(node) :]
            first = min(range(len(cycle)), key=lambda i: order(cycle[i]))
            cycles.append(cycle[first:] + cycle[:first])
        for member in path:
            state[member] = 2
    return cycles


def break_cycles(parents: MutableMapping[K, K | None], order: Callable[[K], SupportsRichComparison]) -> list[list[K]]:
    """Find the cycles and cut each at its first member (its parent becomes ``None``)."""
    cycles = find_cycles(parents, order)
    for cycle in cycles:
        parents[cycle[0]] = None
    return cycles
