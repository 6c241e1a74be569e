"""Checks for the five exercises of notebook 07 (fast inference).

Speeds are the learner's machine's answer, so no check compares one with ours: exercise 1 reads
the three runs' losses for what autocast's cache does on any CPU; exercise 2 reads the learner's
ratios against their own CPU's kind and their own answer; exercise 3 opens the learner's ONNX
files (their opsets, their quantized operators) and recomputes the agreement of their
predictions; exercise 4 calls the learner's `filter_fn` on a model they have not seen and looks
inside their quantized model; exercise 5 reads the throughputs for what batching does anywhere.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from bert_tutorial.exercises import (
    Exercise,
    Incorrect,
    ____,
    a_number,
    as_list,
    call_learner,
    choice,
    type_name,
)

__all__ = ["____", "exercise1", "exercise2", "exercise3", "exercise4", "exercise5"]
SOLUTIONS = "notebooks/solutions/07_fast_inference_solutions.ipynb"


def keyed(value: Any, name: str, keys: list, expected: str) -> Mapping:
    """Return `value` if it is a dict with exactly `keys`, or raise Incorrect saying so."""
    if not isinstance(value, Mapping):
        raise Incorrect(f"{name} is {type_name(value)}; expected {expected}")
    if set(value) != set(keys):
        raise Incorrect(f"{name} has the keys {sorted(value, key=str)}; expected "
                        f"{', '.join(repr(k) for k in keys)}")
    return value


def numbers(value: Any, name: str, count: int, what: str) -> list[float]:
    """Return `value` as `count` numbers, or raise Incorrect naming what was expected."""
    if hasattr(value, "tolist"):
        value = value.tolist()
    values = [a_number(v, f"an item of {name}") for v in as_list(value, name, what)]
    if len(values) != count:
        raise Incorrect(f"{name} holds {len(values)} numbers; expected {count} ({what})")
    return values


# Exercise 1 · the mistake on purpose --------------------------------------------------------

RUNS = ["per step", "one region", "no cache"]
STEPS = 20  # 640 sentences in steps of 32
WHY_NO_CACHE = {
    "a": "the products still run in bf16 without the cache: cache_enabled only decides whether "
    "a cast copy of each weight is kept for the rest of the region",
    "c": "the optimizer updates the fp32 weights in every run; what differs is whether the "
    "forward pass sees them or a copy cast at the first step",
}


def check_mistake(losses: Any, why: Any = None) -> str:
    """Exercise 1: one region around the loop stops learning; without its cache it learns."""
    keyed(losses, "losses", RUNS, 'a dict with the keys "per step", "one region" and "no cache"')
    runs = {name: numbers(losses[name], f'losses["{name}"]', STEPS,
                          "one loss per step: 640 sentences in steps of 32")
            for name in RUNS}  # fmt: skip
    if max(abs(run[0] - runs["per step"][0]) for run in runs.values()) > 1e-3:
        raise Incorrect("the three runs' first losses differ, so they start from different "
                        "heads or batches: seed each run alike (torch.manual_seed(0)) and train "
                        "on the same features in the same order")
    last = {name: sum(run[-5:]) / 5 for name, run in runs.items()}
    if last["one region"] < last["per step"] - 0.03:
        raise Incorrect(f'your "one region" run ends lower ({last["one region"]:.2f}) than '
                        f'"per step" ({last["per step"]:.2f}): are the two swapped? One autocast '
                        "around the whole loop is the mistake")
    if last["one region"] < last["per step"] + 0.03:
        raise Incorrect(f'your "one region" run learns as well as "per step" (mean of the last '
                        f'5 losses {last["one region"]:.2f} and {last["per step"]:.2f}): enter '
                        "torch.autocast once, around the whole loop, with its cache on (the "
                        "default)")
    if abs(last["no cache"] - last["per step"]) >= 0.03:
        raise Incorrect(f'your "no cache" run ends at {last["no cache"]:.2f}, not near "per '
                        f'step"\'s {last["per step"]:.2f}: pass cache_enabled=False to the one '
                        "autocast around the loop")
    choice(why, WHY_NO_CACHE, "b")
    return ("one region around the loop keeps computing with the weights cast at step one, so "
            "its loss stays where it started; without the cache every forward pass casts the "
            "current weights, and the outer region does no harm")


exercise1 = Exercise(
    number=1,
    todo='replace each ____: the losses of the three runs ("per step", "one region", "no '
    'cache") and the letter of your answer; then run the cell',
    expects='a dict of three lists of 20 losses, and a letter, "a", "b" or "c"',
    checker=check_mistake,
    hint_text="Compute the features once, in fp32: embed_sentences(texts, tokenizer, "
    "BertModel.from_pretrained(model_path()), progress=False). Then write run(outer, inner) "
    "that trains a fresh, seeded torch.nn.Linear(384, 2) with AdamW (lr=1e-2) in steps of 32, "
    "the whole loop inside `with outer:` and each step's forward pass and loss inside `with "
    "inner():`. Pass contextlib.nullcontext where a run has no autocast at that level.",
    solution_code="""
