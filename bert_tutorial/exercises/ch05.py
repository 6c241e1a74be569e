"""Checks for the five exercises of notebook 05 (the Hugging Face way).

Exercise 1 reads the learner's two Trainers (which head, which layers train, how many steps on
how many sentences) and their verdict on the gap, recomputed with notebook 03's paired bootstrap.
Exercises 2 and 3 recompute the learner's numbers from the family table and the movie reviews.
Exercise 4 checks what holds on any machine (the labels, the sizes timed) and the why. Exercise 5
calls the learner's callback with logs they have not seen, then reads what it recorded in a run.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from functools import partial
from types import SimpleNamespace
from typing import Any

from bert_tutorial.exercises import (
    Exercise,
    Incorrect,
    ____,
    a_number,
    as_list,
    call_learner,
    check_verdict,
    choice,
    type_name,
)
from bert_tutorial.exercises.ch03 import frozen_parts

__all__ = ["____", "exercise1", "exercise2", "exercise3", "exercise4", "exercise5"]
SOLUTIONS = "notebooks/solutions/05_the_hugging_face_way_solutions.ipynb"
NUM_SENTENCES = 800


# Exercise 1 · the [CLS]-pooler head against mean pooling ----------------------------------


def trained_model(trainer: Any, name: str) -> Any:
    """Return the trainer's model after checking it trained on the 800 sentences."""
    if not hasattr(trainer, "model") or not hasattr(trainer, "state"):
        raise Incorrect(f"{name} is {type_name(trainer)}; expected the Trainer you trained")
    if trainer.state.global_step == 0:
        raise Incorrect(f"{name} has not trained yet: call {name}.train()")
    examples = len(trainer.train_dataset)
    if examples != NUM_SENTENCES:
        raise Incorrect(f"{name} trained on {examples:,} sentences; the exercise trains both "
                        f"heads on the first {NUM_SENTENCES}")
    return trainer.model


def check_heads(pooler_trainer: Any, mean_trainer: Any, pooler_correct: Any, mean_correct: Any,
                verdict: Any) -> str:
    """Exercise 1: the two heads, the same layers and steps; the validation gap read right."""
    pooler, mean = (trained_model(pooler_trainer, "pooler_trainer"),
                    trained_model(mean_trainer, "mean_trainer"))  # fmt: skip
    if getattr(pooler.base_model, "pooler", None) is None:
        raise Incorrect(f"pooler_trainer's model is a {type(pooler).__name__}, without a pooler: "
                        "use AutoModelForSequenceClassification")
    if getattr(mean.base_model, "pooler", None) is not None:
        raise Incorrect(f"mean_trainer's model is a {type(mean).__name__}, with a pooler head: "
                        "use notebook 03's BertSentenceClassifier")
    frozen = [", ".join(frozen_parts(m.base_model)) or "nothing" for m in (pooler, mean)]
    if frozen[0] != frozen[1]:
        raise Incorrect(f"the heads differ in what is frozen ({frozen[0]} against {frozen[1]}): "
                        "freeze the same layers in both, or the comparison is not of the heads")
    if pooler_trainer.state.global_step != mean_trainer.state.global_step:
        raise Incorrect(f"the runs took {pooler_trainer.state.global_step} and "
                        f"{mean_trainer.state.global_step} steps: train both with the same "
                        "arguments")
    reading = check_verdict(mean_correct, pooler_correct, verdict,
                            ("mean_correct", "pooler_correct"))
    return f"the same layers and steps for both heads; mean pooling - pooler: {reading}"


exercise1 = Exercise(
    number=1,
    todo="replace each ____: two Trainers (the [CLS]-pooler head and notebook 03's class), "
    "trained on the first 800 sentences, both models' right/wrong per validation sentence, and "
    "your verdict; then run the cell",
    expects="two trained Trainers, two lists of True/False and \"within noise\" or "
    '"beyond noise"',
    checker=check_heads,
    hint_text="Build each model with from_pretrained(model_path(), num_labels=2), freeze the "
    "same layers (freeze_layers), and give each a Trainer like section 5's with "
    "train_dataset=tokenized['train'].select(range(800)). Right/wrong per sentence: "
    "trainer.predict(tokenized['validation']), then predictions.argmax(-1) == label_ids.",
    solution_code="""
from bert_tutorial import noise


def trained(model_class):
    seed_everything(recipe.seed)
    model = freeze_layers(model_class.from_pretrained(model_path(), num_labels=2),
                          recipe.num_frozen_layers)
    trainer = Trainer(model=model, args=trainer_arguments(recipe, 800, "outputs/ex1", device),
                      train_dataset=tokenized["train"].select(range(800)),
                      data_collator=DataCollatorWithPadding(tokenizer), processing_class=tokenizer)
    trainer.train()
    return trainer


def right_per_sentence(trainer):
    prediction = trainer.predict(tokenized["validation"])
    return (prediction.predictions.argmax(axis=-1) == prediction.label_ids).tolist()


pooler_trainer = trained(AutoModelForSequenceClassification)
mean_trainer = trained(BertSentenceClassifier)
pooler_correct = right_per_sentence(pooler_trainer)
mean_correct = right_per_sentence(mean_trainer)
gap = noise.difference(mean_correct, pooler_correct)
verdict = "within noise" if gap.low <= 0 <= gap.high else "beyond noise"
exercise1.check(pooler_trainer, mean_trainer, pooler_correct, mean_correct, verdict)
""",
    solutions_notebook=SOLUTIONS,
)


