"""`make bench`: the tutorial's numbers, measured beside the libraries users would pick instead.

    python bench/run.py            # full run, writes bench/results.{json,md,png}
    python bench/run.py --quick    # small sizes, writes build/bench-quick/ (part of `make test`)

Every number quoted in a notebook or the README comes from here.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import time
from pathlib import Path

import torch

from bert_tutorial.baseline import frozen_feature_accuracy
from bert_tutorial.data import movie_review_splits
from bert_tutorial.embed import embed_sentences, padding_cost
from bert_tutorial.modeling import BertSentenceClassifier
from bert_tutorial.models import model_path
from bert_tutorial.setup import setup_notebook, versions
from bert_tutorial.training import (
    make_batches,
    make_optimizer_and_scheduler,
    predict_logits,
    tokenize_sentences,
    train_one_epoch,
    train_step,
)

ROOT = Path(__file__).resolve().parents[1]

# Notebook 03's recipe.
RECIPE = {
    "lr": 1e-4,
    "batch_size": 32,
    "num_epochs": 1,
    "warmup_ratio": 0.1,
    "weight_decay": 0.01,
    "max_grad_norm": 1.0,
    "num_frozen_layers": 2,
    "seed": 0,
}


def load_tokenizer():
    from transformers import BertTokenizer

    return BertTokenizer.from_pretrained(model_path())


def model_config():
    from transformers import BertConfig

    return BertConfig.from_pretrained(model_path())


def new_classifier(num_frozen_layers: int):
    """Notebook 03's model: pretrained body, new head, embeddings and lowest layers frozen."""
    torch.manual_seed(RECIPE["seed"])
    model = BertSentenceClassifier.from_pretrained(model_path(), num_labels=2)
    for parameter in model.bert.embeddings.parameters():
        parameter.requires_grad = False
    for layer in model.bert.encoder.layer[:num_frozen_layers]:
        for parameter in layer.parameters():
            parameter.requires_grad = False
    return model


def review_datasets(tokenizer, sizes):
    splits = movie_review_splits()
    return {
        name: tokenize_sentences(
            [r.text for r in splits[name][:size]],
            [r.label for r in splits[name][:size]],
            tokenizer,
            num_labels=2,
        )
        for name, size in sizes.items()
    }


def accuracy(logits: torch.Tensor, dataset) -> float:
    labels = torch.tensor([feature["labels"] for feature in dataset.features])
    return (logits.argmax(dim=-1) == labels).float().mean().item()


