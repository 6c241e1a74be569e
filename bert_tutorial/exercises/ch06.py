"""Checks for the five exercises of notebook 06 (scaling out).

Exercises 1 and 2 read what the learner's script runs left in their `run.json` (processes,
steps, settings) and the learner's explanation; exercise 3 rebuilds Accelerate's shards of the
same batches; exercises 4 and 5 recompute the learner's numbers with `bert_tutorial.scaling` and
notebook 06's assumptions, and name the usual slips (frozen weights' gradients counted, fp16
bytes, the default backward share, percentages).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from functools import cache
from typing import Any

from bert_tutorial.exercises import (
    Exercise,
    Incorrect,
    ____,
    a_number,
    choice,
    type_name,
    whole_number,
)

__all__ = ["____", "exercise1", "exercise2", "exercise3", "exercise4", "exercise5"]
SOLUTIONS = "notebooks/solutions/06_scaling_out_solutions.ipynb"
GPU_FLOPS, TOKENS = 100e12, 128  # notebook 06's assumptions: sustained FLOP/s, tokens per row


def a_run(value: Any, name: str) -> Mapping:
    """Return a run.json dict, or raise Incorrect naming what was expected."""
    if not isinstance(value, Mapping) or "steps" not in value or "num_processes" not in value:
        raise Incorrect(f"{name} is {type_name(value)}; expected what run_finetune returned")
    return value


# Exercise 1 · one process against two -----------------------------------------------------

WHY_ONE_TWO = {
    "b": "each process takes half of every batch, not half of the sentences: the steps are the "
    "same",
    "c": "the all-reduce averages the processes' gradients, exactly as one process's mean over "
    "the batch",
}


def check_one_two(one: Any, two: Any, why: Any = None) -> str:
    """Exercise 1: one and two processes on 512 sentences, the same steps; the why."""
    one, two = a_run(one, "one"), a_run(two, "two")
    if (one["num_processes"], two["num_processes"]) == (2, 1):
        raise Incorrect("one ran on 2 processes and two on 1: swap them")
    if (one["num_processes"], two["num_processes"]) != (1, 2):
        raise Incorrect(f"one ran on {one['num_processes']} process(es) and two on "
                        f"{two['num_processes']}; expected 1 and 2")
    for name, run in (("one", one), ("two", two)):
        examples = run.get("settings", {}).get("max_examples")
        if examples != 512:
            raise Incorrect(f"{name} ran with --max-examples {examples}; run both on the first "
                            "512 training sentences")
    if one["steps"] != two["steps"]:
        raise Incorrect(f"one took {one['steps']} steps and two {two['steps']}: give both the "
                        "same --batch-size (the global batch)")
    if one["losses"] == two["losses"]:
        raise Incorrect("one and two have the very same losses: did both come from one run?")
    choice(why, WHY_ONE_TWO, "a")
    return (f"both took {one['steps']} steps over the same global batches; the losses differ "
            "because each process draws its own dropout masks")


exercise1 = Exercise(
    number=1,
    todo="replace each ____: the two runs' results (run_finetune returns them) and the letter "
    "of your explanation; then run the cell",
    expects='two dicts from run_finetune and a letter, "a", "b" or "c"',
    checker=check_one_two,
    hint_text="run_finetune('python -m bert_tutorial.finetune --cpu --max-examples 512 "
    "--no-progress --output-dir ...') for one process; the same flags after 'torchrun "
    "--standalone --nproc_per_node 2 -m bert_tutorial.finetune' for two.",
    solution_code="""
flags = f"--cpu --max-examples 512 --no-progress --output-dir {runs}"
one = run_finetune(f"python -m bert_tutorial.finetune {flags}/one")
two = run_finetune(f"torchrun --standalone --nproc_per_node 2 -m bert_tutorial.finetune "
                   f"{flags}/two")
