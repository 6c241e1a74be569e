"""The targets, as data: one row per target drives the report, the chart's notes and the exit code.

`value` reads the judged figure from the results, `shown` formats the row's result for people.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Target:
    """One promise: `value(results)` must be `op` (">=" or "<=") `bound`."""

    label: str
    value: Callable[[dict], float]
    op: str
    bound: float
    shown: Callable[[dict], str]
    unit: str = ""
    applies: Callable[[dict], bool] = lambda r: True  # judged only where it applies
    where: str = ""  # the machines it applies to, shown where it does not

    def met(self, results: dict) -> bool:
        """Whether the measured figure meets the target."""
        value = self.value(results)
        return value >= self.bound if self.op == ">=" else value <= self.bound

    @property
    def text(self) -> str:
        return f"{'≥' if self.op == '>=' else '≤'} {self.bound:g}{self.unit}"


NATIVE_WHERE = "CPUs with AMX, where fastest_precision picks bf16"


def NATIVE(r: dict) -> bool:  # noqa: N802 (reads as a constant in the table)
    return r["precision"]["native_bf16"]


def _bf16(r: dict, text) -> str:
    """The bf16 rows' `text(precision results)`, or why there is none (no bf16 instructions)."""
    p = r["precision"]
    return text(p) if p["bf16_seconds"] is not None else "no bf16 on this CPU"


def _gap(gap: dict) -> str:
    """A difference in points with its 95% interval, from `noise.difference` as a dict."""
    return f"{gap['value']:+.1f} ({gap['low']:+.1f} to {gap['high']:+.1f})"


def _best(r: dict) -> str:
    i = r["inference"]
    best = i["paths"][i["best_path"]]
    return (f"{i['best_path']}: {best['sentences_per_s']:.0f} vs "
            f"{i['paths']['fp32 eager']['sentences_per_s']:.0f} sentences/s (×{i['best_speedup']:.2f}), "
            f"accuracy {_gap(best['minus_fp32'])} points; "
            f"{i['best_gflops_per_s']:.0f} GFLOP/s vs {i['matmul_dtype']} matmul "
            f"{i['matmul_gflops_per_s']:.0f}")


def _rerank_speedup(r: dict) -> float:
    """The speed-up of the smallest k within 1 point of reading every sentence (0 if none is)."""
    rerank = r["pairs"]["rerank"]
    k = rerank["smallest_k_within_1"]
    return rerank["k"][str(k)]["speedup"] if k is not None else 0.0


def _rerank_shown(rerank: dict) -> str:
    k = rerank["smallest_k_within_1"]
    every = rerank["everything"]
    head = (f"every sentence: {every['accuracy']:.1f}% top-1 of {rerank['questions']} questions, "
            f"{every['seconds']:.0f} s")
    if k is None:
        return head + "; no k within 1 point"
    row = rerank["k"][str(k)]
    gap = row["minus_everything"]
    return (head + f"; top {k}: {row['accuracy']:.1f}% ({gap['value']:+.1f} points, 95% interval "
            f"{gap['low']:+.1f} to {gap['high']:+.1f}), {row['seconds']:.0f} s (×{row['speedup']:.1f})")