def our_optimizer(model, datasets):
    """Notebook 03's AdamW and warmup + linear-decay schedule for `model`."""
    steps_per_epoch = -(-len(datasets["train"]) // RECIPE["batch_size"])
    return make_optimizer_and_scheduler(
        model,
        lr=RECIPE["lr"],
        num_training_steps=RECIPE["num_epochs"] * steps_per_epoch,
        warmup_ratio=RECIPE["warmup_ratio"],
        weight_decay=RECIPE["weight_decay"],
    )


def our_batches(tokenizer, datasets) -> list[dict[str, torch.Tensor]]:
    """Every epoch's length-grouped training batches, in training order."""
    return [
        batch
        for epoch in range(RECIPE["num_epochs"])
        for batch in make_batches(
            datasets["train"], RECIPE["batch_size"], tokenizer.pad_token_id, seed=epoch
        )
    ]


def score_test(model, tokenizer, datasets, device) -> float:
    test_batches = make_batches(datasets["test"], 128, tokenizer.pad_token_id)
    return accuracy(predict_logits(model, test_batches, device), datasets["test"])


def bench_finetune(tokenizer, datasets, device) -> dict:
    """Train with the package's loop (notebook 03's recipe); time it and score the test split."""
    model = new_classifier(RECIPE["num_frozen_layers"]).to(device)
    start = time.perf_counter()  # Trainer's time includes building its optimizer; ours does too
    optimizer, scheduler = our_optimizer(model, datasets)
    batches = our_batches(tokenizer, datasets)
    train_one_epoch(model, batches, optimizer, scheduler, device, RECIPE["max_grad_norm"], False)
    seconds = time.perf_counter() - start
    return {
        "test_accuracy": score_test(model, tokenizer, datasets, device),
        "train_seconds": seconds,
        "examples_per_s": RECIPE["num_epochs"] * len(datasets["train"]) / seconds,
        "processed_tokens": sum(batch["input_ids"].numel() for batch in batches),
        "recipe": RECIPE,
    }


def rng_state(device) -> tuple:
    """The torch random state that dropout draws from on `device`."""
    on_gpu = device.type == "cuda"
    return torch.get_rng_state(), torch.cuda.get_rng_state(device) if on_gpu else None


def set_rng_state(state: tuple, device) -> None:
    torch.set_rng_state(state[0])
    if device.type == "cuda":
        torch.cuda.set_rng_state(state[1], device)


def lockstep_callback(tokenizer, datasets, device):
    """A Trainer callback that runs our loop, on its own model, in turns with Trainer's steps.

    Our step goes before Trainer's even steps and after its odd ones, so neither side always
    runs first. Our model keeps its own random state (swapped in around each of our steps), so
    both loops train exactly as they would alone.
    """
    from transformers import TrainerCallback

    model = new_classifier(RECIPE["num_frozen_layers"]).to(device)
    state = rng_state(device)  # as bench_finetune's loop starts

    class Lockstep(TrainerCallback):
        def __init__(self):
            self.model, self.state = model, state
            start = time.perf_counter()
            self.optimizer, self.scheduler = our_optimizer(self.model, datasets)
            self.batches = iter(our_batches(tokenizer, datasets))
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
                train_step(
                    self.model, batch, self.optimizer, self.scheduler, device,
                    RECIPE["max_grad_norm"],
                )
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
    from transformers import DataCollatorWithPadding, Trainer, TrainingArguments

    model = new_classifier(RECIPE["num_frozen_layers"])
    steps = RECIPE["num_epochs"] * -(-len(datasets["train"]) // RECIPE["batch_size"])
    arguments = TrainingArguments(
        output_dir=str(workdir),
        per_device_train_batch_size=RECIPE["batch_size"],
        per_device_eval_batch_size=128,
        num_train_epochs=RECIPE["num_epochs"],
        learning_rate=RECIPE["lr"],
        lr_scheduler_type="linear",
        warmup_steps=int(RECIPE["warmup_ratio"] * steps),
        weight_decay=RECIPE["weight_decay"],
        max_grad_norm=RECIPE["max_grad_norm"],
        seed=RECIPE["seed"],
        train_sampling_strategy="group_by_length",  # Trainer's own length grouping
        dataloader_num_workers=0,
        save_strategy="no",
        report_to=[],
        logging_strategy="no",
        disable_tqdm=True,
        use_cpu=device.type == "cpu",
    )
    trainer = Trainer(
        model=model,
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


TRAINER_OPTIONS = (
    "train_sampling_strategy=group_by_length, DataCollatorWithPadding, its default optim "
    "(fused AdamW, as ours), no decay on biases/LayerNorm, linear warmup+decay, same frozen "
    "layers and seed"
)


def bench_trainer(tokenizer, datasets, device, ours: dict, workdir: Path) -> dict:
    """Our loop against Trainer, run in lockstep: the two loops take turns step by step.

    Timings on a shared machine drift by 10-20% within minutes, more than the difference being
    measured; interleaving the two loops step by step exposes both to the same conditions.
    Trainer's time is its `train()` call minus the time spent in our steps.
    """
    lockstep = lockstep_callback(tokenizer, datasets, device)
    trainer, total = trainer_run(tokenizer, datasets, device, workdir, callbacks=[lockstep])
    trainer_seconds = total - lockstep.step_seconds
    extra_steps = 0
    while lockstep.run_step():  # none expected: both loops take ceil(examples / batch) steps
        extra_steps += 1
    ours_seconds = lockstep.setup_seconds + lockstep.step_seconds
    ours_accuracy = score_test(lockstep.model, tokenizer, datasets, device)
    if device.type == "cpu" and ours_accuracy != ours["test_accuracy"]:
        raise RuntimeError(
            f"our loop scored {ours_accuracy} in lockstep with Trainer but "
            f"{ours['test_accuracy']} alone; the two runs are not independent (random state?)"
        )
    examples = RECIPE["num_epochs"] * len(datasets["train"])
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


def bench_embed(tokenizer, sentences, device) -> dict:
    """Our `embed_sentences` against sentence-transformers' `encode` on the same model."""
    from sentence_transformers import SentenceTransformer
    from transformers import BertModel

    model = BertModel.from_pretrained(model_path()).to(device).eval()
    st_model = SentenceTransformer(model_path(), device=str(device))
    embed_sentences(sentences[:64], tokenizer, model, progress=False)  # warm-up
    st_model.encode(sentences[:64], batch_size=64)
    start = time.perf_counter()
    ours = embed_sentences(sentences, tokenizer, model, batch_size=64, progress=False)
    ours_rate = len(sentences) / (time.perf_counter() - start)
    start = time.perf_counter()
    theirs = st_model.encode(sentences, batch_size=64, convert_to_tensor=True).cpu()
    st_rate = len(sentences) / (time.perf_counter() - start)
    cosine = torch.nn.functional.cosine_similarity(ours, theirs.float(), dim=-1)
    return {
        "sentences": len(sentences),
        "ours_sentences_per_s": ours_rate,
        "st_sentences_per_s": st_rate,
        "ratio": ours_rate / st_rate,
        "min_cosine": cosine.min().item(),
    }


def bench_baseline(tokenizer, splits, device, quick: bool) -> dict:
    """Notebook 02's frozen-feature baseline: logistic regression on mean-pooled vectors."""
    from transformers import BertModel

    model = BertModel.from_pretrained(model_path()).to(device)
    num_train, test = (64, splits["test"][:64]) if quick else (4000, splits["test"])
    start = time.perf_counter()
    test_accuracy = frozen_feature_accuracy(
        tokenizer, model, splits["train"], test, num_train=num_train, progress=False
    )
    return {
        "test_accuracy": test_accuracy,
        "num_train": num_train,
        "seconds": time.perf_counter() - start,
    }


def bench_padding(tokenizer, sentences, device) -> dict:
    """Sentences/s and tokens processed for the three padding strategies of notebook 02."""
    from transformers import BertModel

    model = BertModel.from_pretrained(model_path()).to(device).eval()
    strategies = {
        "pad_to_128": {"padding": "max_length", "sort_by_length": False},
        "dynamic": {"padding": "longest", "sort_by_length": False},
        "dynamic_sorted": {"padding": "longest", "sort_by_length": True},
    }
    result: dict = {"sentences": len(sentences)}
    for name, options in strategies.items():
        start = time.perf_counter()
        embed_sentences(sentences, tokenizer, model, progress=False, **options)
        result[f"{name}_sentences_per_s"] = len(sentences) / (time.perf_counter() - start)
        result[f"{name}_tokens_processed"] = padding_cost(sentences, tokenizer, **options)[1]
    result["ratio_sorted_vs_max"] = (
        result["dynamic_sorted_sentences_per_s"] / result["pad_to_128_sentences_per_s"]
    )
    return result


def training_flops(processed_tokens: int, seq_len: float, config, num_frozen_layers: int) -> float:
    """Count the floating-point operations of the training run from the model's shapes.

    Per token and layer, the forward pass does 2 * (4 h^2 + 2 h i) for the linear layers and
    4 * seq_len * h for the attention scores and weighted sum. The backward pass costs twice
    the forward pass for trainable layers and nothing for the frozen ones below them.
    """
    h, i = config.hidden_size, config.intermediate_size
    per_layer = 2 * (4 * h * h + 2 * h * i) + 4 * seq_len * h
    layers = config.num_hidden_layers
    trainable = layers - num_frozen_layers
    return processed_tokens * per_layer * (layers + 2 * trainable)


def matmul_gflops(size: int = 2048, repeats: int = 10) -> float:
    """Measure fp32 matrix-multiply GFLOP/s on this machine's cores."""
    a, b = torch.randn(size, size), torch.randn(size, size)
    for _ in range(2):
        a @ b
    start = time.perf_counter()
    for _ in range(repeats):
        a @ b
    return 2 * size**3 * repeats / (time.perf_counter() - start) / 1e9


def bench_flops(finetune: dict, datasets, config) -> dict:
    lengths = datasets["train"].lengths()
    mean_len = finetune["processed_tokens"] / len(lengths) / RECIPE["num_epochs"]
    flops = training_flops(
        finetune["processed_tokens"], mean_len, config, RECIPE["num_frozen_layers"]
    )
    achieved = flops / finetune["train_seconds"] / 1e9
    peak = matmul_gflops()
    return {
        "train_gflops_per_s": achieved,
        "matmul_gflops_per_s": peak,
        "fraction": achieved / peak,
    }


NER_RECIPE = {"lr": 2e-4, "batch_size": 16, "num_epochs": 4, "warmup_ratio": 0.1, "seed": 0}


def bench_ner(tokenizer, device, quick: bool) -> dict:
    """Notebook 04's recipe on WNUT-16: train, then entity-level micro F1 on the test split."""
    from seqeval.metrics import f1_score

    from bert_tutorial.data import read_wnut16, split_dataset
    from bert_tutorial.modeling import BertTokenTagger
    from bert_tutorial.ner import encode_tagged, predict_word_tags, tag_names

    tweets = read_wnut16()
    splits = split_dataset(tweets, seed=0, fractions=(0.8, 0.0, 0.2))
    train, test = (
        (splits["train"][:64], splits["test"][:32]) if quick else (splits["train"], splits["test"])
    )
    names = tag_names(tweets)
    label2id = {name: i for i, name in enumerate(names)}
    id2label = dict(enumerate(names))
    train_encoded = encode_tagged(train, tokenizer, label2id)
    test_encoded = encode_tagged(test, tokenizer, label2id)
    torch.manual_seed(NER_RECIPE["seed"])
    model = BertTokenTagger.from_pretrained(
        model_path(), num_labels=len(names), id2label=id2label, label2id=label2id
    )
    for parameter in model.bert.embeddings.parameters():
        parameter.requires_grad = False
    model.to(device)
    pad_id = tokenizer.pad_token_id
    batch_size = NER_RECIPE["batch_size"]
    # Length-grouped batching yields ceil(n / batch_size) batches; no need to pad them to count.
    steps = NER_RECIPE["num_epochs"] * -(-len(train_encoded.dataset) // batch_size)
    optimizer, scheduler = make_optimizer_and_scheduler(
        model,
        lr=NER_RECIPE["lr"],
        num_training_steps=steps,
        warmup_ratio=NER_RECIPE["warmup_ratio"],
    )
    start = time.perf_counter()
    for epoch in range(NER_RECIPE["num_epochs"]):
        batches = make_batches(train_encoded.dataset, batch_size, pad_id, seed=epoch)
        train_one_epoch(model, batches, optimizer, scheduler, device, progress=False)
    seconds = time.perf_counter() - start
    predicted = predict_word_tags(model, test_encoded, id2label, device, pad_token_id=pad_id)
    gold = [list(tweet.tags) for tweet in test]
    return {"f1": f1_score(gold, predicted), "train_seconds": seconds, "recipe": NER_RECIPE}


def machine_info() -> dict:
    model_name = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model_name = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return {
        "cpu": model_name,
        "cores": os.cpu_count(),
        "torch_threads": torch.get_num_threads(),
        "device": "cuda" if torch.cuda.is_available() else "cpu",
        **versions(),
    }


def write_reports(results: dict, out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    (out / "results.json").write_text(json.dumps(results, indent=2) + "\n")
    (out / "results.md").write_text(markdown_table(results))
    chart(results, out / "results.png")


def markdown_table(results: dict) -> str:
    f, t, e, p, g = (results[k] for k in ("finetune", "trainer", "embed", "padding", "flops"))
    m = results["machine"]
    rows = [
        ("fine-tune (notebook 03 recipe): test accuracy", f"{f['test_accuracy']:.3f}", "≥ 0.86"),
        ("fine-tune: training time", f"{f['train_seconds']:.0f} s", "≤ 180 s"),
        ("frozen-feature baseline (notebook 02): test accuracy", f"{results['baseline']['test_accuracy']:.3f}", "fine-tuning beats it"),
        ("our loop vs Trainer: examples/s", f"{t['ours_examples_per_s']:.1f} vs {t['trainer_examples_per_s']:.1f} (×{t['ratio']:.2f})", "ratio ≥ 1.0"),
        ("our loop vs Trainer: test accuracy", f"{t['ours_accuracy']:.3f} vs {t['trainer_accuracy']:.3f}", "within 0.5 points"),
        ("embed_sentences vs sentence-transformers: sentences/s", f"{e['ours_sentences_per_s']:.0f} vs {e['st_sentences_per_s']:.0f} (×{e['ratio']:.2f})", "ratio ≥ 1.0"),
        ("embed_sentences vs sentence-transformers: min cosine", f"{e['min_cosine']:.6f}", "≥ 0.9999"),
        ("padding: pad to 128 / dynamic / dynamic + sorted, sentences/s", f"{p['pad_to_128_sentences_per_s']:.0f} / {p['dynamic_sentences_per_s']:.0f} / {p['dynamic_sorted_sentences_per_s']:.0f} (×{p['ratio_sorted_vs_max']:.1f})", "×≥ 2.0"),
        ("training GFLOP/s vs fp32 matmul GFLOP/s", f"{g['train_gflops_per_s']:.0f} vs {g['matmul_gflops_per_s']:.0f} ({g['fraction']:.0%})", "≥ 60%"),
    ]  # fmt: skip
    if "ner" in results:
        n = results["ner"]
        rows.append(("NER (notebook 04 recipe): entity micro F1", f"{n['f1']:.3f}", "≥ 0.45"))
        rows.append(("NER: training time", f"{n['train_seconds']:.0f} s", "≤ 240 s"))
    lines = [
        f"Measured on {m['cpu']}, {m['cores']} cores, {m['torch_threads']} torch threads, "
        f"{m['device']}; torch {m['torch']}, transformers {m['transformers']}"
        + (" (quick mode: small sizes)" if results.get("quick") else ""),
        "",
        "| measurement | result | target |",
        "|---|---|---|",
        *[f"| {name} | {value} | {target} |" for name, value, target in rows],
        "",
    ]
    return "\n".join(lines)


def chart(results: dict, path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    t, e, p = results["trainer"], results["embed"], results["padding"]
    fig, (left, right) = plt.subplots(1, 2, figsize=(12, 4))
    left.bar(["our loop", "Trainer"], [t["ours_examples_per_s"], t["trainer_examples_per_s"]],
             color=["tab:blue", "tab:gray"])  # fmt: skip
    left.set_title("Fine-tuning throughput (same model, data and schedule)")
    left.set_ylabel("training examples per second")
    names = ["embed_sentences", "sentence-transformers", "pad to 128", "dynamic", "dynamic+sorted"]
    values = [
        e["ours_sentences_per_s"], e["st_sentences_per_s"], p["pad_to_128_sentences_per_s"],
        p["dynamic_sentences_per_s"], p["dynamic_sorted_sentences_per_s"],
    ]  # fmt: skip
    right.bar(names, values, color=["tab:blue", "tab:gray", "tab:red", "tab:orange", "tab:green"])
    right.set_title("Inference throughput (MiniLM, CPU)")
    right.set_ylabel("sentences per second")
    right.tick_params(axis="x", rotation=25)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="small sizes, to check the code runs")
    parser.add_argument(
        "--out", type=Path, help="output folder (default: bench/ or build/bench-quick/)"
    )
    parser.add_argument(
        "--only", help="comma-separated steps to rerun, merged into existing results"
    )
    args = parser.parse_args()
    out = args.out or (ROOT / "build" / "bench-quick" if args.quick else ROOT / "bench")

    device = setup_notebook(seed=0)
    tokenizer = load_tokenizer()
    splits = movie_review_splits()
    sizes = {"train": 64, "test": 64} if args.quick else {"train": None, "test": None}
    datasets = review_datasets(tokenizer, sizes)
    sample = [r.text for r in splits["test"][: 32 if args.quick else 512]]
    embed_sample = [r.text for r in splits["train"][: 64 if args.quick else 2000]]

    results: dict = {"quick": args.quick, "machine": machine_info()}
    only = set(args.only.split(",")) if args.only else None
    if only and (out / "results.json").is_file():
        results = {**json.loads((out / "results.json").read_text()), "machine": machine_info()}
    steps = [
        ("finetune", lambda: bench_finetune(tokenizer, datasets, device)),
        ("trainer", lambda: bench_trainer(tokenizer, datasets, device, results["finetune"], ROOT / "build" / "trainer-tmp")),
        ("embed", lambda: bench_embed(tokenizer, embed_sample, device)),
        ("padding", lambda: bench_padding(tokenizer, sample, device)),
        ("flops", lambda: bench_flops(results["finetune"], datasets, model_config())),
        ("baseline", lambda: bench_baseline(tokenizer, splits, device, quick=args.quick)),
        ("ner", lambda: bench_ner(tokenizer, device, quick=args.quick)),
    ]  # fmt: skip
    for name, step in steps:
        if only and name not in only:
            continue
        start = time.perf_counter()
        results[name] = step()
        print(
            f"{name:<9} {time.perf_counter() - start:6.1f} s  {json.dumps(results[name])[:160]}",
            flush=True,
        )
    write_reports(results, out)
    print((out / "results.md").read_text())
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
