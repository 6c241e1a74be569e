"""best_in_turns times every contender once per turn, in turns, and keeps each one's best."""

import pytest

from bert_tutorial.timing import best_in_turns


def test_contenders_run_in_turns_and_each_keeps_its_fastest_time():
    calls = []
    durations = {"a": [5, 2, 4], "b": [1, 3, 2]}  # seconds per run, turn by turn
    # a fake clock: 0 when a run starts, its duration when it stops
    readings = iter(t for turn in range(3) for name in "ab" for t in (0, durations[name][turn]))

    def run(name):
        return lambda: calls.append(name)

    best = best_in_turns({"a": run("a"), "b": run("b")}, turns=3, clock=lambda: next(readings))
    assert calls == ["a", "b"] * 3
    assert best == {"a": 2, "b": 1}


@pytest.mark.parametrize("contenders, turns", [({}, 3), ({"a": lambda: None}, 0)])
def test_nothing_to_time_is_refused(contenders, turns):
    with pytest.raises(ValueError, match="at least one turn and one contender"):
        best_in_turns(contenders, turns=turns)
