"""A learner's own file through the command: a 3-class CSV fine-tuned and reloaded by name, and
a 100,000-row CSV's data loading (peak memory, time to the first optimizer step)."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

from bert_tutorial.data import MOOD_NAMES, write_mood_csv
from bert_tutorial.own_data import read_labelled, split_validation

# The data stage alone, in a fresh interpreter (Linux), its peak memory over what was there.
LOAD_ROWS = """
import json, sys, time
from pathlib import Path
from bert_tutorial.setup import silence_libraries
silence_libraries()
from transformers import AutoTokenizer
from bert_tutorial.models import model_path
from bert_tutorial.own_data import read_labelled, split_validation, tokenize_rows

def status_mb(field):
    lines = Path("/proc/self/status").read_text().splitlines()
    line = next(l for l in lines if l.startswith(field))
    return int(line.split()[1]) / 1024

tokenizer = AutoTokenizer.from_pretrained(model_path())
Path("/proc/self/clear_refs").write_text("5")  # resets the peak (VmHWM) to the current size
before = status_mb("VmRSS:")
start = time.perf_counter()
rows, names = read_labelled(sys.argv[1], "sentence", "mood")
train, validation = split_validation(rows, names)
train = tokenize_rows(train, tokenizer)
seconds = time.perf_counter() - start
print(json.dumps({"rows": len(rows), "seconds": seconds, "rss_mb_before": before,
                  "peak_mb": status_mb("VmHWM:")}))
"""


def many_rows_csv(path: Path, rows: int) -> Path:
    """Write `rows` lines by repeating the movie-review CSV (a large file of realistic lines)."""
    source = write_mood_csv(path.with_suffix(".seed.csv"), 10_000).read_text().splitlines()
    header, lines = source[0], source[1:]
    with path.open("w", encoding="utf-8") as file:
        file.write(header + "\n")
        for i in range(rows):
            file.write(lines[i % len(lines)] + "\n")
    return path


def bench_own_data(folder: Path, quick: bool) -> dict:
    """Fine-tune on a 3-class CSV from the command; load a large CSV; time and measure both."""
    from transformers import pipeline

    from bert_tutorial.finetune import main

    folder.mkdir(parents=True, exist_ok=True)
    run, big_run = folder / "mood-run", folder / "many-run"
    for old in (run, big_run):  # the command refuses to write over an earlier run
        shutil.rmtree(old, ignore_errors=True)
    rows = 200 if quick else 2000
    path = write_mood_csv(folder / "mood.csv", rows)
    start = time.perf_counter()
    summary = main(["--output-dir", str(run), "--train-file", str(path), "--text-column",
                    "sentence", "--label-column", "mood", "--no-progress"])
    seconds = time.perf_counter() - start
    # pipeline() on the folder, scored on the validation rows the command kept (same seed)
    _, validation = split_validation(*read_labelled(path, "sentence", "mood"), seed=0)
    classify = pipeline("text-classification", model=str(run), device="cpu")
    reloaded = classify(list(validation["text"]), batch_size=64)
    hits = [summary["classes"].index(r["label"]) == label
            for r, label in zip(reloaded, validation["label"], strict=True)]
    big = many_rows_csv(folder / "many.csv", 2_000 if quick else 100_000)
    loading = json.loads(subprocess.run([sys.executable, "-c", LOAD_ROWS, str(big)], check=True,
                                        capture_output=True, text=True).stdout.splitlines()[-1])
    start = time.perf_counter()
    subprocess.run([sys.executable, "-m", "bert_tutorial.finetune", "--output-dir", str(big_run),
                    "--train-file", str(big), "--text-column", "sentence", "--label-column",
                    "mood", "--stop-after", "1", "--no-progress"], check=True,
                   capture_output=True)
    first_step = time.perf_counter() - start
    return {
        "rows": rows,
        "classes": summary["classes"],
        "validation_accuracy": summary["test_accuracy"],
        "command_seconds": seconds,
        "train_seconds": summary["train_seconds"],
        "majority_share": max(Counter(validation["label"]).values()) / len(validation),
        "reloaded_names": sorted({r["label"] for r in reloaded}),
        "names_kept": all(r["label"] in MOOD_NAMES for r in reloaded),
        "pipeline_accuracy": sum(hits) / len(hits),
        "validation_rows": len(validation),
        "large_rows": loading["rows"],
        "large_loading_seconds": loading["seconds"],
        "large_loading_peak_mb": loading["peak_mb"] - loading["rss_mb_before"],
        "large_seconds_to_first_step": first_step,
    }