from contextlib import nullcontext

from transformers import BertModel

from bert_tutorial.embed import embed_sentences

rows = splits["train"][:640]
features = embed_sentences([r.text for r in rows], tokenizer,
                           BertModel.from_pretrained(model_path()), progress=False)  # (640, 384)
targets = torch.tensor([r.label for r in rows])


def run(outer, inner):
    torch.manual_seed(0)
    head = torch.nn.Linear(features.shape[1], 2)
    optimizer = torch.optim.AdamW(head.parameters(), lr=1e-2)
    losses = []
    with outer:
        for start in range(0, 640, 32):
            with inner():
                logits = head(features[start : start + 32])
                loss = torch.nn.functional.cross_entropy(logits, targets[start : start + 32])
            loss.backward()
            optimizer.step()
            optimizer.zero_grad()
            losses.append(loss.item())
    return losses


bf16 = {"device_type": "cpu", "dtype": torch.bfloat16}
losses = {"per step": run(nullcontext(), lambda: torch.autocast(**bf16)),
          "one region": run(torch.autocast(**bf16), nullcontext),
          "no cache": run(torch.autocast(**bf16, cache_enabled=False), nullcontext)}
exercise1.check(losses, why="b")
""",
    solutions_notebook=SOLUTIONS,
)


# Exercise 2 · small and large products -------------------------------------------------------

NATIVE_SIZES, EMULATED_SIZES = [256, 512, 1024, 2048], [128, 256, 512]
WHY_SMALL = {
    "a": "bf16 rounds the same way at every size: precision does not make a product slower",
    "c": "small matrices fit the caches better than large ones, which would help them, not "
    "hurt them",
}


def check_sizes(ratios: Any, overtakes: Any, why: Any = None) -> str:
    """Exercise 2: the sizes for this CPU's kind, ratios that can be true, the learner's reading."""
    from bert_tutorial.precision import cpu_has_bf16

    native = cpu_has_bf16()
    sizes = NATIVE_SIZES if native else EMULATED_SIZES
    if isinstance(ratios, Mapping) and not native and set(ratios) == set(NATIVE_SIZES):
        raise Incorrect("your CPU emulates bf16 (cpu_has_bf16() is False): time 128, 256 and "
                        "512 only; an emulated 2048 x 2048 product takes tens of seconds")
    keyed(ratios, "ratios", sizes, "a dict: size -> bf16 speed / fp32 speed")
    values = {size: a_number(ratios[size], f"ratios[{size}]") for size in sizes}
    if min(values.values()) <= 0:
        raise Incorrect("a ratio of speeds is positive: bf16's GFLOP/s over fp32's")
    if not native and max(values.values()) > 1:
        raise Incorrect("your ratios say bf16 beats fp32 on a CPU that emulates it: did you "
                        "divide fp32's speed by bf16's, or time seconds instead of speed? "
                        "bf16_matmul_ratio(size) gives bf16's speed over fp32's")
    first = next((size for size in sizes if values[size] > 1), None)
    if overtakes is not None and (isinstance(overtakes, bool) or not isinstance(overtakes, int)):
        raise Incorrect(f"overtakes is {overtakes!r}; expected a size from your ratios, or None")
    if overtakes != first:
        said = "never" if first is None else f"first at {first} x {first}"
        raise Incorrect(f"your own ratios put bf16 ahead of fp32 {said}, so overtakes is "
                        f"{first}, not {overtakes}")
    choice(why, WHY_SMALL, "b")
    return ("converting, packing and calling grow with n² or not at all, the arithmetic with "
            "n³: a small product spreads them over little work"
            + ("" if native else "; emulated bf16 loses at every size"))


exercise2 = Exercise(
    number=2,
    todo="replace each ____: the ratios (size -> bf16 speed / fp32 speed), the size at which "
    "bf16 overtakes fp32 (None if it never does) and the letter of your answer; then run the "
    "cell",
    expects='a dict size -> ratio, a size or None, and a letter, "a", "b" or "c"',
    checker=check_sizes,
    hint_text="bf16_matmul_ratio(size) times fp32 and bf16 in turns and returns bf16's speed "
    "over fp32's. cpu_has_bf16() says which sizes to time. bf16 overtakes fp32 at the first "
    "size whose ratio is above 1.",
    solution_code="""
