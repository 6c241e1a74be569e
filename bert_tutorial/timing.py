"""Timings a conclusion can rest on: each contender timed in turns, the best of several kept.

One timing per contender, taken one after the other, mixes the contenders with whatever else
the machine did meanwhile (a notebook's other kernels, a browser, a slower clock as it warms
up). Timing them in turns spreads that drift over all of them, and the best of each turn is the
run least disturbed. Used in notebook 02 and its solutions.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping


def best_in_turns(
    contenders: Mapping[str, Callable[[], object]],
    *,
    turns: int = 3,
    clock: Callable[[], float] = time.perf_counter,
) -> dict[str, float]:
    """Return each contender's fastest time in seconds, all timed once per turn, in turns."""
    if turns < 1 or not contenders:
        raise ValueError(f"need at least one turn and one contender, got {turns} and "
                         f"{len(contenders)}")  # fmt: skip
    best = dict.fromkeys(contenders, float("inf"))
    for _ in range(turns):
        for name, run in contenders.items():
            start = clock()
            run()
            best[name] = min(best[name], clock() - start)
    return best