TARGETS = (
    Target("fine-tune (notebook 03 recipe): test accuracy",
           lambda r: r["finetune"]["test_accuracy"], ">=", 0.83,
           lambda r: f"{r['finetune']['test_accuracy']:.3f}"),
    Target("fine-tune: training time",
           lambda r: r["finetune"]["train_seconds"], "<=", 180,
           lambda r: f"{r['finetune']['train_seconds']:.0f} s", " s"),
    Target("fine-tuning over the frozen-feature baseline (notebook 02), accuracy points",
           lambda r: 100 * (r["finetune"]["test_accuracy"] - r["baseline"]["test_accuracy"]), ">=", 0.1,
           lambda r: f"{r['finetune']['test_accuracy']:.3f} vs {r['baseline']['test_accuracy']:.3f} ({100 * (r['finetune']['test_accuracy'] - r['baseline']['test_accuracy']):+.1f})",
           " points"),
    Target("our loop vs Trainer: examples/s, ratio",
           lambda r: r["trainer"]["ratio"], ">=", 1.0,
           lambda r: f"{r['trainer']['ours_examples_per_s']:.1f} vs {r['trainer']['trainer_examples_per_s']:.1f} (×{r['trainer']['ratio']:.2f})"),
    Target("our loop vs Trainer: test accuracy gap, points",
           lambda r: abs(r["trainer"]["accuracy_gap_points"]), "<=", 0.5,
           lambda r: f"{r['trainer']['ours_accuracy']:.3f} vs {r['trainer']['trainer_accuracy']:.3f}",
           " points"),
    Target("embed_sentences vs sentence-transformers: sentences/s, ratio",
           lambda r: r["embed"]["ratio"], ">=", 1.0,
           lambda r: f"{r['embed']['ours_sentences_per_s']:.0f} vs {r['embed']['st_sentences_per_s']:.0f} (×{r['embed']['ratio']:.2f})"),
    Target("embed_sentences vs sentence-transformers: min cosine",
           lambda r: r["embed"]["min_cosine"], ">=", 0.9999,
           lambda r: f"{r['embed']['min_cosine']:.6f}"),
    Target("padding: dynamic + sorted over pad to 128, sentences/s ratio",
           lambda r: r["padding"]["ratio_sorted_vs_max"], ">=", 2.0,
           lambda r: f"{r['padding']['pad_to_128_sentences_per_s']:.0f} / {r['padding']['dynamic_sentences_per_s']:.0f} / {r['padding']['dynamic_sorted_sentences_per_s']:.0f} (×{r['padding']['ratio_sorted_vs_max']:.1f})"),
    Target("training GFLOP/s as a fraction of fp32 matmul GFLOP/s",
           lambda r: r["flops"]["fraction"], ">=", 0.6,
           lambda r: f"{r['flops']['train_gflops_per_s']:.0f} vs {r['flops']['matmul_gflops_per_s']:.0f} ({r['flops']['fraction']:.0%})"),
    Target("NER (notebook 04 recipe): entity micro F1",
           lambda r: r["ner"]["f1"], ">=", 0.45,
           lambda r: f"{r['ner']['f1']:.3f}"),
    Target("pipeline() vs notebook 03's batched predict_logits: sentences/s, ratio",
           lambda r: r["pipeline"]["ratio"], ">=", 0.9,
           lambda r: f"{r['pipeline']['pipeline_sentences_per_s']:.0f} vs {r['pipeline']['manual_sentences_per_s']:.0f} (×{r['pipeline']['ratio']:.2f})"),
    Target("pipeline() vs predict_logits: same predicted label",
           lambda r: r["pipeline"]["agreement"], ">=", 1.0,
           lambda r: f"{r['pipeline']['agreement']:.1%} of {r['pipeline']['sentences']:,} test sentences"),
    Target("NER: training time",
           lambda r: r["ner"]["train_seconds"], "<=", 240,
           lambda r: f"{r['ner']['train_seconds']:.0f} s", " s"),
    Target("bf16 autocast training vs fp32 (notebook 03 recipe), speed-up",
           lambda r: r["precision"]["speedup"], ">=", 1.4,
           lambda r: _bf16(r, lambda p: f"{p['fp32_seconds']:.0f} s vs {p['bf16_seconds']:.0f} s (×{p['speedup']:.2f})"),
           applies=NATIVE, where=NATIVE_WHERE),
    Target("bf16 vs fp32 training: test accuracy gap, points",
           lambda r: abs(100 * (r["precision"]["bf16_accuracy"] - r["precision"]["fp32_accuracy"])), "<=", 0.5,
           lambda r: _bf16(r, lambda p: f"{p['bf16_accuracy']:.3f} vs {p['fp32_accuracy']:.3f}"),
           " points", applies=NATIVE, where=NATIVE_WHERE),
    Target("bf16 for 2 epochs: time over 1 fp32 epoch",
           lambda r: r["precision"]["bf16_two_epoch_seconds"] / r["precision"]["fp32_seconds"], "<=", 1.0,
           lambda r: _bf16(r, lambda p: f"{p['bf16_two_epoch_seconds']:.0f} s vs {p['fp32_seconds']:.0f} s"),
           applies=NATIVE, where=NATIVE_WHERE),
    Target("bf16 for 2 epochs: test accuracy",
           lambda r: r["precision"]["bf16_two_epoch_accuracy"], ">=", 0.85,
           lambda r: _bf16(r, lambda p: f"{p['bf16_two_epoch_accuracy']:.3f}"),
           applies=NATIVE, where=NATIVE_WHERE),
    Target("fastest inference path within 0.5 accuracy points of fp32, vs fp32 eager (AMX CPUs)",
           lambda r: r["inference"]["best_speedup"], ">=", 3.0, lambda r: _best(r),
           applies=lambda r: r["inference"]["native_bf16"], where=NATIVE_WHERE),
    Target("fastest inference path within 0.5 accuracy points of fp32, vs fp32 eager (other CPUs)",
           lambda r: r["inference"]["best_speedup"], ">=", 2.6, lambda r: _best(r),
           applies=lambda r: not r["inference"]["native_bf16"], where="CPUs without AMX"),
    Target("masked LM (notebook 08 recipe): held-out masked-token top-5 accuracy",
           lambda r: r["mlm"]["after"]["top5"], ">=", 0.40,
           lambda r: f"{r['mlm']['after']['top5']:.3f} (before: {r['mlm']['before']['top5']:.3f})"),
    Target("masked LM: held-out masked-token top-1 accuracy",
           lambda r: r["mlm"]["after"]["top1"], ">=", 0.25,
           lambda r: f"{r['mlm']['after']['top1']:.3f}, perplexity {r['mlm']['after']['perplexity']:.0f}"),
    Target("masked LM: training time",
           lambda r: r["mlm"]["train_seconds"], "<=", 300,
           lambda r: f"{r['mlm']['train_seconds']:.0f} s", " s"),
    Target("your own data: pipeline() on the command's output folder, with the CSV's class names, scores its validation rows as the run did (within one row)",
           lambda r: float(r["own_data"]["names_kept"] and abs(r["own_data"]["pipeline_accuracy"] - r["own_data"]["validation_accuracy"]) * r["own_data"]["validation_rows"] <= 1 + 1e-9), ">=", 1.0,
           lambda r: f"{r['own_data']['pipeline_accuracy']:.3f} vs {r['own_data']['validation_accuracy']:.3f}; names {', '.join(r['own_data']['reloaded_names'])}"),
    Target("masked LM: fill-mask's first word for the probe is movie or film",
           lambda r: float(r["mlm"]["probe_fills"][0] in ("movie", "film")), ">=", 1.0,
           lambda r: f"{r['mlm']['probe']!r}: {', '.join(r['mlm']['probe_fills'])}"),
    Target("extractive QA (notebook 10 recipe, one pass over the answer-holding windows): held-out F1",
           lambda r: r["qa"]["f1"], ">=", 62,
           lambda r: f"{r['qa']['f1']:.1f} on {r['qa']['questions']:,} questions of 10 unseen articles"),
    Target("extractive QA: held-out exact match",
           lambda r: r["qa"]["em"], ">=", 48,
           lambda r: f"{r['qa']['em']:.1f}"),
    Target("extractive QA: the saved folder as AutoModelForQuestionAnswering gives the same answer, share of held-out questions",
           lambda r: r["qa"]["reloaded_agreement"], ">=", 0.99,
           lambda r: f"{r['qa']['reloaded_agreement']:.1%} of {r['qa']['questions']:,}"),
    Target("VitaminC (notebook 09 recipe, one pass over every training pair): held-out accuracy, points, 3 classes",
           lambda r: r["vitaminc"]["pair"]["accuracy"], ">=", 75,
           lambda r: f"{r['vitaminc']['pair']['accuracy']:.1f} on {r['vitaminc']['test_pairs']:,} pairs of unseen pages "
                     f"({r['vitaminc']['train_pairs']:,} training pairs, {r['vitaminc']['steps']:,} steps)"),
    Target("retrieve-then-rerank: the smallest k whose top-1 accuracy is within 1 point of the cross-encoder on every sentence, its speed-up",
           _rerank_speedup, ">=", 5,
           lambda r: _rerank_shown(r["pairs"]["rerank"]), "×"),
    Target("sentence pairs: pipeline('text-classification') agrees with the hand-written predictions, share of held-out pairs (QNLI-style and VitaminC)",
           lambda r: min(r["pairs"]["pipeline_agreement"], r["vitaminc"]["pipeline_agreement"]), ">=", 1.0,
           lambda r: f"{r['pairs']['pipeline_agreement']:.1%} of {r['pairs']['test_pairs']:,}, "
                     f"{r['vitaminc']['pipeline_agreement']:.1%} of {r['vitaminc']['test_pairs']:,}"),
)  # fmt: skip