sizes = (256, 512, 1024, 2048) if cpu_has_bf16() else (128, 256, 512)  # emulated: small only
ratios = {size: bf16_matmul_ratio(size) for size in sizes}
overtakes = next((size for size in sizes if ratios[size] > 1), None)
exercise2.check(ratios, overtakes, why="b")
""",
    solutions_notebook=SOLUTIONS,
)


# Exercise 3 · two opsets ---------------------------------------------------------------------

OPSETS = [14, 18]
CHECKED_SENTENCES = 256  # the first test sentences, as the exercise says


def graph_of(path: Any, name: str) -> Any:
    """Return the ONNX graph saved at `path`, or raise Incorrect saying why it cannot be read."""
    import onnx

    if not isinstance(path, str | Path):
        raise Incorrect(f"{name} is {type_name(path)}; expected the path export_onnx or "
                        "quantize_onnx returned")
    if not Path(path).is_file():
        raise Incorrect(f"{name}: there is no file at {path}")
    try:
        return onnx.load(str(path), load_external_data=False)
    except Exception as error:  # not an ONNX file: say so rather than show onnx's traceback
        raise Incorrect(f"{name} ({path}) is not an ONNX file: {error}") from None


def opset_of(model: Any) -> int:
    """Return the standard ONNX opset a model declares."""
    return next(entry.version for entry in model.opset_import if entry.domain in ("", "ai.onnx"))


def first_test_batches() -> list[dict]:
    """The first 256 test sentences in batches of 64, as the worked answer makes them."""
    from bert_tutorial.data import movie_review_splits
    from bert_tutorial.exercises.ch08 import bert_tokenizer
    from bert_tutorial.training import make_batches, tokenize_sentences

    tokenizer = bert_tokenizer()
    rows = movie_review_splits()["test"][:CHECKED_SENTENCES]
    test = tokenize_sentences([r.text for r in rows], [r.label for r in rows], tokenizer,
                              num_labels=2)  # fmt: skip
    return make_batches(test, 64, tokenizer.pad_token_id)


def check_opsets(files: Any, agreement: Any, opset9_error: Any) -> str:
    """Exercise 3: each file's opset and kind; the agreement recomputed; export_onnx's refusal."""
    import torch

    from bert_tutorial.inference import QUANTIZED_OPS, OnnxClassifier, export_onnx

    keyed(files, "files", OPSETS, "a dict: opset -> (fp32 file, int8 file)")
    graphs, layer_norms = {}, {}
    for opset in OPSETS:
        pair = as_list(files[opset], f"files[{opset}]", "(fp32 file, int8 file)")
        if len(pair) != 2:
            raise Incorrect(f"files[{opset}] holds {len(pair)} items; expected (fp32 file, "
                            "int8 file)")
        for kind, path in zip(("fp32", "int8"), pair, strict=True):
            graph = graph_of(path, f"the {kind} file of opset {opset}")
            declared = opset_of(graph)
            if declared != opset:
                raise Incorrect(f"the {kind} file of opset {opset} declares opset {declared}: "
                                f"pass opset={opset} to export_onnx")
            ops = {node.op_type for node in graph.graph.node}
            if kind == "fp32" and QUANTIZED_OPS & ops:
                raise Incorrect(f"the fp32 file of opset {opset} is quantized: give the file "
                                "export_onnx wrote, and the int8 one second")
            if kind == "int8" and not QUANTIZED_OPS & ops:
                raise Incorrect(f"the int8 file of opset {opset} has no quantized operators: "
                                "make it with quantize_onnx(fp32 file, new path)")
            graphs[kind, opset] = path
        layer_norms[opset] = "LayerNormalization" in ops
    keyed(agreement, "agreement", ["fp32", "int8"],
          'a dict: "fp32" and "int8" -> the share of sentences on which opsets 14 and 18 agree')
    batches = first_test_batches()
    for kind in ("fp32", "int8"):
        given = a_number(agreement[kind], f'agreement["{kind}"]')
        predicted = [torch.cat([OnnxClassifier(graphs[kind, opset])(b).argmax(-1)
                                for b in batches]) for opset in OPSETS]  # fmt: skip
        right = (predicted[0] == predicted[1]).float().mean().item()
        if given > 1 and abs(given / 100 - right) < 0.01:
            raise Incorrect(f'agreement["{kind}"] is a percentage; give it as a fraction')
        if abs(given - right) > 0.5 / CHECKED_SENTENCES:
            raise Incorrect(f'agreement["{kind}"] is {given:.3f}, but your two {kind} files '
                            f"agree on {right:.3f} of the first {CHECKED_SENTENCES} test "
                            "sentences: compare opset 14's predictions with opset 18's")
    try:
        export_onnx(None, "opset9.onnx", {}, opset=9)  # refused before anything is exported
    except ValueError as refusal:
        said = str(refusal)
    if str(opset9_error) != said:
        raise Incorrect(f"opset9_error is {str(opset9_error)[:60]!r}; expected what export_onnx "
                        "raises for opset=9: catch the ValueError and keep str(error)")
    spelled = ("opset 18 writes LayerNormalization as one operator, opset 14 spells it out in "
               "primitive operations; " if layer_norms[18] and not layer_norms[14] else "")
    return (f"{spelled}your agreements are what your files predict, and export_onnx names the "
            "opsets it takes")


exercise3 = Exercise(
    number=3,
    todo="replace each ____: the four files (opset -> (fp32, int8)), the two agreements and "
    "export_onnx's message for opset 9; then run the cell",
    expects='a dict {14: (fp32 path, int8 path), 18: (...)}, a dict {"fp32": share, "int8": '
    "share} and a string",
    checker=check_opsets,
    hint_text="export_onnx(model, path, example_batch, opset=14) returns the file's path, and "
    "quantize_onnx(that path, another path) the int8 one. OnnxClassifier(path)(batch) gives "
    "logits. Wrap the opset-9 export in try/except ValueError.",
    solution_code="""
