"""Results and targets into the Markdown table, the chart and the exit code."""

from __future__ import annotations

import json
import math
from pathlib import Path

from bench.targets import REPORTED, TARGETS


def figures(value, path: str = ""):
    """Yield (path, number) for every number in the results, however deeply nested."""
    if isinstance(value, dict):
        for key, item in value.items():
            yield from figures(item, f"{path}.{key}" if path else key)
    elif isinstance(value, int | float) and not isinstance(value, bool):
        yield path, value


def problems(results: dict) -> list[str]:
    """What fails the run: a missing or non-finite figure always; a missed target on a full run."""
    found = [f"{path} is {value}" for path, value in figures(results) if not math.isfinite(value)]
    for target in TARGETS:
        try:
            if not target.applies(results):
                continue
            value = target.value(results)
        except KeyError as missing:
            reason = skipped(results, missing)
            if reason is None or not results["quick"]:  # a full run must measure every target
                found.append(f"{target.label}: no figure {missing} in the results"
                             + (f" (skipped: {reason})" if reason else ""))
            continue
        if not math.isfinite(value):
            found.append(f"{target.label}: {value}")
        elif not results["quick"] and not target.met(results):
            found.append(f"{target.label}: {value:.4g}, target {target.text} MISSED")
    return found


def skipped(results: dict, missing: KeyError) -> str | None:
    """Why the section a figure is missing from was skipped, or None if it was not."""
    return results.get("skipped", {}).get(missing.args[0])


def _row(t, results: dict) -> str:
    try:
        status = ("(quick run)" if results["quick"] else f"not judged: for {t.where}"
                  if not t.applies(results) else "met" if t.met(results) else "**missed**")
        return f"| {t.label} | {t.shown(results)} | {t.text} | {status} |"
    except KeyError as missing:
        if skipped(results, missing) is None:
            raise
        return f"| {t.label} | skipped: {skipped(results, missing)} | {t.text} | not measured |"


def _reported(show, results: dict) -> str:
    try:
        return show(results)
    except KeyError as missing:
        if skipped(results, missing) is None:
            raise
        return f"skipped: {skipped(results, missing)}"


def markdown_table(results: dict) -> str:
    """The report: the machine, then one row per target with its result and met / missed."""
    m = results["machine"]
    quick = results["quick"]
    rows = [_row(t, results) for t in TARGETS]
    return "\n".join([
        f"Measured on {m['cpu']}, {m['cores']} cores, {m['torch_threads']} torch threads, "
        f"{m['device']}; torch {m['torch']}, transformers {m['transformers']}"
        + (" (quick mode: small sizes, targets not judged)" if quick else ""),
        "",
        "| measurement | result | target | |",
        "|---|---|---|---|",
        *rows,
        "",
        "Reported, with no target:",
        "",
        *(f"- {label}: {_reported(shown, results)}" for label, shown in REPORTED),
        "",
    ])  # fmt: skip


def chart(results: dict, path: Path) -> None:
    """Two bar charts: training throughput, and inference throughput of the embedding paths."""
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
    right.set_title(f"Inference throughput (MiniLM, {results['machine']['device']})")
    right.set_ylabel("sentences per second")
    right.tick_params(axis="x", rotation=25)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


def rerank_chart(rerank: dict, path: Path) -> None:
    """Top-1 accuracy against seconds: the bi-encoder's top k reranked, and every sentence read."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, axis = plt.subplots(figsize=(7, 4))
    points = [(f"top {k}" if k != "1" else "bi-encoder alone", v["seconds"], v["accuracy"])
              for k, v in rerank["k"].items()]
    points.append(("every sentence", rerank["everything"]["seconds"],
                   rerank["everything"]["accuracy"]))
    for name, seconds, accuracy in points:
        axis.scatter(seconds, accuracy, color="tab:red" if name == "every sentence" else "tab:blue")
        axis.annotate(name, (seconds, accuracy), textcoords="offset points", xytext=(5, -12))
    axis.set_xscale("log")
    axis.set(title=f"Retrieve, then rerank: {rerank['questions']} questions, "
                   f"{rerank['sentences']:,} sentences of unseen articles",
             xlabel="seconds for all questions (log scale)", ylabel="top-1 accuracy (%)")
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


README_BLOCK = ("<!-- results.md -->\n", "<!-- /results.md -->")


def write_reports(results: dict, out: Path, readme: Path | None = None) -> None:
    """Write results.json, results.md and the charts into `out`; copy the table into `readme`."""
    out.mkdir(parents=True, exist_ok=True)
    (out / "results.json").write_text(json.dumps(results, indent=2) + "\n")
    table = markdown_table(results)
    (out / "results.md").write_text(table)
    chart(results, out / "results.png")
    if "pairs" in results:
        rerank_chart(results["pairs"]["rerank"], out / "rerank.png")
    if readme is not None:
        text = readme.read_text()
        start = text.index(README_BLOCK[0]) + len(README_BLOCK[0])
        readme.write_text(text[:start] + table + text[text.index(README_BLOCK[1]) :])


def verdict(results: dict) -> int:
    """Print what fails the run, if anything; return the exit code (0 when nothing does)."""
    found = problems(results)
    for problem in found:
        print(f"FAILED: {problem}")
    for section, reason in results.get("skipped", {}).items():
        print(f"SKIPPED {section}: {reason}")
    if not found:
        print("every figure is finite" + ("" if results["quick"] else "; every target met"))
    return 1 if found else 0
