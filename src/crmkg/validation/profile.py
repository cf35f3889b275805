"""Where a validation run spends its time: phases (shapes, load, compile, checks, locate, report; a
store run's messages) and, for the fast engine, each compiled check's time and row count
(``crmkg validate --profile``)."""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager, nullcontext
from dataclasses import dataclass, field


@dataclass(frozen=True)
class CheckTiming:
    """One compiled check: the shape (its id and name), the constraint component, its own time
    (in the process or thread that ran it) and the rows it returned."""

    shape: str
    component: str
    seconds: float
    rows: int


@dataclass
class Profile:
    phases: list[tuple[str, float, str]] = field(default_factory=list)
    checks: list[CheckTiming] = field(default_factory=list)

    @contextmanager
    def phase(self, name: str, detail: str = "") -> Iterator[list[str]]:
        """Time the block as phase ``name``; the block may append to the yielded list to give the
        phase's detail once it is known (e.g. how many files were read)."""
        details = [detail] if detail else []
        start = time.perf_counter()
        try:
            yield details
        finally:
            self.phases.append((name, time.perf_counter() - start, ", ".join(details)))

    def render(self, top: int = 0) -> str:
        """The phases, then the checks slowest first (``top`` of them; 0 = all)."""
        lines = ["profile (wall-clock seconds):"]
        for name, seconds, detail in self.phases:
            lines.append(f"  {name:<10} {seconds:8.2f}  {detail}".rstrip())
        lines.append(f"  {'total':<10} {sum(s for _, s, _ in self.phases):8.2f}")
        if self.checks:
            ranked = sorted(self.checks, key=lambda c: -c.seconds)
            shown = ranked[:top] if top else ranked
            summed = sum(c.seconds for c in self.checks)
            lines.append(f"checks, slowest first ({len(shown)} of {len(ranked)}; {summed:.2f} s summed over workers):")
            lines.append(f"  {'seconds':>8} {'rows':>8}  shape  constraint")
            for c in shown:
                lines.append(f"  {c.seconds:8.3f} {c.rows:8d}  {c.shape}  {c.component}")
        return "\n".join(lines) + "\n"


def phase(profile: Profile | None, name: str) -> AbstractContextManager[list[str]]:
    """``profile.phase(name)``, or nothing when not profiling."""
    return profile.phase(name) if profile is not None else nullcontext([])