# Exercise 2 · where the parameters sit -----------------------------------------------------


def embedding_shares(everything: bool = False) -> dict[str, float]:
    """Each family member's share of parameters in its word embeddings (or all embeddings)."""
    from bert_tutorial.family import FAMILY, build_on_meta

    shares = {}
    for name in FAMILY:
        model = build_on_meta(name)
        total = sum(p.numel() for p in model.parameters())
        if everything:
            inside = sum(p.numel() for n, p in model.named_parameters() if "embeddings" in n)
        else:
            inside = model.get_input_embeddings().weight.numel()
        shares[name] = inside / total
    return shares


WHY_EMBEDDINGS = {
    "b": "ALBERT's 128-wide vectors keep its word embeddings small, but its shared layers are "
    "small too; its share is not the largest",
    "c": "size alone does not decide it: BERT-large's layers grow with it, so its share is small",
}


def check_shares(shares: Any, why: Any = None) -> str:
    """Exercise 2: each member's share of parameters in word embeddings; the largest's why."""
    if not isinstance(shares, Mapping):
        raise Incorrect(f"shares is {type_name(shares)}; expected {{model name: share}}")
    right = embedding_shares()
    missing = [name for name in right if name not in shares]
    if missing:
        raise Incorrect(f"shares has no {missing[0]!r}; expected every name of the family table")
    theirs = {name: a_number(shares[name], f"shares[{name!r}]") for name in right}
    if all(math.isclose(theirs[n], 100 * right[n], rel_tol=0.01) for n in right):
        raise Incorrect("shares are percentages; give fractions between 0 and 1")
    everything = embedding_shares(everything=True)
    if all(math.isclose(theirs[n], everything[n], rel_tol=1e-3) for n in right):
        raise Incorrect("shares count every embedding (positions, token types, norms too); the "
                        "exercise asks for the word embeddings: vocabulary x width")
    if all(math.isclose(theirs[n], 1 - right[n], rel_tol=0.01) for n in right):
        raise Incorrect("shares are what sits outside the word embeddings; give the share inside")
    for name in right:
        if not math.isclose(theirs[name], right[name], abs_tol=0.005):  # 2 decimals will do
            raise Incorrect(f"shares[{name!r}] is {theirs[name]:.3f}; its word embeddings hold "
                            f"{right[name]:.3f} of its parameters")
    choice(why, WHY_EMBEDDINGS, "a")
    largest = max(right, key=right.get)
    return f"{largest} spends {right[largest]:.0%} of its parameters on word embeddings"


exercise2 = Exercise(
    number=2,
    todo="replace each ____: each family member's share of parameters in its word embeddings, "
    "and the letter of your answer; then run the cell",
    expects='a dict from each family name to a fraction, and a letter, "a", "b" or "c"',
    checker=check_shares,
    hint_text="build_on_meta(name) builds a member without memory; get_input_embeddings()"
    ".weight is its word embedding matrix. Divide its numel() by the sum over parameters().",
    solution_code="""
from bert_tutorial.family import build_on_meta

shares = {}
for name in FAMILY:
    model = build_on_meta(name)
    embedding = model.get_input_embeddings().weight.numel()
    shares[name] = embedding / sum(p.numel() for p in model.parameters())
exercise2.check(shares, why="a")
""",
    solutions_notebook=SOLUTIONS,
)


# Exercise 3 · filtering by rating ---------------------------------------------------------


