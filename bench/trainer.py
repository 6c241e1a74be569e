"""Our training loop against transformers' `Trainer`, run in lockstep.

Timings on a shared machine drift by 10-20% within minutes, more than the difference being
measured. So the two loops take turns step by step in one process: a `TrainerCallback` runs our
next step before Trainer's even steps and after its odd ones, so neither side always goes first
and any drift hits both alike. Each loop has its own model and its own torch random state
(swapped in around each of our steps), so both train exactly as they would alone; on the CPU the
measurement fails if our accuracy in lockstep differs from the standalone run's.
"""

from __future__ import annotations

import shutil
import time
from pathlib import Path

import torch

from bench.common import new_classifier, test_accuracy
from bert_tutorial.recipes import SENTIMENT_RECIPE as RECIPE
from bert_tutorial.training import (
    make_batches,
    make_optimizer_and_scheduler,
    train_step,
    trainer_arguments,
)

TRAINER_OPTIONS = (
    "train_sampling_strategy=group_by_length, DataCollatorWithPadding, its default optim "
    "(fused AdamW, as ours), no decay on biases/LayerNorm, linear warmup+decay, same frozen "
    "layers and seed"
)


def rng_state(device) -> tuple:
    """The torch random state that dropout draws from on `device`."""
    on_gpu = device.type == "cuda"
    return torch.get_rng_state(), torch.cuda.get_rng_state(device) if on_gpu else None


def set_rng_state(state: tuple, device) -> None:
    torch.set_rng_state(state[0])
    if device.type == "cuda":
        torch.cuda.set_rng_state(state[1], device)


def lockstep_callback(tokenizer, datasets, device):
    """A Trainer callback that runs our loop, on its own model, in turns with Trainer's steps."""
    from transformers import TrainerCallback

    model = new_classifier().to(device)
    state = rng_state(device)  # as bench_finetune's loop starts
    train = datasets["train"]

    class Lockstep(TrainerCallback):
        def __init__(self):
            self.model, self.state = model, state
            start = time.perf_counter()
            self.optimizer, self.scheduler = make_optimizer_and_scheduler(
                model,
                lr=RECIPE.lr,
                num_training_steps=RECIPE.num_training_steps(len(train)),
                warmup_ratio=RECIPE.warmup_ratio,
                weight_decay=RECIPE.weight_decay,
            )
            self.batches = iter([
                batch
                for epoch in range(RECIPE.num_epochs)
                for batch in make_batches(train, RECIPE.batch_size, tokenizer.pad_token_id,
                                          seed=epoch)
            ])  # fmt: skip
            self.setup_seconds = time.perf_counter() - start  # spent before Trainer starts
            self.step_seconds = 0.0

        def run_step(self) -> bool:
            """Run our next step; return False when our epochs are done."""
            start = time.perf_counter()
            batch = next(self.batches, None)
            if batch is not None:
                trainer_state = rng_state(device)
                set_rng_state(self.state, device)
                self.model.train()
                train_step(self.model, batch, self.optimizer, self.scheduler, device,
                           RECIPE.max_grad_norm)  # fmt: skip
                self.state = rng_state(device)
                set_rng_state(trainer_state, device)
            self.step_seconds += time.perf_counter() - start
            return batch is not None

        def on_step_begin(self, args, state, control, **kwargs):
            if state.global_step % 2 == 0:
                self.run_step()

        def on_step_end(self, args, state, control, **kwargs):
            if state.global_step % 2 == 0:  # global_step already counts the step just taken
                self.run_step()

    return Lockstep()


def trainer_run(tokenizer, datasets, device, workdir: Path, callbacks=()):
    """Train the same model with transformers' Trainer; return (trainer, seconds in train())."""
    from transformers import DataCollatorWithPadding, Trainer

    arguments = trainer_arguments(RECIPE, len(datasets["train"]), workdir, device)
    trainer = Trainer(
        model=new_classifier(),
        args=arguments,
        train_dataset=datasets["train"],
        data_collator=DataCollatorWithPadding(tokenizer),
        callbacks=list(callbacks),
    )
    start = time.perf_counter()
    trainer.train()
    seconds = time.perf_counter() - start
    shutil.rmtree(workdir, ignore_errors=True)  # Trainer's output folder; nothing is saved there
    return trainer, seconds


def trainer_accuracy(trainer, datasets) -> float:
    """Test accuracy of a trained Trainer's model."""
    # With length grouping, Trainer also reorders the evaluation set: score against the labels
    # it returns in the same order.
    prediction = trainer.predict(datasets["test"])
    predicted = torch.as_tensor(prediction.predictions).argmax(dim=-1)
    return (predicted == torch.as_tensor(prediction.label_ids)).float().mean().item()


def bench_trainer(tokenizer, datasets, device, ours: dict, workdir: Path) -> dict:
    """Our loop against Trainer, in lockstep; Trainer's time is its `train()` less our steps."""
    lockstep = lockstep_callback(tokenizer, datasets, device)
    trainer, total = trainer_run(tokenizer, datasets, device, workdir, callbacks=[lockstep])
    trainer_seconds = total - lockstep.step_seconds
    extra_steps = 0
    while lockstep.run_step():  # none expected: both loops take ceil(examples / batch) steps
        extra_steps += 1
    ours_seconds = lockstep.setup_seconds + lockstep.step_seconds
    ours_accuracy = test_accuracy(lockstep.model, tokenizer, datasets["test"], device)
    if device.type == "cpu" and ours_accuracy != ours["test_accuracy"]:
        raise RuntimeError(
            f"our loop scored {ours_accuracy} in lockstep with Trainer but "
            f"{ours['test_accuracy']} alone; the two runs are not independent (random state?)"
        )
    examples = RECIPE.num_epochs * len(datasets["train"])
    ours_rate, trainer_rate = examples / ours_seconds, examples / trainer_seconds
    accuracy_trainer = trainer_accuracy(trainer, datasets)
    return {
        "ours_examples_per_s": ours_rate,
        "trainer_examples_per_s": trainer_rate,
        "ratio": ours_rate / trainer_rate,
        "ours_seconds": ours_seconds,
        "trainer_seconds": trainer_seconds,
        "ours_steps_after_trainer": extra_steps,
        "ours_alone_examples_per_s": ours["examples_per_s"],
        "ours_accuracy": ours_accuracy,
        "trainer_accuracy": accuracy_trainer,
        "accuracy_gap_points": 100 * (ours_accuracy - accuracy_trainer),
        "trainer_options": TRAINER_OPTIONS,
        "method": "lockstep: the loops take turns step by step, each with its own random state",
    }
