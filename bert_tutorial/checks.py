"""The one check of a learner's text input: a non-empty list of strings.

Words to align (notebooks 01, 04), sentences to embed (02) and texts to train on (03) all enter
through here, so a learner who passes one string, an empty list or a number hears the same
clear message everywhere.
"""

from __future__ import annotations

from collections.abc import Sequence


def check_strings(values: Sequence[str], name: str) -> list[str]:
    """Return `values` as a list after checking it is a non-empty list or tuple of strings."""
    if isinstance(values, str):
        raise TypeError(
            f"{name} must be a list of strings, got the string {values[:40]!r}; wrap one text "
            f"in a list ([text]) or split it into words first (text.split())"
        )
    if not isinstance(values, Sequence):
        raise TypeError(f"{name} must be a list or tuple of strings, got {type(values).__name__}")
    if len(values) == 0:
        raise ValueError(f"{name} is empty; give at least one")
    for i, value in enumerate(values):
        if not isinstance(value, str):
            raise TypeError(
                f"{name}[{i}] is {value!r} of type {type(value).__name__}; every item must be a "
                f"str (convert it with str() or drop it first)"
            )
    return list(values)
