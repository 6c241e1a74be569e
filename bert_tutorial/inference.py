"""Faster prediction for a fine-tuned classifier: int8, ONNX Runtime, and how to time them.

Taught in notebook 07 and measured by `make bench`. Each path is a callable from a padded batch
(`input_ids`, `attention_mask`) to logits, so `measure` times them all the same way.
"""

from __future__ import annotations

import copy
import hashlib
import json
import logging
import statistics
import time
import warnings
from collections.abc import Callable, Sequence
from pathlib import Path

import torch

from bert_tutorial.kernels import kernel_isa

MIN_OPSET = 14  # the first opset with the ops BERT's attention exports to
ONNX_INPUTS = ("input_ids", "attention_mask")
CONFIG_KEY = "bert_tutorial.config_sha256"  # stored in the ONNX file: which model it came from
LABELS_KEY = "bert_tutorial.id2label"  # and the label names, as JSON
QUANTIZED_OPS = {"DynamicQuantizeLinear", "MatMulInteger", "QLinearMatMul", "DynamicQuantizeMatMul"}


def config_fingerprint(model) -> str:
    """Return a SHA-256 of the model's config: equal fingerprints = the same architecture/labels."""
    return hashlib.sha256(model.config.to_json_string(use_diff=False).encode()).hexdigest()


def is_int8(model: torch.nn.Module) -> bool:
    """Return True when some linear layer's weight is already a quantized tensor (torchao)."""
    return any(
        type(module.weight) not in (torch.Tensor, torch.nn.Parameter)
        for module in model.modules()
        if isinstance(module, torch.nn.Linear)
    )


def cpu_has_int8_products() -> bool:
    """Return True when the CPU multiplies int8 matrices in hardware (AVX512-VNNI or AMX) and
    PyTorch's kernels may use it (not under the tests' AVX2 pin: `bert_tutorial.kernels`).

    Elsewhere `torch._int_mm`, under torchao's int8 layers, runs slower than fp32, by a factor
    that depends on the CPU (notebook 07 times ten sentences to show it).
    """
    hardware = torch.cpu._is_vnni_supported() or torch.cpu._is_amx_tile_supported()
    return bool(hardware and kernel_isa() == "AVX512")


def quantize_int8(model: torch.nn.Module) -> torch.nn.Module:
    """Return an int8 copy of `model`: torchao's dynamic int8 activations and int8 weights.

    The copy's linear layers multiply in int8; the fp32 model is left as it is.
    """
    from torchao.quantization import Int8DynamicActivationInt8WeightConfig, quantize_

    if is_int8(model):
        raise ValueError("this model is already quantized to int8; quantize the fp32 model "
                         "(quantizing twice would round the rounded weights again)")
    quantized = copy.deepcopy(model).eval()
    quantize_(quantized, Int8DynamicActivationInt8WeightConfig())
    return quantized


def export_onnx(
    model, path: str | Path, example: dict, opset: int = 18, dynamo: bool = False,
    attention: str = "eager",
) -> Path:
    """Export `model` (eval mode) to ONNX at `path`, batch and length dynamic; return the path.

    The graph is traced with `attention` ("eager" by default, whatever the model runs with; it
    is set back afterwards). PyTorch's `sdpa` attention exports as a longer graph: every layer
    recomputes shapes and adds a NaN guard over the attention weights, and ONNX Runtime ran the
    eager graph faster, int8 most (notebook 07 compares both graphs).

    The default is torch's TorchScript exporter, although torch now recommends `dynamo=True`
    (torch.export): ONNX Runtime ran the TorchScript exporter's graph of notebook 03's model
    15-20% faster, fp32 and int8 alike (alternating runs in one process, AMD EPYC). The dynamo
    exporter builds its graph at opset 18 and, asked for an earlier opset, tries to down-convert
    it (torch warns that this may fail and leave the file at opset 18), so here it is given
    opset 18 or later only, and earlier opsets come from the TorchScript exporter. ONNX has
    LayerNormalization as one operator from opset 17; below that the exporter decomposes it
    into primitive operations. The file records the model's config fingerprint and label
    names: with a tokenizer, it is all `OnnxClassifier` needs.
    """
    import onnx

    newest = onnx.defs.onnx_opset_version()
    if not MIN_OPSET <= opset <= newest:
        raise ValueError(f"opset {opset} is not supported here: use an opset from {MIN_OPSET} "
                         f"to {newest} (the installed onnx's newest)")
    if dynamo and opset < 18:
        raise ValueError(f"the dynamo exporter writes opset 18 or later, not {opset}; pass "
                         f"dynamo=False for an earlier opset")
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    model.eval()
    running = model.config._attn_implementation
    model.set_attn_implementation(attention)
    try:
        _export(model, path, example, opset, dynamo)
    finally:
        model.set_attn_implementation(running)
    graph = onnx.load(str(path))
    labels = json.dumps({str(k): v for k, v in model.config.id2label.items()})
    onnx.helper.set_model_props(graph, {CONFIG_KEY: config_fingerprint(model), LABELS_KEY: labels})
    onnx.save(graph, str(path))
    return path