def check_filter(clear: Any, positive_share: Any) -> str:
    """Exercise 3: the rows with |rating| >= 1 of the training split, and their positive share."""
    from bert_tutorial.data import movie_review_splits

    train = movie_review_splits()["train"]
    kept = [r for r in train if abs(r.rating) >= 1]
    if not hasattr(clear, "column_names") or not hasattr(clear, "num_rows"):
        raise Incorrect(f"clear is {type_name(clear)}; expected the Dataset that .filter returned")
    if "rating" not in clear.column_names:
        raise Incorrect(f"clear has the columns {clear.column_names}; add the ratings as a "
                        "'rating' column (add_column) before filtering")
    ratings = clear["rating"]
    if clear.num_rows == len(train):
        raise Incorrect(f"clear still holds all {len(train):,} training sentences: filter it")
    if clear.num_rows == sum(abs(r.rating) > 1 for r in train):
        raise Incorrect(f"clear holds {clear.num_rows:,} rows, those with |rating| > 1; the "
                        "exercise keeps |rating| >= 1 (a rating of exactly 1 or -1 stays)")
    if any(abs(rating) < 1 for rating in ratings) or clear.num_rows != len(kept):
        raise Incorrect(f"clear holds {clear.num_rows:,} rows; the training split has "
                        f"{len(kept):,} sentences with |rating| >= 1")
    share = a_number(positive_share, "positive_share")
    right = sum(r.label for r in kept) / len(kept)
    if math.isclose(share, 100 * right, abs_tol=0.05):
        raise Incorrect(f"positive_share is {share:.1f}, a percentage; give a fraction")
    if math.isclose(share, 1 - right, abs_tol=5e-4):
        raise Incorrect(f"positive_share is {share:.3f}, the share of negative sentences")
    if not math.isclose(share, right, abs_tol=5e-4):
        raise Incorrect(f"positive_share is {share:.3f}; {sum(r.label for r in kept):,} of the "
                        f"{len(kept):,} kept sentences are positive")
    return f"{len(kept):,} of {len(train):,} sentences remain, {right:.1%} of them positive"


exercise3 = Exercise(
    number=3,
    todo="replace each ____: the filtered Dataset and the share of it that is positive; then "
    "run the cell",
    expects="a datasets.Dataset with a 'rating' column and a fraction",
    checker=check_filter,
    hint_text="reviews['train'].add_column('rating', [r.rating for r in splits['train']]) "
    "keeps the row order; .filter(lambda row: ...) keeps the rows for which it returns True.",
    solution_code="""
rated = reviews["train"].add_column("rating", [r.rating for r in splits["train"]])
clear = rated.filter(lambda row: abs(row["rating"]) >= 1)
positive_share = sum(clear["label"]) / len(clear)
exercise3.check(clear, positive_share)
""",
    solutions_notebook=SOLUTIONS,
)


# Exercise 4 · batching a pipeline ---------------------------------------------------------

WHY_BATCHING = {
    "b": "a batch does the same operations per sentence, and more (its padding): it does not "
    "compute fewer",
    "c": "the labels must not change with the batch size, and in a right run they do not",
}


def check_batching(seconds: Any, labels: Any, why: Any = None) -> str:
    """Exercise 4: three sizes timed, the same labels at each; the why as a choice."""
    for name, value in (("seconds", seconds), ("labels", labels)):
        if not isinstance(value, Mapping) or sorted(value) != [1, 8, 64]:
            raise Incorrect(f"{name} is {value!r:.60}; expected {{1: ..., 8: ..., 64: ...}}, one "
                            "entry per batch size")
    for size, took in seconds.items():
        if a_number(took, f"seconds[{size}]") <= 0:
            raise Incorrect(f"seconds[{size}] is {took!r}; expected a positive time")
    rows = {size: as_list(value, f"labels[{size}]", "the labels the pipeline returned")
            for size, value in labels.items()}  # fmt: skip
    if len(rows[1]) != 256:
        raise Incorrect(f"labels[1] holds {len(rows[1])} labels; the exercise classifies 256 "
                        "test sentences")
    for size in (8, 64):
        if rows[size] != rows[1]:
            changed = sum(a != b for a, b in zip(rows[1], rows[size], strict=False))
            raise Incorrect(f"labels[{size}] differs from labels[1] for {changed} of the "
                            f"{len(rows[1])} sentences: the same sentences must get the same "
                            "labels at any batch size")
    choice(why, WHY_BATCHING, "a")
    return ("the same 256 labels at every batch size; the speeds are your machine's, and the "
            "why holds on any")


exercise4 = Exercise(
    number=4,
    todo="replace each ____: the seconds and the labels for batch sizes 1, 8 and 64, and the "
    "letter of your explanation; then run the cell",
    expects="two dicts keyed 1, 8 and 64, and a letter",
    checker=check_batching,
    hint_text="Time classifier(texts, batch_size=size) with time.perf_counter() for each size "
    "and keep [p['label'] for p in its result].",
    solution_code="""
texts = [r.text for r in splits["test"][:256]]
seconds, labels = {}, {}
for batch_size in (1, 8, 64):
    start = time.perf_counter()
    labels[batch_size] = [p["label"] for p in classifier(texts, batch_size=batch_size)]
    seconds[batch_size] = time.perf_counter() - start
exercise4.check(seconds, labels, why="a")
""",
    solutions_notebook=SOLUTIONS,
)


