"""Checked exercises of notebook 07: right answers pass, plausible wrong ones fail with the
mistake named. Exercise 1 trains a head on random features under real autocast; exercises 3
and 4 export and quantize a tiny BERT on the packaged vocabulary; timings are made up, since
the checks read what holds on any machine."""

from contextlib import nullcontext

import pytest
import torch
from exercise_asserts import assert_incorrect
from torchao.quantization import Int8DynamicActivationInt8WeightConfig, quantize_
from transformers import BertConfig

from bert_tutorial import precision
from bert_tutorial.exercises import CORRECT, NOT_ATTEMPTED, ch07
from bert_tutorial.exercises.ch07 import (
    ____,
    exercise1,
    exercise2,
    exercise3,
    exercise4,
    exercise5,
)
from bert_tutorial.inference import export_onnx, quantize_int8, quantize_onnx
from bert_tutorial.modeling import BertSentenceClassifier

# Exercise 1 · the mistake on purpose ---------------------------------------------------------

torch.manual_seed(0)
FEATURES = torch.randn(640, 384)
TARGETS = (FEATURES[:, :8].sum(dim=1) > 0).long()  # a rule a linear head can learn
BF16 = {"device_type": "cpu", "dtype": torch.bfloat16}


def run(outer, inner, seed=0):
    torch.manual_seed(seed)
    head = torch.nn.Linear(384, 2)
    optimizer = torch.optim.AdamW(head.parameters(), lr=1e-2)
    losses = []
    with outer:
        for start in range(0, 640, 32):
            with inner():
                logits = head(FEATURES[start : start + 32])
                loss = torch.nn.functional.cross_entropy(logits, TARGETS[start : start + 32])
            loss.backward()
            optimizer.step()
            optimizer.zero_grad()
            losses.append(loss.item())
    return losses


LOSSES = {"per step": run(nullcontext(), lambda: torch.autocast(**BF16)),
          "one region": run(torch.autocast(**BF16), nullcontext),
          "no cache": run(torch.autocast(**BF16, cache_enabled=False), nullcontext)}


def test_exercise1_accepts_real_runs_under_autocast():
    feedback = exercise1.check(LOSSES, why="b")
    assert feedback.outcome == CORRECT, feedback


@pytest.mark.parametrize(
    "losses, why, fragment",
    [
        ({**LOSSES, "one region": LOSSES["per step"], "per step": LOSSES["one region"]}, "b",
         "swapped"),
        ({**LOSSES, "one region": LOSSES["no cache"]}, "b", "learns as well"),
        ({**LOSSES, "no cache": LOSSES["one region"]}, "b", "cache_enabled=False"),
        ({**LOSSES, "one region": run(torch.autocast(**BF16), nullcontext, seed=1)}, "b",
         "seed each run alike"),
        ({**LOSSES, "per step": LOSSES["per step"][:10]}, "b", "expected 20"),
        ({k: LOSSES[k] for k in ("per step", "one region")}, "b", "expected 'per step'"),
        (LOSSES, "a", "still run in bf16"),
        (LOSSES, "c", "updates the fp32 weights in every run"),
        (LOSSES["per step"], "b", "expected a dict"),
        ({**LOSSES, "no cache": None}, "b", "expected one loss per step"),
        ({**LOSSES, "no cache": "0.5"}, "b", "expected one loss per step"),
    ],
)
def test_exercise1_names_the_mistake(losses, why, fragment):
    assert_incorrect(exercise1.check(losses, why=why), fragment)


def test_exercise1_reads_losses_in_a_tensor():
    losses = {name: torch.tensor(values) for name, values in LOSSES.items()}
    assert exercise1.check(losses, why="b").outcome == CORRECT


# Exercise 2 · small and large products --------------------------------------------------------

EMULATED = {128: 0.02, 256: 0.01, 512: 0.01}
NATIVE = {256: 0.8, 512: 1.3, 1024: 1.9, 2048: 2.1}


@pytest.fixture(params=[False, True], ids=["emulated", "native"])
def bf16_native(request, monkeypatch):
    monkeypatch.setattr(precision, "cpu_has_bf16", lambda: request.param)
    return request.param


def test_exercise2_accepts_the_reading_of_each_kind_of_cpu(bf16_native):
    ratios, first = (NATIVE, 512) if bf16_native else (EMULATED, None)
    feedback = exercise2.check(ratios, first, why="b")
    assert feedback.outcome == CORRECT, feedback
    assert ("emulated" in feedback.message) is not bf16_native