def _export(model, path: Path, example: dict, opset: int, dynamo: bool) -> None:
    """Trace `model` on `example` into an ONNX file at `path` with torch's chosen exporter."""
    inputs = tuple(example[k] for k in ONNX_INPUTS)
    names = {"input_names": list(ONNX_INPUTS), "output_names": ["logits"], "opset_version": opset}
    registration = logging.getLogger("torch.onnx._internal.exporter._registration")
    if _needs_no_torchvision not in registration.filters:
        registration.addFilter(_needs_no_torchvision)
    with warnings.catch_warnings():
        if dynamo:
            # Both inputs share their two sizes, so the exporter names each size once and says so.
            warnings.filterwarnings("ignore", message=r"# The axis name: \w+ will not be used")
            warnings.filterwarnings("ignore", message=r"`isinstance\(treespec, LeafSpec\)`")
            sizes = {0: torch.export.Dim("batch"), 1: torch.export.Dim("tokens")}
            torch.onnx.export(model, inputs, str(path), dynamic_shapes=(sizes, sizes),
                              dynamo=True, external_data=False, verbose=False, **names)
        else:
            warnings.filterwarnings("ignore", category=torch.jit.TracerWarning)
            warnings.filterwarnings("ignore", message="You are using the legacy TorchScript")
            warnings.filterwarnings("ignore", message="The feature will be removed")
            # A caveat for negative indices, which BERT's indexing does not use (the tests
            # compare the exported logits with the model's).
            warnings.filterwarnings("ignore", message="Exporting aten::index operator")
            dynamic = {name: {0: "batch", 1: "tokens"} for name in ONNX_INPUTS}
            dynamic["logits"] = {0: "batch"}
            torch.onnx.export(model, inputs, str(path), dynamic_axes=dynamic, dynamo=False, **names)


def _needs_no_torchvision(record: logging.LogRecord) -> bool:
    """Drop the exporter's note that torchvision's ops are not registered: BERT uses none."""
    return "torchvision is not installed" not in record.getMessage()


def quantize_onnx(path: str | Path, out: str | Path) -> Path:
    """Write an int8 copy of the ONNX model at `path` to `out` (ONNX Runtime, dynamic int8).

    Weights get one scale per output channel: on notebook 03's model that kept the accuracy
    within 0.3 points of fp32, where one scale per matrix lost 0.6-0.9 points.
    """
    import onnx
    from onnxruntime.quantization import QuantType, quantize_dynamic

    if QUANTIZED_OPS & {node.op_type for node in onnx.load(str(path)).graph.node}:
        raise ValueError(f"{path} is already quantized; quantize the fp32 export instead")
    root = logging.getLogger()  # it advises pre-processing on the root logger, every time
    level = root.level
    root.setLevel(logging.ERROR)
    try:
        quantize_dynamic(str(path), str(out), weight_type=QuantType.QInt8, per_channel=True)
    finally:
        root.setLevel(level)
    return Path(out)


