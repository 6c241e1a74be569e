"""Notebook 07's inference paths on the fine-tuned notebook-03 model, on the whole test split.

Every path predicts the same length-sorted batches of 64; batch-1 latency is timed on the first
100 test sentences. The best path is the fastest whose accuracy is within 0.5 points of fp32;
each path's accuracy change from fp32 comes with its paired 95% interval (`bert_tutorial.noise`).
"""

from __future__ import annotations

import time
from dataclasses import asdict

import torch

from bench.common import new_classifier
from bench.precision import train_and_score
from bert_tutorial import noise
from bert_tutorial.inference import (
    OnnxClassifier,
    export_onnx,
    measure,
    prediction_inputs,
    quantize_int8,
    quantize_onnx,
    size_mb,
    torch_path,
)
from bert_tutorial.precision import (
    bf16_matmul_ratio,
    cpu_has_bf16,
    fastest_precision,
    matmul_gflops,
)
from bert_tutorial.scaling import training_flops

BATCH_SIZE, LATENCY_SENTENCES, MAX_DROP_POINTS = 64, 100, 0.5


def bench_inference(tokenizer, datasets, device, workdir, quick: bool = False) -> dict:
    """Throughput, latency, size, accuracy and agreement with fp32 of every path."""
    if quick:  # checks that every path runs; a trained model matters only for the accuracies
        model = new_classifier()
    else:
        _, _, model = train_and_score(tokenizer, datasets, device, "fp32")
    model = model.cpu().eval()
    # The quick run times a few singles: torchao's int8 path is slow on a CPU without VNNI.
    batches, labels, singles = prediction_inputs(
        datasets["test"], tokenizer.pad_token_id, BATCH_SIZE, 10 if quick else LATENCY_SENTENCES
    )
    workdir.mkdir(parents=True, exist_ok=True)
    model.save_pretrained(workdir / "fp32")
    onnx_fp32 = export_onnx(model, workdir / "model.onnx", batches[0])
    onnx_int8 = quantize_onnx(onnx_fp32, workdir / "model-int8.onnx")
    int8 = quantize_int8(model)
    torch.save(int8.state_dict(), workdir / "torchao-int8.pt")
    paths = {"fp32 eager": (torch_path(model), size_mb(workdir / "fp32"))}
    if cpu_has_bf16():
        paths["bf16 autocast"] = (torch_path(model, "bf16"), size_mb(workdir / "fp32"))
    paths["torchao int8 (eager)"] = (torch_path(int8), size_mb(workdir / "torchao-int8.pt"))
    paths["ONNX Runtime fp32"] = (OnnxClassifier(onnx_fp32, model), size_mb(onnx_fp32))
    paths["ONNX Runtime int8"] = (OnnxClassifier(onnx_int8, model), size_mb(onnx_int8))
    compile_seconds = None
    if not quick:  # compiling takes about a minute; the quick run checks the other paths
        compiled = torch.compile(model, dynamic=True)
        start = time.perf_counter()
        torch_path(compiled)(batches[0])
        torch_path(compiled)(singles[0])
        compile_seconds = time.perf_counter() - start
        paths["torch.compile fp32"] = (torch_path(compiled), size_mb(workdir / "fp32"))

    results, reference = {}, None
    for name, (predict, size) in paths.items():
        measured = measure(predict, batches, labels, singles)
        predictions = measured.pop("predictions")
        reference = predictions if reference is None else reference
        results[name] = {**measured, "size_mb": size,
                         "agreement_with_fp32": (predictions == reference).float().mean().item(),
                         "minus_fp32": asdict(noise.difference(predictions == labels,
                                                               reference == labels))}
    fp32 = results["fp32 eager"]
    eligible = {n: r for n, r in results.items()
                if 100 * (fp32["accuracy"] - r["accuracy"]) <= MAX_DROP_POINTS}
    best = max(eligible, key=lambda n: eligible[n]["sentences_per_s"])
    tokens = sum(batch["input_ids"].numel() for batch in batches)  # padded tokens computed
    width = tokens / len(labels)
    layers = model.config.num_hidden_layers
    forward_flops = training_flops(tokens, width, model.config, num_frozen_layers=layers)
    seconds = len(labels) / results[best]["sentences_per_s"]
    ratio = bf16_matmul_ratio()
    native = fastest_precision("cpu") == "bf16"  # an AMX CPU: the package's own choice
    reference_dtype = torch.bfloat16 if native else torch.float32
    return {
        "native_bf16": native,
        "bf16_matmul_ratio": ratio,
        "sentences": len(labels),
        "compile_seconds": compile_seconds,
        "paths": results,
        "best_path": best,
        "best_speedup": results[best]["sentences_per_s"] / fp32["sentences_per_s"],
        "best_accuracy_drop": 100 * (fp32["accuracy"] - results[best]["accuracy"]),
        "best_gflops_per_s": forward_flops / seconds / 1e9,
        "matmul_gflops_per_s": matmul_gflops(reference_dtype),
        "matmul_dtype": str(reference_dtype).removeprefix("torch."),
    }
