"""Checked exercises: feedback on a learner's own answer, in the notebook where they work.

Each chapter has a module (`ch01.py`, ...) with `exercise1` ... `exercise5`. A work cell sets
its answer, still `____` until the learner replaces it, and ends with a check call that takes
the answer as explicit arguments, `exercise1.check(word, pieces, continuation)`. The check
returns a `Feedback`, shown as a coloured box in Jupyter and Colab and as one plain line
elsewhere. The helpers at the end turn a wrong-typed answer into a message, never a traceback.
Nothing heavy is imported here: a check imports transformers only when it runs.
"""

from __future__ import annotations

import html
import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

NOT_ATTEMPTED, INCORRECT, CORRECT = "not attempted yet", "incorrect", "correct"
HINT, SOLUTION = "hint", "solution"
# outcome -> (plain-text mark, border colour, background colour)
STYLES = {
    NOT_ATTEMPTED: ("○", "#6b7280", "#f3f4f6"),
    INCORRECT: ("✗", "#b91c1c", "#fef2f2"),
    CORRECT: ("✓", "#15803d", "#f0fdf4"),
    HINT: ("?", "#a16207", "#fefce8"),
    SOLUTION: ("→", "#1d4ed8", "#eff6ff"),
}


class Placeholder:
    """The `____` a work cell holds until the learner puts an answer there."""

    def __repr__(self) -> str:
        return "____"


____ = Placeholder()


class Incorrect(Exception):
    """Raised inside a check with a message that says what is wrong with the learner's value."""


class NotAttempted(Exception):
    """Raised inside a check when the learner's answer still holds the placeholder."""


@dataclass(frozen=True)
class Feedback:
    """One check's outcome and message; a coloured box in Jupyter, one plain line elsewhere."""

    title: str
    outcome: str
    message: str
    code: str = ""

    def __str__(self) -> str:
        mark = STYLES[self.outcome][0]
        text = f"{mark} {self.title} · {self.outcome}: {self.message}"
        return f"{text}\n\n{self.code}" if self.code else text

    __repr__ = __str__  # IPython's text/plain, which nbval and plain terminals read

    def _repr_html_(self) -> str:
        _, border, background = STYLES[self.outcome]
        code = f"<pre>{html.escape(self.code)}</pre>" if self.code else ""
        return (
            f'<div style="border-left: 6px solid {border}; background: {background}; '
            f'color: #111827; padding: 0.5em 1em; margin: 0.25em 0;">'
            f'<strong style="color: {border};">{html.escape(self.title)} · {self.outcome}</strong>'
            f"<br>{html.escape(self.message)}{code}</div>"
        )


def attempted(value: Any) -> bool:
    """Whether `value` no longer holds the placeholder (looked for one level deep)."""
    if isinstance(value, Placeholder):
        return False
    items = value.values() if isinstance(value, Mapping) else value
    if isinstance(value, list | tuple | Mapping):
        return not any(isinstance(item, Placeholder) for item in items)
    return True


def call_learner(function: Callable, *args: Any, case: str) -> Any:
    """Call the learner's `function`; report an exception or the placeholder as feedback."""
    try:
        result = function(*args)
    except Exception as error:  # the learner's code: any error becomes a message, not a trace
        raise Incorrect(f"your function raised {type(error).__name__}: {error} on {case}") from None
    if not attempted(result):
        raise NotAttempted
    return result


@dataclass(frozen=True)
class Exercise:
    """One checked exercise: `check(...)` its answer, a `hint()`, the worked `solution()`."""

    number: int
    todo: str  # what to do while the placeholder is still there
    expects: str  # what a right answer looks like, for answers too odd to diagnose
    checker: Callable[..., str]  # returns the correct line or raises Incorrect/NotAttempted
    hint_text: str
    solution_code: str
    solutions_notebook: str

    @property
    def title(self) -> str:
        """The exercise's name as the boxes show it."""
        return f"Exercise {self.number}"

    def check(self, *args: Any, **kwargs: Any) -> Feedback:
        """Return feedback on the answer given as arguments: not attempted, incorrect or correct."""
        if not all(attempted(value) for value in (*args, *kwargs.values())):
            return Feedback(self.title, NOT_ATTEMPTED, self.todo)
        try:
            return Feedback(self.title, CORRECT, self.checker(*args, **kwargs))
        except NotAttempted:
            return Feedback(self.title, NOT_ATTEMPTED, self.todo)
        except Incorrect as wrong:
            return Feedback(self.title, INCORRECT, str(wrong))
        except Exception as error:  # an answer no rule foresaw: say what was expected instead
            return Feedback(
                self.title,
                INCORRECT,
                f"your answer could not be checked ({type(error).__name__}: {error}); "
                f"expected {self.expects}",
            )

    def hint(self) -> Feedback:
        """Return a hint that points the way without giving the answer."""
        return Feedback(self.title, HINT, self.hint_text)

    def solution(self) -> Feedback:
        """Return the worked answer's code and where it is run and checked."""
        where = f"the worked answer, run and checked in `{self.solutions_notebook}`:"
        return Feedback(self.title, SOLUTION, where, code=self.solution_code.strip())


def type_name(value: Any) -> str:
    """Return a short description of `value`'s type for messages ("a str", "a Tensor")."""
    return f"a {type(value).__name__}" if value is not None else "None"