test = tokenize_sentences([r.text for r in splits["test"][:256]],
                          [r.label for r in splits["test"][:256]], tokenizer, num_labels=2)
test_batches = make_batches(test, 64, tokenizer.pad_token_id)
files, predictions = {}, {}
for opset in (14, 18):
    fp32_file = export_onnx(model, folder / f"opset{opset}.onnx", test_batches[0], opset=opset)
    int8_file = quantize_onnx(fp32_file, folder / f"opset{opset}-int8.onnx")
    files[opset] = (fp32_file, int8_file)
    for kind, path in [("fp32", fp32_file), ("int8", int8_file)]:
        session = OnnxClassifier(path, model)
        predictions[kind, opset] = torch.cat([session(b).argmax(-1) for b in test_batches])
agreement = {kind: (predictions[kind, 14] == predictions[kind, 18]).float().mean().item()
             for kind in ("fp32", "int8")}
try:
    export_onnx(model, folder / "opset9.onnx", test_batches[0], opset=9)
except ValueError as error:
    opset9_error = str(error)
exercise3.check(files, agreement, opset9_error)
""",
    solutions_notebook=SOLUTIONS,
)


# Exercise 4 · quantizing only the feed-forward layers ----------------------------------------

HIDDEN_LAYERS = 8  # the hidden model has more layers than the packaged one's 6
WHY_LESS = {
    "a": "the feed-forward layers run at inference like every other layer; quantizing them "
    "does change the logits, a little",
    "c": "torchao's int8 quantizes linear layers only; attention's softmax stays as it was in "
    "both models",
}


def is_feed_forward(name: str) -> bool:
    """Whether a linear layer's `name` is one of the two feed-forward linears of a BERT layer."""
    return name.endswith("intermediate.dense") or (
        name.endswith("output.dense") and "attention" not in name)


def hidden_model() -> Any:
    """A small BERT classifier of 8 layers, for calling the learner's filter_fn on its modules."""
    import torch
    from transformers import BertConfig

    from bert_tutorial.modeling import BertSentenceClassifier

    config = BertConfig(vocab_size=50, hidden_size=16, num_hidden_layers=HIDDEN_LAYERS,
                        num_attention_heads=2, intermediate_size=32, num_labels=2)
    torch.manual_seed(0)
    return BertSentenceClassifier(config)


