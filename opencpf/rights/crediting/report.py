"""What a chunk of the yearly crediting reports back: how many holders, how much, how many attempts, and the time
spent in each phase (shown by `credit_rights --verbosity 2`)."""

from __future__ import annotations

import time
from dataclasses import dataclass, field


@dataclass
class ChunkResult:
    first_id: int
    last_id: int
    holders: int = 0  # holders credited in this chunk (a ledger entry each, possibly 0 € when capped)
    amount_cents: int = 0
    attempts: int = 1
    seconds: dict[str, float] = field(default_factory=dict)  # time per phase, for `--verbosity 2`


class Clock:
    """Adds the time spent in each phase of a chunk to `seconds[phase]`."""

    def __init__(self, seconds: dict[str, float]):
        self.seconds = seconds
        self.last = time.perf_counter()

    def lap(self, phase: str) -> None:
        now = time.perf_counter()
        self.seconds[phase] = self.seconds.get(phase, 0.0) + now - self.last
        self.last = now