def as_list(value: Any, name: str, expected: str) -> list:
    """Return `value` as a list, or raise Incorrect naming what was expected instead."""
    if isinstance(value, list | tuple):
        return list(value)
    hint = ""
    if hasattr(value, "tolist"):
        hint = "; convert it with .tolist()"
    elif value is None:
        hint = "; did the cell forget to assign it?"
    raise Incorrect(f"{name} is {type_name(value)}, expected {expected}{hint}")


def a_word(value: Any, name: str) -> str:
    """Return `value` if it is a non-blank string, else raise Incorrect saying so."""
    if not isinstance(value, str) or not value.strip():
        raise Incorrect(f"{name} is {value!r}, expected a word as a non-empty string")
    return value


def strings(value: Any, name: str) -> list[str]:
    """Return `value` as a list of strings, or raise Incorrect naming the first bad item."""
    if isinstance(value, str):
        raise Incorrect(f"{name} is the string {value[:40]!r}, expected a list of strings")
    values = as_list(value, name, "a list of strings")
    for i, item in enumerate(values):
        if not isinstance(item, str):
            raise Incorrect(f"{name}[{i}] is {item!r}, {type_name(item)}; expected strings")
    return values


def whole_number(value: Any, name: str) -> int:
    """Return `value` if it is an int (not a bool), else raise Incorrect saying so."""
    if hasattr(value, "item") and getattr(value, "ndim", 1) == 0:
        value = value.item()  # a 0-d tensor or numpy number from .sum()
    if not isinstance(value, int) or isinstance(value, bool):
        raise Incorrect(f"{name} is {value!r}, {type_name(value)}; expected a whole number")
    return value


def a_number(value: Any, name: str) -> float:
    """Return `value` (a number, or a 0-d tensor's) as a float, or raise Incorrect saying so."""
    if hasattr(value, "item") and getattr(value, "ndim", 1) == 0:
        value = value.item()
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise Incorrect(f"{name} is {value!r}, {type_name(value)}; expected a number")
    return float(value)


def rows_of_ids(value: Any, name: str) -> list[list[int]]:
    """Return the input_ids rows of a tokenizer's output (dict, lists or tensor), or raise."""
    if isinstance(value, Mapping) or hasattr(value, "keys"):
        if "input_ids" not in value.keys():
            raise Incorrect(f"{name} has no 'input_ids'; expected the tokenizer's output")
        value = value["input_ids"]
    if hasattr(value, "tolist"):
        value = value.tolist()
    rows = as_list(value, name, "the tokenizer's output for a list of texts")
    if rows and all(isinstance(i, int) for i in rows):
        raise Incorrect(f"{name} holds one sequence of {len(rows)} ids, expected one row per text")
    return [as_list(row, f"{name} row {i}", "a list of token ids") for i, row in enumerate(rows)]


def choice(why: Any, options: dict[str, str], right: str) -> None:
    """Raise Incorrect unless `why` is the letter `right`, explaining a wrong letter."""
    letter = why.strip().lower() if isinstance(why, str) else why
    if letter == right:
        return
    if letter not in options:
        letters = '", "'.join(sorted([*options, right]))
        raise Incorrect(f'why is {why!r}; expected one of "{letters}"')
    raise Incorrect(f'not "{letter}": {options[letter]}')


VERDICTS = ("within noise", "beyond noise")


def read_verdict(verdict: Any, gap: Any, what: str = "the gap") -> str:
    """Raise Incorrect unless `verdict` reads the interval `gap` (a noise.Estimate); return it."""
    from bert_tutorial import noise

    reading = noise.verdict(gap)
    right = reading.rsplit(": ", 1)[1]
    if verdict not in VERDICTS:
        raise Incorrect(f'verdict is {verdict!r}; expected "within noise" or "beyond noise"')
    if verdict != right:
        spans = "spans zero" if right == "within noise" else "lies on one side of zero"
        raise Incorrect(f'{what} is {reading.split(":")[0]}: the interval {spans}, so it is '
                        f'"{right}", not "{verdict}"')
    return reading


def right_or_wrong(value: Any, name: str, scored: str = "validation sentence") -> list[bool]:
    """Return `value` as one bool per scored example, or raise Incorrect saying what was wrong."""
    if hasattr(value, "tolist"):
        value = value.tolist()
    values = as_list(value, name, f"one True/False per {scored}")
    if len(values) < 2 or not all(isinstance(v, bool | int) and v in (0, 1) for v in values):
        odd = next((v for v in values if not (isinstance(v, bool | int) and v in (0, 1))), None)
        detail = f"; {odd!r} is not" if odd is not None else ""
        raise Incorrect(f"{name} must hold one True/False per {scored}{detail} (compare "
                        "predictions with labels)")
    return [bool(v) for v in values]


def check_verdict(first: Any, second: Any, verdict: Any, names: tuple[str, str],
                  scored: str = "validation sentence") -> str:
    """Raise Incorrect unless `verdict` reads the paired interval of first - second; return it."""
    from bert_tutorial import noise

    a, b = right_or_wrong(first, names[0], scored), right_or_wrong(second, names[1], scored)
    if len(a) != len(b):
        raise Incorrect(f"{names[0]} has {len(a)} results and {names[1]} {len(b)}: score both "
                        f"on the same {scored}s")
    if a == b:
        raise Incorrect(f"{names[0]} and {names[1]} are the same results: did both come from "
                        "one model and one input?")
    return read_verdict(verdict, noise.difference(a, b))