def check_feed_forward(feed_forward: Any, partial_int8: Any, logit_change: Any,
                       why: Any = None) -> str:
    """Exercise 4: the filter on hidden modules, the learner's int8 layers, the reading."""
    import torch

    from bert_tutorial.inference import is_int8

    if not callable(feed_forward):
        raise Incorrect(f"feed_forward is {type_name(feed_forward)}; expected your function "
                        "feed_forward(module, name)")
    for name, module in hidden_model().named_modules():
        case = f"{name or 'the model itself'} ({type(module).__name__}) of a model of "
        picked = call_learner(feed_forward, module, name,
                              case=case + f"{HIDDEN_LAYERS} layers")  # fmt: skip
        wanted = isinstance(module, torch.nn.Linear) and is_feed_forward(name)
        if bool(picked) == wanted:
            continue
        if wanted:
            raise Incorrect(f"your filter leaves out {name}, a feed-forward linear (on a model "
                            f"of {HIDDEN_LAYERS} layers): both intermediate.dense and the "
                            "layer's own output.dense are the feed-forward")
        if not isinstance(module, torch.nn.Linear):
            raise Incorrect(f"your filter picks {name}, a {type(module).__name__}: quantize_ "
                            "replaces linear layers' weights; test isinstance(module, "
                            "torch.nn.Linear)")
        if "attention" in name:
            raise Incorrect(f"your filter picks {name}, part of attention: attention's own "
                            "output.dense ends like the feed-forward's, so leave out names "
                            "with 'attention'")
        raise Incorrect(f"your filter picks {name}, which is not a feed-forward linear")
    if not hasattr(partial_int8, "named_modules"):
        raise Incorrect(f"partial_int8 is {type_name(partial_int8)}; expected the model you "
                        "quantized with filter_fn=feed_forward")
    linears = {name: module for name, module in partial_int8.named_modules()
               if isinstance(module, torch.nn.Linear)}  # fmt: skip
    if not is_int8(partial_int8):
        raise Incorrect("nothing in partial_int8 is quantized: call quantize_(partial_int8, "
                        "Int8DynamicActivationInt8WeightConfig(), filter_fn=feed_forward)")
    for name, module in linears.items():
        quantized = type(module.weight) not in (torch.Tensor, torch.nn.Parameter)
        if quantized != is_feed_forward(name):
            state = "is quantized" if quantized else "is still fp32"
            raise Incorrect(f"in partial_int8, {name} {state}: quantize a fresh fp32 model "
                            "with filter_fn=feed_forward")
    keyed(logit_change, "logit_change", ["feed-forward only", "every linear"],
          'a dict: "feed-forward only" and "every linear" -> the mean change of the logits')
    partial = a_number(logit_change["feed-forward only"], 'logit_change["feed-forward only"]')
    full = a_number(logit_change["every linear"], 'logit_change["every linear"]')
    if min(partial, full) <= 0:
        raise Incorrect("a mean change of the logits from fp32's is positive: the mean of "
                        "(logits - fp32 logits).abs()")
    if partial >= full:
        raise Incorrect(f"your feed-forward-only model moves the logits as much as the fully "
                        f"quantized one or more ({partial:.3f} and {full:.3f}): are the two "
                        "swapped, or was partial_int8 quantized whole?")
    choice(why, WHY_LESS, "b")
    return (f"{sum(map(is_feed_forward, linears))} feed-forward linears in int8, attention's "
            "products in fp32: fewer roundings, so the logits move less than with every linear "
            "in int8")


exercise4 = Exercise(
    number=4,
    todo="replace each ____: the body of feed_forward, the model quantized with it, the mean "
    "change of the logits of both int8 models and the letter of your answer; then run the cell",
    expects='a function feed_forward(module, name) returning True or False, a model, a dict '
    '{"feed-forward only": x, "every linear": y} and a letter, "a", "b" or "c"',
    checker=check_feed_forward,
    hint_text="print(name) for name, _ in model.named_modules() shows the names. The feed-"
    "forward of each layer is intermediate.dense and the layer's output.dense; attention has "
    "an output.dense too.",
    solution_code="""
import copy

from torchao.quantization import Int8DynamicActivationInt8WeightConfig, quantize_


def feed_forward(module, name):
    return isinstance(module, torch.nn.Linear) and (
        "intermediate.dense" in name or (name.endswith("output.dense") and "attention" not in name)
    )


partial_int8 = copy.deepcopy(model).eval()
quantize_(partial_int8, Int8DynamicActivationInt8WeightConfig(), filter_fn=feed_forward)
full_int8 = quantize_int8(model)
sample = batches if cpu_has_int8_products() else batches[:1]  # int8 is slow without them
reference = torch.cat([torch_path(model)(b) for b in sample])
logit_change = {}
for name, int8 in {"feed-forward only": partial_int8, "every linear": full_int8}.items():
    logits = torch.cat([torch_path(int8)(b) for b in sample])
    logit_change[name] = (logits - reference).abs().mean().item()
exercise4.check(feed_forward, partial_int8, logit_change, why="b")
""",
    solutions_notebook=SOLUTIONS,
)