# Exercise 5 · a callback that records the loss --------------------------------------------

# What Trainer passes to on_log in a run with logging_steps=5: training logs, an evaluation's
# logs, nothing, and the summary at the end (its "train_loss" is a mean over the whole run).
LOGS = [
    (5, {"loss": 0.69, "grad_norm": 1.2, "learning_rate": 1e-4, "epoch": 0.2}),
    (5, {"eval_loss": 0.64, "eval_accuracy": 0.7, "epoch": 0.2}),
    (10, {"loss": 0.61, "grad_norm": 1.0, "learning_rate": 5e-5, "epoch": 0.4}),
    (10, None),
    (10, {"train_runtime": 30.0, "train_loss": 0.65, "epoch": 0.4}),
]


def recorded(recorder: Any, name: str) -> tuple[list, list]:
    """Return the recorder's steps and losses, or raise Incorrect naming what is missing."""
    for attribute in ("steps", "losses"):
        if not hasattr(recorder, attribute):
            raise Incorrect(f"{name} has no .{attribute}; keep self.steps and self.losses")
    steps = as_list(recorder.steps, f"{name}.steps", "a list of step numbers")
    losses = as_list(recorder.losses, f"{name}.losses", "a list of losses")
    return steps, losses


def check_callback(recorder_class: Any, recorder: Any) -> str:
    """Exercise 5: the callback on unseen logs, then what it recorded in the learner's run."""
    if not isinstance(recorder_class, type):
        raise Incorrect(f"LossRecorder is {type_name(recorder_class)}; expected your class")
    probe = call_learner(recorder_class, case="LossRecorder()")
    for step, logs in LOGS:
        state = SimpleNamespace(global_step=step)
        on_log = partial(probe.on_log, logs=logs)  # by keyword, as Trainer passes it
        call_learner(on_log, None, state, None, case=f"logs={logs!r:.60}")
    steps, losses = recorded(probe, "LossRecorder()")
    if 0.64 in losses:
        raise Incorrect("it recorded an evaluation's eval_loss: keep only logs with 'loss'")
    if 0.65 in losses:
        raise Incorrect("it recorded the run's closing summary (train_loss, a mean over the "
                        "whole run): keep only logs with 'loss'")
    if steps == [1, 2]:
        raise Incorrect("its steps count the calls; record state.global_step")
    if (steps, losses) != ([5, 10], [0.69, 0.61]):
        raise Incorrect(f"given training losses 0.69 at step 5 and 0.61 at step 10 (among other "
                        f"logs) it recorded steps {steps} and losses {losses}")
    steps, losses = recorded(recorder, "recorder")
    if not steps or steps != list(range(5, 5 * len(steps) + 1, 5)):
        raise Incorrect(f"recorder.steps is {steps[:8]}; with logging_strategy='steps' and "
                        "logging_steps=5 it is 5, 10, 15, ...")
    if len(losses) != len(steps) or not all(isinstance(v, float) for v in losses):
        raise Incorrect("recorder.losses must hold one number per recorded step")
    return (f"it keeps training losses only, at Trainer's step numbers; your run logged "
            f"{len(steps)} of them")


exercise5 = Exercise(
    number=5,
    todo="replace each ____: your LossRecorder's on_log, and a recorder filled by a run with "
    "logging_steps=5; then run the cell",
    expects="a TrainerCallback subclass with .steps and .losses, and an instance of it after "
    "trainer.train()",
    checker=check_callback,
    hint_text="on_log(self, args, state, control, logs=None, **kwargs) is called with every "
    "log: keep logs['loss'] and state.global_step when 'loss' is among the logs.",
    solution_code="""
class LossRecorder(TrainerCallback):
    def __init__(self):
        self.steps, self.losses = [], []

    def on_log(self, args, state, control, logs=None, **kwargs):
        if logs and "loss" in logs:
            self.steps.append(state.global_step)
            self.losses.append(logs["loss"])


seed_everything(recipe.seed)
model = freeze_layers(BertSentenceClassifier.from_pretrained(model_path(), num_labels=2),
                      recipe.num_frozen_layers)
trainer = Trainer(model=model, args=trainer_arguments(recipe, 800, "outputs/ex5", device,
                                                      logging_strategy="steps", logging_steps=5),
                  train_dataset=tokenized["train"].select(range(800)),
                  data_collator=DataCollatorWithPadding(tokenizer), processing_class=tokenizer)
recorder = LossRecorder()
trainer.add_callback(recorder)
trainer.train()
exercise5.check(LossRecorder, recorder)
""",
    solutions_notebook=SOLUTIONS,
)