@pytest.mark.parametrize(
    "native, ratios, overtakes, why, fragment",
    [
        (False, {128: 50.0, 256: 100.0, 512: 100.0}, 128, "b", "divide fp32's speed by bf16's"),
        (False, NATIVE, None, "b", "time 128, 256 and 512 only"),
        (True, EMULATED, None, "b", "expected 256, 512, 1024, 2048"),
        (True, NATIVE, 1024, "b", "first at 512 x 512"),
        (True, NATIVE, None, "b", "so overtakes is 512"),
        (True, {**NATIVE, 512: 0.9}, 512, "b", "first at 1024"),
        (False, EMULATED, 128, "b", "never"),
        (True, {**NATIVE, 256: -0.8}, 512, "b", "positive"),
        (True, NATIVE, "512", "b", "a size from your ratios, or None"),
        (True, NATIVE, 512, "a", "rounds the same way at every size"),
        (True, NATIVE, 512, "c", "fit the caches better"),
        (True, list(NATIVE.values()), 512, "b", "expected a dict"),
        (True, {**NATIVE, 1024: "1.9"}, 512, "b", "expected a number"),
    ],
)
def test_exercise2_names_the_mistake(monkeypatch, native, ratios, overtakes, why, fragment):
    monkeypatch.setattr(precision, "cpu_has_bf16", lambda: native)
    assert_incorrect(exercise2.check(ratios, overtakes, why=why), fragment)


# Exercises 3 and 4 · a tiny BERT on the packaged vocabulary ------------------------------------


def tiny_model(layers=2):
    torch.manual_seed(0)
    config = BertConfig(hidden_size=32, num_hidden_layers=layers, num_attention_heads=2,
                        intermediate_size=64, num_labels=2)
    return BertSentenceClassifier(config).eval()


@pytest.fixture(scope="module")
def onnx_files(tmp_path_factory):
    folder = tmp_path_factory.mktemp("opsets")
    model = tiny_model()
    example = ch07.first_test_batches()[0]
    files = {}
    for opset in (14, 18):
        fp32 = export_onnx(model, folder / f"opset{opset}.onnx", example, opset=opset)
        files[opset] = (fp32, quantize_onnx(fp32, folder / f"opset{opset}-int8.onnx"))
    return files


def opset9_message():
    with pytest.raises(ValueError) as refusal:
        export_onnx(tiny_model(), "unused.onnx", {}, opset=9)
    return str(refusal.value)


def agreements(files):
    from bert_tutorial.inference import OnnxClassifier

    batches = ch07.first_test_batches()
    shares = {}
    for k, kind in enumerate(("fp32", "int8")):
        a, b = ([OnnxClassifier(files[o][k])(x).argmax(-1) for x in batches] for o in (14, 18))
        shares[kind] = (torch.cat(a) == torch.cat(b)).float().mean().item()
    return shares


def test_exercise3_accepts_the_files_and_their_agreement(onnx_files):
    feedback = exercise3.check(onnx_files, agreements(onnx_files), opset9_message())
    assert feedback.outcome == CORRECT, feedback
    assert "LayerNormalization as one operator" in feedback.message


def test_exercise3_names_the_mistakes(onnx_files):
    right, message = agreements(onnx_files), opset9_message()
    both18 = {14: onnx_files[18], 18: onnx_files[18]}
    assert_incorrect(exercise3.check(both18, right, message), "declares opset 18",
                     "pass opset=14")
    fp32_twice = {**onnx_files, 14: (onnx_files[14][0], onnx_files[14][0])}
    assert_incorrect(exercise3.check(fp32_twice, right, message), "no quantized operators")
    swapped = {**onnx_files, 18: onnx_files[18][::-1]}
    assert_incorrect(exercise3.check(swapped, right, message), "the fp32 file of opset 18 is "
                     "quantized")
    missing = {**onnx_files, 14: ("nowhere.onnx", onnx_files[14][1])}
    assert_incorrect(exercise3.check(missing, right, message), "no file at nowhere.onnx")
    percent = {kind: 100 * share for kind, share in right.items()}
    assert_incorrect(exercise3.check(onnx_files, percent, message), "a percentage")
    off = {**right, "int8": right["int8"] - 0.1}
    assert_incorrect(exercise3.check(onnx_files, off, message), "compare opset 14's")
    assert_incorrect(exercise3.check(onnx_files, right, "not supported"), "str(error)")
    assert_incorrect(exercise3.check(onnx_files, right, None), "str(error)")
    assert_incorrect(exercise3.check({14: onnx_files[14]}, right, message), "expected 14, 18")
    assert_incorrect(exercise3.check({14: "a.onnx", 18: onnx_files[18]}, right, message),
                     "expected (fp32 file, int8 file)")
    assert_incorrect(exercise3.check({**onnx_files, 14: (1, 2)}, right, message),
                     "expected the path")


def test_exercise3_refuses_a_file_that_is_not_onnx(onnx_files, tmp_path):
    text = tmp_path / "notes.onnx"
    text.write_text("not a graph")
    files = {**onnx_files, 14: (text, onnx_files[14][1])}
    assert_incorrect(exercise3.check(files, agreements(onnx_files), opset9_message()),
                     "is not an ONNX file")


def right_filter(module, name):
    return isinstance(module, torch.nn.Linear) and (
        "intermediate.dense" in name or (name.endswith("output.dense") and "attention" not in name))


@pytest.fixture(scope="module")
def partial_int8():
    model = tiny_model()
    quantize_(model, Int8DynamicActivationInt8WeightConfig(), filter_fn=right_filter)
    return model


CHANGE = {"feed-forward only": 0.003, "every linear": 0.004}