# Exercise 5 · batch size ---------------------------------------------------------------------

PATHS = ["fp32 eager", "ONNX Runtime int8"]
BATCH_SIZES = (1, 8, 64)
WHY_BATCH = {
    "a": "each sentence needs the same multiplications in any batch (padding only adds to "
    "them); what a batch shares is each call's fixed cost",
    "c": "a single sentence has no padding at all; batches add padding, which is why they are "
    "sorted by length first",
}


def check_batching(rates: Any, why: Any = None) -> str:
    """Exercise 5: sentences/s at batch sizes 1, 8 and 64 that can be true; the reading."""
    keyed(rates, "rates", PATHS, 'a dict: "fp32 eager" and "ONNX Runtime int8" -> sentences/s '
          "at batch sizes 1, 8 and 64")
    for path in PATHS:
        values = numbers(rates[path], f'rates["{path}"]', len(BATCH_SIZES),
                         "sentences per second at batch sizes 1, 8 and 64")
        if min(values) <= 0:
            raise Incorrect(f'rates["{path}"] holds a rate that is not positive')
        if values[0] > values[1] > values[2]:
            raise Incorrect(f'rates["{path}"] falls as the batch grows, as times do: give '
                            "sentences per second, the sentences timed over the seconds taken")
        if values[1] <= values[0]:
            raise Incorrect(f'rates["{path}"] is no higher at 8 than at 1: going from 1 to 8 '
                            "helps on any machine; time each size over the same sentences, "
                            "after a warm-up call")
    choice(why, WHY_BATCH, "b")
    return ("from 1 to 8 each call's fixed cost is shared by eight sentences; beyond that a "
            "CPU's few cores are busy already, so what larger batches buy is your machine's "
            "answer")


exercise5 = Exercise(
    number=5,
    todo="replace each ____: the rates (path -> sentences/s at batch sizes 1, 8 and 64) and "
    "the letter of your answer; then run the cell",
    expects='a dict {"fp32 eager": [three rates], "ONNX Runtime int8": [three rates]} and a '
    'letter, "a", "b" or "c"',
    checker=check_batching,
    hint_text="Sort 256 test sentences by length, pad them into batches of each size, warm up "
    "each path on one batch, and divide 256 by the seconds one pass over the batches takes. "
    "Time the paths in turns and keep the best of two rounds.",
    solution_code="""
from bert_tutorial.batching import pad_batch

texts = sorted((r.text for r in splits["test"][:256]), key=len)  # little padding at any size
sizes = [1, 8, 64]
predictors = {"fp32 eager": torch_path(model),
              "ONNX Runtime int8": OnnxClassifier(onnx_int8, model)}
batches_of = {size: [pad_batch([{"input_ids": ids} for ids in
                                tokenizer(texts[i : i + size], truncation=True)["input_ids"]],
                               tokenizer.pad_token_id) for i in range(0, 256, size)]
              for size in sizes}
rates = {name: [0.0] * len(sizes) for name in predictors}
for _ in range(2):  # in turns, the best of each: a shared machine's speed drifts
    for s, size in enumerate(sizes):
        for name, predict in predictors.items():
            predict(batches_of[size][0])  # warm-up
            start = time.perf_counter()
            for batch in batches_of[size]:
                predict(batch)
            rates[name][s] = max(rates[name][s], 256 / (time.perf_counter() - start))
for name, values in rates.items():
    plt.plot(sizes, values, marker="o", label=name)
plt.xscale("log", base=2)
plt.title("Throughput against batch size")
plt.xlabel("batch size (sentences)")
plt.ylabel("sentences per second")
plt.legend()
plt.show()
exercise5.check(rates, why="b")
""",
    solutions_notebook=SOLUTIONS,
)