class OnnxClassifier:
    """An ONNX Runtime session that takes a padded batch and returns logits, like the model.

    The file is enough (no PyTorch model): `id2label` comes from it. Given the `model` it should
    match, it refuses a file exported from another one.
    """

    def __init__(self, path: str | Path, model=None, threads: int | None = None):
        import onnx
        import onnxruntime

        props = {p.key: p.value for p in onnx.load(str(path), load_external_data=False)
                 .metadata_props}
        if model is not None and props.get(CONFIG_KEY) != config_fingerprint(model):
            raise ValueError(f"{path} was exported from another model (its config differs from "
                             f"this one's); export this model with export_onnx")
        self.id2label = {int(k): v for k, v in json.loads(props.get(LABELS_KEY, "{}")).items()}
        options = onnxruntime.SessionOptions()
        options.intra_op_num_threads = threads or torch.get_num_threads()
        options.log_severity_level = 3  # errors only
        self.session = onnxruntime.InferenceSession(str(path), options,
                                                    providers=["CPUExecutionProvider"])

    def __call__(self, batch: dict) -> torch.Tensor:
        feed = {name: batch[name].numpy() for name in ONNX_INPUTS}
        return torch.from_numpy(self.session.run(None, feed)[0])


def torch_path(model, precision: str = "fp32") -> Callable[[dict], torch.Tensor]:
    """Return a callable running `model` on a batch, under autocast for bf16 (forward only)."""
    from bert_tutorial.precision import autocast

    device = next(model.parameters()).device

    def predict(batch):
        with torch.inference_mode(), autocast(precision, device):
            inputs = {k: batch[k].to(device) for k in ONNX_INPUTS}
            return model(**inputs).logits.float().cpu()

    return predict


def prediction_inputs(
    dataset, pad_token_id: int, batch_size: int = 64, num_singles: int = 50
) -> tuple[list[dict], torch.Tensor, list[dict]]:
    """Return padded length-sorted batches of `dataset`, its labels in that order, and singles.

    The singles are the first `num_singles` examples, one per batch, for batch-1 latency.
    """
    from bert_tutorial.batching import pad_batch, sorted_batches

    order = [i for group in sorted_batches(dataset.lengths(), batch_size) for i in group]
    batches = [
        pad_batch([{"input_ids": dataset[i]["input_ids"]} for i in order[s : s + batch_size]],
                  pad_token_id)
        for s in range(0, len(order), batch_size)
    ]  # fmt: skip
    labels = torch.tensor([dataset[i]["labels"] for i in order])
    singles = [pad_batch([{"input_ids": dataset[i]["input_ids"]}], pad_token_id)
               for i in range(min(num_singles, len(dataset)))]  # fmt: skip
    return batches, labels, singles


def measure(
    predict: Callable[[dict], torch.Tensor],
    batches: Sequence[dict],
    labels: torch.Tensor,
    singles: Sequence[dict],
) -> dict:
    """Time `predict` on `batches` (all test sentences) and on `singles` (batch-1 latency).

    Returns sentences/s, p50/p95 latency in ms, accuracy and the predicted labels, in the order
    of the concatenated batches (which `labels` follows).
    """
    predict(batches[0])  # warm-up: first calls allocate, compile or plan
    start = time.perf_counter()
    predictions = torch.cat([predict(batch).argmax(dim=-1) for batch in batches])
    seconds = time.perf_counter() - start
    latencies = []
    for single in singles:
        start = time.perf_counter()
        predict(single)
        latencies.append(1000 * (time.perf_counter() - start))
    percentiles = statistics.quantiles(latencies, n=20)  # 5%, 10%, ..., 95%
    return {
        "sentences_per_s": len(predictions) / seconds,
        "p50_ms": statistics.median(latencies),
        "p95_ms": percentiles[-1],
        "accuracy": (predictions == labels).float().mean().item(),
        "predictions": predictions,
    }


def size_mb(path: str | Path) -> float:
    """Return a file's size, or a folder's total, in MB."""
    path = Path(path)
    files = [path] if path.is_file() else [p for p in path.rglob("*") if p.is_file()]
    return sum(p.stat().st_size for p in files) / 1e6
