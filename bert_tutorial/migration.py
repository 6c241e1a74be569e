"""Names that older tutorials use and the pinned libraries no longer have (notebook 05's table).

Each row names the old spelling and the new one, as `module.Object` for a name or
`module.Object(argument)` for an argument. `problems()` checks every row against the installed
libraries (the new name exists, the old one is gone); a test runs it, so `make test-latest`
flags the table when a release changes it.
"""

from __future__ import annotations

import importlib
import inspect
import re
from dataclasses import dataclass


@dataclass(frozen=True)
class Rename:
    """One change a learner meets when copying older code."""

    old: str
    new: str
    note: str


RENAMES = (
    Rename("transformers.TrainingArguments(evaluation_strategy)",
           "transformers.TrainingArguments(eval_strategy)", "'no', 'steps' or 'epoch'"),
    Rename("transformers.TrainingArguments(group_by_length)",
           "transformers.TrainingArguments(train_sampling_strategy)", '= "group_by_length"'),
    Rename("transformers.TrainingArguments(warmup_ratio)",
           "transformers.TrainingArguments(warmup_steps)", "a float below 1 is a fraction"),
    Rename("transformers.TrainingArguments(no_cuda)",
           "transformers.TrainingArguments(use_cpu)", "no_cuda=True is now use_cpu=True"),
    Rename("transformers.Trainer(tokenizer)", "transformers.Trainer(processing_class)",
           "the tokenizer that is saved with the model"),
    Rename("transformers.AdamW", "torch.optim.AdamW", "transformers' own AdamW was removed"),
    Rename("datasets.load_metric", "sklearn.metrics.accuracy_score",
           "metrics left datasets (for the evaluate library); sklearn's work as well"),
    Rename("transformers.BertTokenizer.__call__(is_pretokenized)",
           "transformers.BertTokenizer.__call__(is_split_into_words)",
           "the old name is silently ignored: the words become separate sentences"),
)  # fmt: skip

_SPELLING = re.compile(r"([\w.]+?)(?:\((\w+)\))?")


def exists(spelling: str) -> bool:
    """Whether `module.Object` or `module.Object(argument)` exists in the installed libraries."""
    path, argument = _SPELLING.fullmatch(spelling).groups()
    parts = path.split(".")
    try:
        target = importlib.import_module(parts[0])
        for part in parts[1:]:
            target = getattr(target, part)
    except (ImportError, AttributeError):
        return False
    return argument is None or argument in inspect.signature(target).parameters


def problems() -> list[str]:
    """Return every row of `RENAMES` that the installed libraries contradict."""
    found = []
    for rename in RENAMES:
        if not exists(rename.new):
            found.append(f"{rename.new} does not exist")
        if exists(rename.old):
            found.append(f"{rename.old} still exists")
    return found