exercise1.check(one, two, why="a")
""",
    solutions_notebook=SOLUTIONS,
)


# Exercise 2 · a global batch that does not split ------------------------------------------

WHY_SPLIT = {
    "b": "torchrun starts any number of processes; the batch, not the process count, is the "
    "problem",
    "c": "padding makes sentences equally long; it cannot make 7 rows split into equal slices",
}


def check_split(six: Any, message: Any, why: Any = None) -> str:
    """Exercise 2: batch 6 trains on 2 processes, batch 7 is refused; the why."""
    six = a_run(six, "six")
    if six["num_processes"] != 2:
        raise Incorrect(f"six ran on {six['num_processes']} process(es); launch it with "
                        "torchrun --nproc_per_node 2")
    if six.get("settings", {}).get("recipe", {}).get("batch_size") != 6:
        raise Incorrect("six did not run with --batch-size 6")
    if not isinstance(message, str) or "does not split evenly" not in message:
        raise Incorrect(f"message is {message!r:.80}; expected the error that --batch-size 7 "
                        "gives (catch the RuntimeError and keep str(error))")
    choice(why, WHY_SPLIT, "a")
    return (f"batch 6 trains in slices of 3 ({six['steps']} steps); batch 7 is refused before "
            "training, since equal slices keep the average of the processes' gradients the "
            "batch's mean")


exercise2 = Exercise(
    number=2,
    todo="replace each ____: the batch-6 run's result, the batch-7 error message, and the "
    "letter of your explanation; then run the cell",
    expects='a dict from run_finetune, a string and a letter, "a", "b" or "c"',
    checker=check_split,
    hint_text="run_finetune raises a RuntimeError when the script stops: wrap the batch-7 "
    "launch in try/except RuntimeError and keep the message.",
    solution_code="""
launch = "torchrun --standalone --nproc_per_node 2 -m bert_tutorial.finetune --cpu"
six = run_finetune(f"{launch} --max-examples 24 --eval-examples 0 --no-progress "
                   f"--batch-size 6 --output-dir {runs}/six")
try:
    run_finetune(f"{launch} --max-examples 24 --batch-size 7 --output-dir {runs}/seven")
except RuntimeError as error:
    message = str(error)
exercise2.check(six, message, why="a")
""",
    solutions_notebook=SOLUTIONS,
)


# Exercise 3 · the last, short batch -------------------------------------------------------


def shards_of(num_sentences: int = 1000, batch_size: int = 30, processes: int = 3) -> list:
    """Accelerate's split of notebook 06's length-grouped batches over the processes."""
    from accelerate.data_loader import BatchSamplerShard

    from bert_tutorial.finetune import GroupedBatchSampler

    sampler = GroupedBatchSampler([10 + i % 7 for i in range(num_sentences)], batch_size)
    return [list(BatchSamplerShard(sampler, num_processes=processes, process_index=i,
                                   split_batches=True)) for i in range(processes)]  # fmt: skip


def check_last_batch(last_batch: Any, rows_per_process: Any, seen_twice: Any) -> str:
    """Exercise 3: the short batch's size, each process's rows, the sentences repeated."""
    shards = shards_of()
    seen = [i for shard in shards for batch in shard for i in batch]
    repeated = len(seen) - len(set(seen))
    last = whole_number(last_batch, "last_batch")
    if last == 30:
        raise Incorrect("last_batch is 30: that is the batch after Accelerate filled it; "
                        "1,000 = 33 x 30 + 10 leaves 10 sentences for the last")
    if last != 1000 % 30:
        raise Incorrect(f"last_batch is {last}; 1,000 sentences in batches of 30 leave "
                        f"{1000 % 30} for the last")
    rows = whole_number(rows_per_process, "rows_per_process")
    if rows != 10:
        hint = " (that is 10 split over 3)" if rows == 3 else ""
        raise Incorrect(f"rows_per_process is {rows}{hint}; every process gets 30 / 3 = 10 "
                        "rows of every batch, the last one included")
    twice = whole_number(seen_twice, "seen_twice")
    if twice == 0:
        raise Incorrect("seen_twice is 0; Accelerate fills the short batch up to 30 with "
                        "sentences from the start of the epoch: count them")
    if twice != repeated:
        raise Incorrect(f"seen_twice is {twice}; the shards hold {len(seen):,} rows for "
                        f"{len(set(seen)):,} distinct sentences")
    return (f"the last batch holds {last}; Accelerate fills it with {repeated} sentences from "
            "the start, so each of 3 processes gets 10 rows of every batch")


exercise3 = Exercise(
    number=3,
    todo="replace each ____: the last batch's size, each process's rows per batch, and how "
    "many sentences the epoch sees twice; then run the cell",
    expects="three whole numbers",
    checker=check_last_batch,
    hint_text="len(b) for b in GroupedBatchSampler(lengths, 30) gives the batch sizes; list "
    "BatchSamplerShard(...) for each process_index and count rows and distinct sentences.",
    solution_code="""
