"""Notebook 03's recipe as a command: one CPU, several processes, GPUs or machines, unchanged.

    python -m bert_tutorial.finetune --output-dir runs/one-cpu
    python -m bert_tutorial.finetune --output-dir runs/mine --train-file tickets.csv \
        --text-column text --label-column label
    torchrun --nproc_per_node 2 -m bert_tutorial.finetune --output-dir runs/two-processes
    accelerate launch --multi_gpu --num_processes 8 -m bert_tutorial.finetune --output-dir runs/gpus

The loop is notebook 03's with Hugging Face Accelerate (taught in notebook 06): `prepare` wraps
the model in DistributedDataParallel (whose backward hooks average the gradients across
processes while `accelerator.backward` runs `loss.backward()`) and gives each process its slice
of every batch, and `gather_for_metrics` collects the predictions. `--batch-size` is the
global batch (the recipe's 32), split evenly across the processes, so any number of processes
takes the same steps. `--text-pair-column` reads a second text per row as a sentence pair
(notebook 09). The output folder holds the model
and tokenizer (`from_pretrained` loads it), `run.json` (losses, accuracy, speed, which examples
each process saw, a checksum of each process's weights) and `checkpoints/` for `--resume-from`.
Without `--train-file` it trains notebook 03's classifier on the movie reviews; with one (CSV,
TSV or JSON Lines, read by `own_data`), transformers' own class on the learner's sentences and
classes, whose names go into the saved config, so `pipeline()` loads the folder as it is.
"""

from __future__ import annotations

import argparse
import dataclasses
import hashlib
import os
import sys
import time
from functools import partial
from pathlib import Path

import torch
from torch.utils.data import DataLoader

from bert_tutorial import run_folder
from bert_tutorial.batching import length_grouped_batches, pad_batch
from bert_tutorial.recipes import NER_RECIPE, SENTIMENT_RECIPE, Recipe
from bert_tutorial.run_data import entity_f1, read_run_data

