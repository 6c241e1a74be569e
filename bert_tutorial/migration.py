"""Names that older tutorials use and the pinned libraries no longer have (notebook 05's table).

Each row names the old spelling and the new one, as `module.Object` for a name or
`module.Object(argument)` for an argument. `problems()` checks every row against the installed
libraries (the new name exists; the old one is gone, or still works where the row says it is
only deprecated); a test runs it, so `make test-latest` flags the table when a release changes
it. `from_pretrained` takes its keywords as `**kwargs`, so its rows are checked by loading the
packaged model with the keyword, not by reading a signature.
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
    old_still_works: bool = False  # deprecated, not removed (yet)


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
    Rename("transformers.TrainingArguments(overwrite_output_dir)",
           "transformers.TrainingArguments(output_dir)",
           "removed: Trainer writes into output_dir whatever it holds"),
    Rename("transformers.TrainingArguments(logging_dir)",
           "transformers.TrainingArguments(report_to)",
           "removed: TensorBoard logs go under output_dir, or to $TENSORBOARD_LOGGING_DIR"),
    Rename("transformers.PreTrainedModel.from_pretrained(use_auth_token)",
           "transformers.PreTrainedModel.from_pretrained(token)",
           "the Hub token; the old keyword now raises TypeError"),
    Rename("transformers.PreTrainedModel.from_pretrained(torch_dtype)",
           "transformers.PreTrainedModel.from_pretrained(dtype)",
           "torch_dtype still works in 5.x but is deprecated", old_still_works=True),
    Rename("transformers.AutoModelWithLMHead", "transformers.AutoModelForMaskedLM",
           "for BERT; AutoModelForCausalLM (GPT) or AutoModelForSeq2SeqLM (T5) elsewhere"),
    Rename("transformers.AdamW", "torch.optim.AdamW", "transformers' own AdamW was removed"),
    Rename("datasets.load_metric", "sklearn.metrics.accuracy_score",
           "metrics left datasets: evaluate.load('accuracy') (the evaluate library), or sklearn"),
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
    if argument is None:
        return True
    if path.endswith(".from_pretrained"):
        return from_pretrained_accepts(argument)
    return argument in inspect.signature(target).parameters


def from_pretrained_accepts(keyword: str) -> bool:
    """Whether `BertModel.from_pretrained` on the packaged model accepts `keyword` (with None)."""
    from transformers import BertModel

    from bert_tutorial.models import model_path

    try:
        BertModel.from_pretrained(model_path(), **{keyword: None})
    except TypeError as error:
        if keyword in str(error):
            return False
        raise
    return True


def problems() -> list[str]:
    """Return every row of `RENAMES` that the installed libraries contradict."""
    found = []
    for rename in RENAMES:
        if not exists(rename.new):
            found.append(f"{rename.new} does not exist")
        if exists(rename.old) != rename.old_still_works:
            found.append(f"{rename.old} {'is gone' if rename.old_still_works else 'still exists'}")
    return found