def test_exercise4_accepts_the_feed_forward_filter(partial_int8):
    feedback = exercise4.check(right_filter, partial_int8, CHANGE, why="b")
    assert feedback.outcome == CORRECT, feedback
    assert feedback.message.startswith("4 feed-forward linears")  # 2 layers of the tiny model


def six_layers_by_name(module, name):
    return name in {f"bert.encoder.layer.{i}.{part}" for i in range(6)
                    for part in ("intermediate.dense", "output.dense")}


@pytest.mark.parametrize(
    "feed_forward, fragment",
    [
        (lambda m, n: isinstance(m, torch.nn.Linear) and n.endswith("output.dense"),
         "part of attention"),
        (lambda m, n: isinstance(m, torch.nn.Linear) and "intermediate.dense" in n,
         "leaves out bert.encoder.layer.0.output.dense"),
        (lambda m, n: isinstance(m, torch.nn.Linear), "picks bert.encoder.layer.0.attention"),
        (lambda m, n: "intermediate" in n or ("output" in n and "attention" not in n),
         "test isinstance(module, torch.nn.Linear)"),
        (six_layers_by_name, "leaves out bert.encoder.layer.6.intermediate.dense"),
        (lambda m, n: n.startswith("bert.encoder") and 1 / 0, "raised ZeroDivisionError"),
        (lambda m, n: ____, None),
        ("intermediate.dense", "expected your function"),
    ],
)
def test_exercise4_names_a_wrong_filter(partial_int8, feed_forward, fragment):
    feedback = exercise4.check(feed_forward, partial_int8, CHANGE, why="b")
    if fragment is None:
        assert feedback.outcome == NOT_ATTEMPTED, feedback
    else:
        assert_incorrect(feedback, fragment)


def test_exercise4_looks_inside_the_learners_model(partial_int8):
    fully = quantize_int8(tiny_model())
    assert_incorrect(exercise4.check(right_filter, fully, CHANGE, why="b"),
                     "attention.self.query is quantized")
    assert_incorrect(exercise4.check(right_filter, tiny_model(), CHANGE, why="b"),
                     "nothing in partial_int8 is quantized")
    assert_incorrect(exercise4.check(right_filter, "model", CHANGE, why="b"),
                     "expected the model you quantized")


@pytest.mark.parametrize(
    "change, why, fragment",
    [
        ({"feed-forward only": 0.004, "every linear": 0.003}, "b", "are the two swapped"),
        ({"feed-forward only": 0.0, "every linear": 0.003}, "b", "is positive"),
        ({"partial": 0.003, "full": 0.004}, "b", "expected 'feed-forward only'"),
        ({"feed-forward only": "small", "every linear": 0.004}, "b", "expected a number"),
        (CHANGE, "a", "does change the logits"),
        (CHANGE, "c", "attention's softmax stays"),
    ],
)
def test_exercise4_reads_the_logit_changes(partial_int8, change, why, fragment):
    assert_incorrect(exercise4.check(right_filter, partial_int8, change, why=why), fragment)


# Exercise 5 · batch size ---------------------------------------------------------------------

RATES = {"fp32 eager": [60.0, 115.0, 112.0], "ONNX Runtime int8": [150.0, 200.0, 180.0]}


def test_exercise5_accepts_rates_that_stop_growing():
    feedback = exercise5.check(RATES, why="b")
    assert feedback.outcome == CORRECT, feedback
    assert exercise5.check({**RATES, "fp32 eager": (60, 115, 300)}, why="b").outcome == CORRECT


@pytest.mark.parametrize(
    "rates, why, fragment",
    [
        ({**RATES, "fp32 eager": [4.3, 2.2, 2.1]}, "b", "falls as the batch grows"),
        ({**RATES, "ONNX Runtime int8": [150.0, 140.0, 180.0]}, "b", "no higher at 8"),
        ({**RATES, "fp32 eager": [60.0, 115.0]}, "b", "holds 2 numbers; expected 3"),
        ({**RATES, "fp32 eager": [0.0, 115.0, 112.0]}, "b", "not positive"),
        ({"fp32": RATES["fp32 eager"], "ONNX Runtime int8": RATES["ONNX Runtime int8"]}, "b",
         "expected 'fp32 eager'"),
        (RATES, "a", "what a batch shares is each call's fixed cost"),
        (RATES, "c", "a single sentence has no padding"),
        (RATES, "d", 'expected one of "a", "b", "c"'),
        ([60.0, 115.0, 112.0], "b", "expected a dict"),
    ],
)
def test_exercise5_names_the_mistake(rates, why, fragment):
    assert_incorrect(exercise5.check(rates, why=why), fragment)


def test_every_exercise_waits_for_the_placeholder():
    assert exercise1.check(____, why=____).outcome == NOT_ATTEMPTED
    assert exercise2.check(____, ____, why=____).outcome == NOT_ATTEMPTED
    assert exercise3.check(____, ____, ____).outcome == NOT_ATTEMPTED
    assert exercise4.check(____, ____, ____, why=____).outcome == NOT_ATTEMPTED
    assert exercise5.check({**RATES, "fp32 eager": ____}, why="b").outcome == NOT_ATTEMPTED