RECIPES = {"text-classification": SENTIMENT_RECIPE, "token-classification": NER_RECIPE}


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    """Return the command's arguments; recipe defaults are notebook 03's (04's for tags)."""
    parser = argparse.ArgumentParser(
        prog="python -m bert_tutorial.finetune",
        description="Fine-tune BERT on the movie reviews (notebook 03's recipe) or on your own "
        "labelled or word-tagged file, on one CPU or GPU, or under torchrun / accelerate launch "
        "on many.",
    )
    parser.add_argument("--output-dir", type=Path, required=True,
                        help="new folder for the model, run.json and checkpoints/")
    parser.add_argument("--model", default=None,
                        help="local folder or hub name (default: the packaged MiniLM)")
    parser.add_argument("--task", choices=tuple(RECIPES), default="text-classification",
                        help="a class per text (notebook 03) or a tag per word (notebook 04)")
    parser.add_argument("--epochs", type=int, help="default: the task's recipe")
    parser.add_argument("--batch-size", type=int,
                        help="global batch per step, split across the processes")
    parser.add_argument("--lr", type=float)
    parser.add_argument("--frozen-layers", type=int)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--mixed-precision", choices=("no", "bf16", "fp16"), default=None,
                        help="autocast the forward pass and loss (weights and AdamW stay fp32); "
                        "default: what `accelerate launch --mixed_precision` set, else no")
    parser.add_argument("--cpu", action="store_true",
                        help="train on the CPU even where a GPU is present")
    parser.add_argument("--grad-accum", type=int, default=1,
                        help="batches whose gradients are summed before each optimizer step")
    parser.add_argument("--max-examples", type=int, default=None,
                        help="train on the first N training sentences only")
    parser.add_argument("--eval-examples", type=int, default=None,
                        help="evaluate on the first N test sentences only (0: skip)")
    parser.add_argument("--no-dropout", action="store_true",
                        help="turn dropout off (makes runs comparable step for step)")
    parser.add_argument("--checkpoint-every", type=int, default=0,
                        help="save a checkpoint every N optimizer steps (always at each epoch end)")
    parser.add_argument("--stop-after", type=int, default=None,
                        help="stop after N optimizer steps, as if interrupted (checkpoint kept)")
    parser.add_argument("--resume-from", type=Path, default=None,
                        help="a checkpoint folder, OUTPUT_DIR/checkpoints/step-N, to continue from")
    parser.add_argument("--no-progress", action="store_true", help="no tqdm bar")
    data = parser.add_argument_group("your own data (default: the movie reviews)")
    data.add_argument("--train-file", type=Path, help="CSV, TSV or JSON Lines of labelled texts")
    data.add_argument("--validation-file", type=Path,
                      help="default: a seeded, stratified 10%% of the train file")
    data.add_argument("--test-file", type=Path, help="scored at the end (default: no test)")
    data.add_argument("--text-column", help="default: text (JSON Lines of tags: words)")
    data.add_argument("--text-pair-column", help="a second text per row, read together with "
                      "the first as one input (a sentence pair, notebook 09); default: none")
    data.add_argument("--label-column", help="class names or whole numbers, whose names go into "
                      "the saved config; default: label (JSON Lines of tags: tags)")
    args = parser.parse_args(argv)
    if args.max_examples is not None and args.max_examples < 1:
        raise SystemExit(f"finetune: --max-examples {args.max_examples}: give 1 or more, or leave "
                         "it out to train on every example")
    recipe, tags = RECIPES[args.task], args.task == "token-classification"
    for flag, field in (("epochs", "num_epochs"), ("batch_size", "batch_size"), ("lr", "lr"),
                        ("frozen_layers", "num_frozen_layers")):
        if getattr(args, flag) is None:
            setattr(args, flag, getattr(recipe, field))
    # `accelerate launch --mixed_precision bf16` passes its choice in the environment; a default
    # of "no" here would override it and train in fp32 without a word.
    args.mixed_precision = args.mixed_precision or os.environ.get("ACCELERATE_MIXED_PRECISION",
                                                                  "no")
    args.text_column = args.text_column or ("words" if tags else "text")
    args.label_column = args.label_column or ("tags" if tags else "label")
    if tags and args.train_file is None:
        raise SystemExit("finetune: --task token-classification needs --train-file (JSON Lines of "
                         "words and tags, or CoNLL columns)")
    pair = args.text_pair_column
    if pair is not None and (tags or args.train_file is None):
        raise SystemExit("finetune: --text-pair-column needs --train-file and the task "
                         "text-classification (a label per pair of texts)")
    if pair is not None and pair in (args.text_column, args.label_column):
        raise SystemExit(f"finetune: column {pair!r} is given twice (--text-pair-column and "
                         f"--{'text' if pair == args.text_column else 'label'}-column); name the "
                         "second text's own column")
    if args.train_file is None and (args.validation_file or args.test_file):
        raise SystemExit("finetune: --validation-file and --test-file need --train-file (the "
                         "training rows and their classes); give it, or drop them")
    return args


def recipe_from(args: argparse.Namespace) -> Recipe:
    """Return the recipe the arguments describe (the task's, with the flags' changes)."""
    return dataclasses.replace(
        RECIPES[args.task], lr=args.lr, batch_size=args.batch_size, num_epochs=args.epochs,
        num_frozen_layers=args.frozen_layers, seed=args.seed,
    )