def _seeds(accuracies: list[float]) -> str:
    return " and ".join(f"{a:.3f}" for a in accuracies)


def _seed_runs(s: dict) -> str:
    widest = s["widest_seed_gap"]
    return (", ".join(f"seed {seed}: {a:.1f}" for seed, a in zip(s["seeds"], s["test_accuracy"], strict=True))
            + f" (spread {s['spread_points']:.1f} points); over the baseline "
            f"({s['baseline_accuracy']:.1f}): " + ", ".join(map(_gap, s["minus_baseline"]))
            + f"; seeds {widest['seeds']}: {_gap(widest)}")


# Figures reported beside the targets, with no bound: what they show is the finding, either sign.
REPORTED = (
    ("notebook 03's run with other seeds (head, dropout and batch order; the checkpoint kept on "
     "validation): test accuracy per seed, the spread, each seed's lead over the frozen-feature "
     "baseline with its 95% interval, and the widest gap between two seeds",
     lambda r: _seed_runs(r["seeds"])),
    ("domain-adaptive pretraining (notebook 08): notebook 03's recipe from the MLM-adapted "
     "weights vs the packaged ones, test accuracy (seeds 0 and 1)",
     lambda r: f"{_seeds(r['mlm']['finetune_accuracy']['adapted'])} vs "
               f"{_seeds(r['mlm']['finetune_accuracy']['packaged'])}"),
    ("your own data: a 3-class CSV through the command (notebook 03's recipe), validation "
     "accuracy and time",
     lambda r: f"{r['own_data']['rows']:,} rows, {r['own_data']['validation_accuracy']:.3f} (majority class "
               f"{r['own_data']['majority_share']:.3f}); "
               f"{r['own_data']['train_seconds']:.0f} s training, "
               f"{r['own_data']['command_seconds']:.0f} s the whole command"),
    ("your own data: a large CSV's loading (read, checked, split, tokenized), peak memory and "
     "time; the command's time to its first step",
     lambda r: f"{r['own_data']['large_rows']:,} rows: +{r['own_data']['large_loading_peak_mb']:.0f} MB, "
               f"{r['own_data']['large_loading_seconds']:.1f} s; first step after "
               f"{r['own_data']['large_seconds_to_first_step']:.0f} s"),
    ("extractive QA (notebook 10): held-out F1 (EM) against training windows; training speed",
     lambda r: "; ".join(f"{p['examples']:,}: {p['f1']:.1f} ({p['em']:.1f})" for p in r["qa"]["curve"])
               + f"; {r['qa']['windows_per_s']:.1f} windows/s, {r['qa']['train_seconds']:.0f} s"),
    ("sentence pairs (notebook 09): the QNLI-style cross-encoder, held-out accuracy against "
     "training pairs; training time",
     lambda r: "; ".join(f"{p['examples']:,}: {p['accuracy']:.1f}" for p in r["pairs"]["curve"])
               + f" (of {r['pairs']['test_pairs']:,} pairs); {r['pairs']['train_seconds']:.0f} s"),
    ("VitaminC (notebook 09): held-out accuracy against training pairs; the claim alone (same "
     "recipe and pairs), a cosine baseline and the majority class, each as the cross-encoder's "
     "lead with its 95% interval",
     lambda r: "; ".join(f"{p['examples']:,}: {p['accuracy']:.1f}" for p in r["vitaminc"]["pair"]["curve"])
               + f"; {r['vitaminc']['pair']['train_seconds']:.0f} s. "
               + "; ".join(f"{name.replace('_', '-')} {r['vitaminc'][name]['accuracy']:.1f} "
                           f"({gap['value']:+.1f}, {gap['low']:+.1f} to {gap['high']:+.1f})"
                           for name, gap in r["vitaminc"]["pair_minus"].items())),
    ("retrieve-then-rerank (notebook 09): top-1 accuracy, the answer's sentence in the shortlist "
     "(recall) and seconds, per k",
     lambda r: "; ".join(f"k={k}: {v['accuracy']:.1f}% (recall {v['recall']:.1f}%), {v['seconds']:.0f} s"
                         for k, v in r["pairs"]["rerank"]["k"].items())
               + f"; every sentence ({r['pairs']['rerank']['pairs_everything']:,} pairs): "
                 f"{r['pairs']['rerank']['everything']['accuracy']:.1f}%, "
                 f"{r['pairs']['rerank']['everything']['seconds']:.0f} s"),
)  # fmt: skip