from accelerate.data_loader import BatchSamplerShard

lengths = [10 + i % 7 for i in range(1000)]
sampler = GroupedBatchSampler(lengths, 30)
last_batch = [len(b) for b in sampler][-1]
shards = [list(BatchSamplerShard(sampler, num_processes=3, process_index=i, split_batches=True))
          for i in range(3)]
rows_per_process = len(shards[0][-1])
seen = [i for shard in shards for batch in shard for i in batch]
seen_twice = len(seen) - len(set(seen))
exercise3.check(last_batch, rows_per_process, seen_twice)
""",
    solutions_notebook=SOLUTIONS,
)


# Exercises 4 and 5 · the scaling model ----------------------------------------------------


@cache
def config_of(kind: str) -> Any:
    """bert-base's config, or the packaged MiniLM's, with a two-class head."""
    from transformers import AutoConfig

    from bert_tutorial.models import model_path

    if kind == "bert-base":
        return AutoConfig.for_model("bert", num_labels=2)
    return AutoConfig.from_pretrained(model_path(), num_labels=2)


@cache
def gradient_count(kind: str, frozen_only: bool = True) -> int:
    """How many gradients the classifier sends: its trainable weights (or, wrongly, all)."""
    import torch

    from bert_tutorial.modeling import BertSentenceClassifier, freeze_layers
    from bert_tutorial.recipes import SENTIMENT_RECIPE

    with torch.device("meta"):
        model = freeze_layers(BertSentenceClassifier(config_of(kind)),
                              SENTIMENT_RECIPE.num_frozen_layers)
    return sum(p.numel() for p in model.parameters() if p.requires_grad or not frozen_only)


def efficiency(kind: str, batch: int, processes: int, link_name: str, *, bytes_per: int = 4,
               overlap: bool = True, frozen_only: bool = True, own_share: bool = True) -> float:
    """Notebook 06's scaling efficiency of the mean-pooling classifier ("bert-base" or MiniLM).

    The keywords make the slips the checks recognise: every weight's gradient sent, the
    default backward share instead of the model's own.
    """
    from bert_tutorial.recipes import SENTIMENT_RECIPE
    from bert_tutorial.scaling import LINKS, backward_share, link_efficiency, training_flops

    config, frozen = config_of(kind), SENTIMENT_RECIPE.num_frozen_layers
    compute = training_flops(batch * TOKENS, TOKENS, config, frozen) / GPU_FLOPS
    link = next(link for link in LINKS if link.name == link_name)
    extra = {"share": backward_share(config, frozen)} if own_share else {}
    return link_efficiency(compute, bytes_per * gradient_count(kind, frozen_only), processes,
                           link, overlap=overlap, **extra)


def smallest_batch(**options: Any) -> int:
    """The smallest per-GPU batch at which bert-base keeps 90% on 8 GPUs, 100 Gb Ethernet."""
    low, high = 1, 4096  # efficiency grows with the batch: a binary search finds the first
    while low < high:
        middle = (low + high) // 2
        if efficiency("bert-base", middle, 8, "100 Gb Ethernet", **options) >= 0.9:
            high = middle
        else:
            low = middle + 1
    return low


def check_smallest_batches(with_overlap: Any, without: Any) -> str:
    """Exercise 4: recompute both batches; name the usual slips."""
    theirs = (whole_number(with_overlap, "with_overlap"), whole_number(without, "without"))
    right = (smallest_batch(overlap=True), smallest_batch(overlap=False))
    if theirs == right:
        return (f"{right[0]} per GPU with overlap, {right[1]} without: overlap hides most of "
                "the all-reduce behind the backward pass")
    if theirs == right[::-1]:
        raise Incorrect("the two are swapped: overlap needs the smaller batch")
    slips = {
        "it sends the gradients of frozen weights too; only trainable weights have gradients":
            {"frozen_only": False},
        "it sends 2 bytes per gradient; the model sends fp32 gradients, 4 bytes": {"bytes_per": 2},
        "it uses the default backward share; pass share=backward_share(base, frozen layers)":
            {"own_share": False},
    }  # fmt: skip
    for why, options in slips.items():
        if theirs == (smallest_batch(overlap=True, **options),
                      smallest_batch(overlap=False, **options)):
            raise Incorrect(why)
    raise Incorrect(f"with_overlap is {theirs[0]} and without {theirs[1]}; notebook 06's model "
                    "gives other batches: the first batch (counting up from 1) with efficiency "
                    ">= 0.9")


exercise4 = Exercise(
    number=4,
    todo="replace each ____: the smallest per-GPU batch for 90% with and without overlap; then "
    "run the cell",
    expects="two whole numbers",
    checker=check_smallest_batches,
    hint_text="Section 6's step_inputs gives compute, bytes and share for a config and a batch "
    "of 32; redo them for each batch size (training_flops grows with the batch, the bytes do "
    "not) and return the first batch whose link_efficiency reaches 0.9.",
    solution_code="""