class GroupedBatchSampler:
    """Length-grouped batches (notebook 03) for the epoch in `self.epoch`; a short batch last.

    Accelerate splits every full batch across the processes and completes only the *last*
    batch when it is short, so the one short batch is moved to the end.
    """

    drop_last = False

    def __init__(self, lengths: list[int], batch_size: int):
        self.lengths, self.batch_size, self.epoch = lengths, batch_size, 0

    def __iter__(self):
        batches = length_grouped_batches(self.lengths, self.batch_size, seed=self.epoch)
        yield from sorted(batches, key=lambda batch: len(batch) < self.batch_size)

    def __len__(self) -> int:
        return -(-len(self.lengths) // self.batch_size)


def run_settings(args: argparse.Namespace) -> dict:
    """Return what defines the training (compared on resume), as JSON-ready values."""
    return {
        "model": args.model, "task": args.task, "recipe": dataclasses.asdict(recipe_from(args)),
        "max_examples": args.max_examples, "no_dropout": args.no_dropout,
        "grad_accum": args.grad_accum, "mixed_precision": args.mixed_precision,
        "data": {key: str(value) if isinstance(value, Path) else value
                 for key, value in vars(args).items()
                 if key.endswith(("_file", "_column")) and value is not None},
    }


def check_arguments(args: argparse.Namespace, num_processes: int, num_examples: int) -> None:
    """Stop with a clear message for settings that cannot run, before any training."""
    if args.batch_size % num_processes:
        raise SystemExit(
            f"finetune: --batch-size {args.batch_size} does not split evenly across "
            f"{num_processes} processes; use a multiple of {num_processes}"
        )
    if num_examples < num_processes:
        raise SystemExit(
            f"finetune: {num_examples} training examples for {num_processes} processes: every "
            f"process needs at least one; use more examples (--max-examples) or fewer processes"
        )
    for flag in ("epochs", "batch_size", "grad_accum"):
        if getattr(args, flag) < 1:
            raise SystemExit(f"finetune: --{flag.replace('_', '-')} must be at least 1")


def weights_checksum(model: torch.nn.Module) -> str:
    """Return a SHA-256 of every parameter's bytes: equal on two processes = identical weights."""
    digest = hashlib.sha256()
    for tensor in model.state_dict().values():
        digest.update(tensor.detach().cpu().contiguous().numpy().tobytes())
    return digest.hexdigest()


def main(argv: list[str] | None = None) -> dict | None:
    """Run the command; return the run's summary on the main process (None elsewhere)."""
    args = parse_args(argv)
    run_folder.check_output_dir(args.output_dir, args.resume_from, run_settings(args))

    from accelerate import Accelerator
    from accelerate.utils import DataLoaderConfiguration

    from bert_tutorial.models import ModelNotAvailableError, model_path
    from bert_tutorial.precision import check_precision
    from bert_tutorial.setup import silence_libraries

    silence_libraries()
    launched = int(os.environ.get("WORLD_SIZE", 1))
    try:  # clear errors for an unknown model or precision, before any process waits for others
        path = model_path(args.model)
        precision = {"no": "fp32"}.get(args.mixed_precision, args.mixed_precision)
        on_gpu = torch.cuda.is_available() and not args.cpu
        check_precision(precision, "cuda" if on_gpu else "cpu")  # notebook 07
    except (ModelNotAvailableError, ValueError) as error:
        raise SystemExit(f"finetune: {error}") from None
    # split_batches: --batch-size is the global batch, so every process count takes the same
    # steps; the schedule and the checkpoints then mean the same thing under any launcher.
    accelerator = Accelerator(
        mixed_precision=args.mixed_precision, gradient_accumulation_steps=args.grad_accum,
        dataloader_config=DataLoaderConfiguration(split_batches=True),
        cpu=train_on_cpu(args, launched),
    )
    if accelerator.num_processes != launched:
        raise SystemExit(f"finetune: launched {launched} processes but Accelerate joined "
                         f"{accelerator.num_processes}; launch with torchrun or accelerate launch")
    if accelerator.device.type == "cpu" and accelerator.num_processes > 1:
        # The processes share the cores: one each would otherwise start every core's threads.
        local = int(os.environ.get("LOCAL_WORLD_SIZE", accelerator.num_processes))
        torch.set_num_threads(max(1, (os.cpu_count() or 1) // local))
    summary = train(args, accelerator, path)
    # Every process reaches the end before any leaves, and the model wrapped in
    # DistributedDataParallel is gone (with train's frame) before the process group: a gloo
    # group destroyed under a live wrapper can hang at exit.
    accelerator.free_memory()
    accelerator.wait_for_everyone()
    accelerator.end_training()
    return summary


def train_on_cpu(args: argparse.Namespace, launched: int) -> bool:
    """Return whether to tell Accelerate `cpu=True` for a run of `launched` processes.

    Without it, Accelerate on a machine with no GPU ignores torchrun's processes and each one
    trains alone; with it, they form one MULTI_CPU group over gloo. `--cpu` asks for the same
    beside GPUs (two processes on a one-GPU machine would otherwise each want a GPU of its own).
    """
    return args.cpu or (launched > 1 and not torch.cuda.is_available())


def model_class(args: argparse.Namespace):
    """Return the class the command trains: notebook 03's for the movie reviews (notebook 06
    reloads the folder with it), transformers' own for a learner's file.

    A learner's folder is then a standard checkpoint: `pipeline()` and the Auto classes load it
    whole, with no package of ours. Given notebook 03's mean-pooling folder, `pipeline()` would
    build the [CLS]-pooler head instead, its pooler drawn at random (said only in the load report).
    """
    from transformers import AutoModelForSequenceClassification, AutoModelForTokenClassification

    from bert_tutorial.modeling import BertSentenceClassifier

    if args.task == "token-classification":
        return AutoModelForTokenClassification  # notebook 04's BertTokenClassifier, same layers
    return BertSentenceClassifier if args.train_file is None else AutoModelForSequenceClassification


def train(args: argparse.Namespace, accelerator, path: str) -> dict | None:
    """Fine-tune in this process; return the run's summary on the main process (None elsewhere)."""
    from accelerate.utils import gather_object, set_seed
    from transformers import AutoTokenizer

    from bert_tutorial.modeling import freeze_layers
    from bert_tutorial.training import make_optimizer_and_scheduler

    recipe = recipe_from(args)
    set_seed(recipe.seed)
    tokenizer = AutoTokenizer.from_pretrained(path)
    tags = args.task == "token-classification"
    data = read_run_data(args, tokenizer, recipe.max_length, say=accelerator.print)
    names, train_data = data.names, data.train
    check_arguments(args, accelerator.num_processes, len(train_data))
    dropout = {"hidden_dropout_prob": 0.0, "attention_probs_dropout_prob": 0.0}
    model = model_class(args).from_pretrained(
        path, num_labels=len(names), id2label=dict(enumerate(names)),
        label2id={name: i for i, name in enumerate(names)},
        **(dropout if args.no_dropout else {}),
    )
    freeze_layers(model, recipe.num_frozen_layers)
    collate = partial(pad_batch, pad_token_id=tokenizer.pad_token_id)
    sampler = GroupedBatchSampler(train_data.lengths(), recipe.batch_size)
    # Its own generator: a DataLoader draws a seed at the start of every pass, and drawing it
    # from the global one would shift the dropout masks of a resumed run.
    train_loader = DataLoader(train_data, batch_sampler=sampler, collate_fn=collate,
                              generator=torch.Generator())
    steps_per_epoch = -(-len(sampler) // args.grad_accum)
    optimizer, scheduler = make_optimizer_and_scheduler(
        model, lr=recipe.lr, num_training_steps=recipe.num_epochs * steps_per_epoch,
        warmup_ratio=recipe.warmup_ratio, weight_decay=recipe.weight_decay,
    )
    model, optimizer, train_loader, scheduler = accelerator.prepare(
        model, optimizer, train_loader, scheduler
    )
    state = {"epoch": 0, "batches_done": 0, "step": 0, "losses": [], "seconds": 0.0}
    if args.resume_from is not None:
        state = run_folder.load_checkpoint(accelerator, args.resume_from)
        accelerator.print(f"resumed from {args.resume_from} at step {state['step']}")

    seen = train_epochs(args, accelerator, model, optimizer, scheduler, train_loader, sampler,
                        state)
    if seen is None:  # stopped early by --stop-after: the checkpoint is the output
        return None
    accuracy = None
    if data.test and not tags:  # a tagger is scored by whole entities on the words, below
        test_loader = DataLoader(data.test, batch_size=64 * accelerator.num_processes,
                                 collate_fn=collate)
        accuracy = evaluate(accelerator, model, test_loader)
    shards = gather_object([seen])  # one entry per process
    checksums = gather_object([weights_checksum(model)])
    accelerator.wait_for_everyone()
    if not accelerator.is_main_process:
        return None
    f1 = None
    if data.tagged_test:
        f1 = entity_f1(accelerator.unwrap_model(model), data, accelerator.device,
                       tokenizer.pad_token_id)
    summary = {
        "settings": run_settings(args),
        "num_processes": accelerator.num_processes,
        "distributed_type": str(accelerator.distributed_type).split(".")[-1],
        "device": str(accelerator.device),
        "threads_per_process": torch.get_num_threads(),
        "steps": state["step"],
        "losses": state["losses"],
        "train_seconds": state["seconds"],
        "examples_per_second": recipe.num_epochs * len(train_data) / state["seconds"],
        "classes": names,
        "test_split": data.test_name,
        "test_examples": len(data.test),
        "test_accuracy": accuracy,
        "test_entity_f1": f1,
        "first_epoch_shards": shards,
        "weights_checksums": checksums,
    }
    run_folder.write_run(args.output_dir, accelerator.unwrap_model(model), tokenizer, summary)
    score = accuracy if f1 is None else f1
    what = "entity F1" if tags else "accuracy"
    acc = "skipped" if score is None else f"{score:.3f} on the {data.test_name}"
    print(f"{accelerator.num_processes} process(es), {state['step']} steps in "
          f"{state['seconds']:.1f} s; {what} {acc}; saved to {args.output_dir}")
    return summary


def train_epochs(args, accelerator, model, optimizer, scheduler, train_loader, sampler,
                 state: dict):
    """Notebook 06's loop from where `state` stands, checkpointing as asked; update `state`.

    Return the example indices this process trained on in its first epoch, or None when
    `--stop-after` stopped the run (its last checkpoint saved).
    """
    from tqdm.auto import tqdm

    recipe = recipe_from(args)
    settings = run_settings(args)
    start = time.perf_counter() - state["seconds"]

    def checkpoint():
        state["seconds"] = time.perf_counter() - start
        run_folder.save_checkpoint(accelerator, args.output_dir, settings, state)

    seen = []
    for epoch in range(state["epoch"], recipe.num_epochs):
        sampler.epoch = epoch  # the same batches on every process, a new order per epoch
        if epoch == state["epoch"]:  # the examples this process trains on in this epoch
            seen = [i for batch in train_loader.batch_sampler for i in batch]
        loader = train_loader
        if state["batches_done"]:
            loader = accelerator.skip_first_batches(train_loader, state["batches_done"])
        model.train()
        bar = tqdm(loader, desc=f"epoch {epoch + 1}/{recipe.num_epochs}", unit="batch",
                   disable=args.no_progress or not accelerator.is_local_main_process)
        for batch in bar:
            with accelerator.accumulate(model):
                loss = model(**batch).loss
                accelerator.backward(loss)  # under DDP: all-reduce (average) of the gradients
                if accelerator.sync_gradients:
                    accelerator.clip_grad_norm_(model.parameters(), recipe.max_grad_norm)
                optimizer.step()
                scheduler.step()
                optimizer.zero_grad()
            state["batches_done"] += 1
            if not accelerator.sync_gradients:
                continue
            state["step"] += 1
            state["losses"].append(accelerator.reduce(loss.detach(), "mean").item())
            bar.set_postfix(loss=f"{state['losses'][-1]:.3f}")
            if args.checkpoint_every and state["step"] % args.checkpoint_every == 0:
                checkpoint()
            if state["step"] == args.stop_after:
                if not args.checkpoint_every or state["step"] % args.checkpoint_every:
                    checkpoint()
                accelerator.print(
                    f"stopped after step {state['step']}; resume with --resume-from "
                    f"{run_folder.checkpoint_folder(args.output_dir, state['step'])}")
                return None
        state.update(epoch=epoch + 1, batches_done=0)
        checkpoint()
    state["seconds"] = time.perf_counter() - start
    return seen


def evaluate(accelerator, model, loader) -> float | None:
    """Return the accuracy over `loader` on all processes together (None without a loader)."""
    if loader is None:
        return None
    loader = accelerator.prepare_data_loader(loader)
    model.eval()
    correct = []
    with torch.inference_mode():
        for batch in loader:
            labels = batch.pop("labels")
            predictions = model(**batch).logits.argmax(dim=-1)
            # gather_for_metrics drops the examples Accelerate repeated to even out a batch
            correct.append(accelerator.gather_for_metrics(predictions == labels))
    return torch.cat(correct).float().mean().item()


if __name__ == "__main__":
    main(sys.argv[1:])