base = AutoConfig.for_model("bert", num_labels=2)
with torch.device("meta"):
    model = freeze_layers(BertSentenceClassifier(base), recipe.num_frozen_layers)
gradient_bytes = 4 * sum(p.numel() for p in model.parameters() if p.requires_grad)
link = next(link for link in LINKS if link.name == "100 Gb Ethernet")
share = backward_share(base, recipe.num_frozen_layers)


def smallest_batch(overlap):
    for batch in range(1, 4097):
        compute = training_flops(batch * TOKENS, TOKENS, base, recipe.num_frozen_layers) / GPU_FLOPS
        if link_efficiency(compute, gradient_bytes, 8, link, share=share, overlap=overlap) >= 0.9:
            return batch


with_overlap, without = smallest_batch(True), smallest_batch(False)
exercise4.check(with_overlap, without)
""",
    solutions_notebook=SOLUTIONS,
)


def check_bf16_gradients(fp32: Any, bf16: Any) -> str:
    """Exercise 5: MiniLM's efficiency on 64 GPUs over 25 Gb Ethernet, 4 and 2 bytes."""
    theirs = (a_number(fp32, "fp32"), a_number(bf16, "bf16"))

    def both(processes: int = 64, **options: Any) -> tuple[float, float]:
        return tuple(efficiency("MiniLM", 32, processes, "25 Gb Ethernet", bytes_per=size,
                                **options) for size in (4, 2))

    def matches(values: tuple[float, float]) -> bool:
        return all(math.isclose(a, b, abs_tol=5e-3) for a, b in zip(theirs, values, strict=True))

    right = both()
    if matches(right):
        return (f"fp32 {right[0]:.0%}, bf16 {right[1]:.0%}: halving the bytes helps, and the "
                "link still dominates the step")
    if all(math.isclose(a, 100 * b, rel_tol=0.02) for a, b in zip(theirs, right, strict=True)):
        raise Incorrect("fp32 and bf16 are percentages; give fractions between 0 and 1")
    if matches(right[::-1]):
        raise Incorrect("the two are swapped: fewer bytes give the higher efficiency")
    slips = {
        "that is on 8 GPUs; the exercise asks for N = 64": {"processes": 8},
        "that is without overlap; the exercise takes it with overlap (section 6's solid "
        "curves)": {"overlap": False},
        "it sends the gradients of frozen weights too": {"frozen_only": False},
    }
    for why, options in slips.items():
        if matches(both(**options)):
            raise Incorrect(why)
    raise Incorrect(f"fp32 {theirs[0]:.3f} and bf16 {theirs[1]:.3f}; notebook 06's model gives "
                    f"other values for MiniLM, a batch of 32 per GPU, 64 GPUs, 25 Gb Ethernet")


exercise5 = Exercise(
    number=5,
    todo="replace each ____: the efficiency with fp32 and with bf16 gradients, as fractions; "
    "then run the cell",
    expects="two numbers between 0 and 1",
    checker=check_bf16_gradients,
    hint_text="Section 6's step_inputs(config, frozen layers) gives MiniLM's compute, bytes and "
    "share; call link_efficiency with the 25 Gb Ethernet link, 64 processes, overlap=True, "
    "once with the bytes and once with half of them.",
    solution_code="""
mini = AutoConfig.from_pretrained(model_path(), num_labels=2)
with torch.device("meta"):  # shapes only, as in section 6
    compute, num_bytes, share = step_inputs(mini, recipe.num_frozen_layers)
slow = next(link for link in LINKS if link.name == "25 Gb Ethernet")
fp32, bf16 = (link_efficiency(compute, size, 64, slow, share=share, overlap=True)
              for size in (num_bytes, num_bytes / 2))
exercise5.check(fp32, bf16)
""",
    solutions_notebook=SOLUTIONS,
)
