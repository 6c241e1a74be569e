"""Notebook 07's inference paths on a tiny BERT: int8, ONNX export, ONNX Runtime, measuring."""

import pytest
import torch
from test_precision import TINY, batches, tiny_model
from transformers import BertConfig

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


@pytest.fixture(scope="module")
def model():
    return tiny_model().eval()


@pytest.fixture(scope="module")
def exported(model, tmp_path_factory):
    folder = tmp_path_factory.mktemp("onnx")
    fp32 = export_onnx(model, folder / "model.onnx", batches(1)[0])
    return fp32, quantize_onnx(fp32, folder / "model-int8.onnx")


def test_onnx_runtime_computes_the_models_logits(model, exported):
    batch = {"input_ids": torch.randint(1, 50, (3, 17)), "attention_mask": torch.ones(3, 17).long()}
    batch["attention_mask"][0, 10:] = 0  # padding, and a length unlike the export's example
    expected = torch_path(model)(batch)
    assert torch.allclose(OnnxClassifier(exported[0], model)(batch), expected, atol=1e-4)
    assert torch.allclose(OnnxClassifier(exported[1], model)(batch), expected, atol=0.1)


def test_int8_onnx_is_smaller(exported):
    assert size_mb(exported[1]) < size_mb(exported[0])


def test_torchao_int8_stays_close_to_fp32(model):
    quantized = quantize_int8(model)
    batch = batches(1)[0]
    assert torch.allclose(torch_path(quantized)(batch), torch_path(model)(batch), atol=0.1)
    assert all(type(p) is torch.nn.Parameter for p in model.parameters())  # original untouched


def test_measure_reports_speed_latency_and_accuracy(model):
    data = batches(3)
    labels = torch.cat([b["labels"] for b in data])
    singles = [{k: v[:1] for k, v in data[0].items()} for _ in range(5)]
    result = measure(torch_path(model), data, labels, singles)
    assert result["sentences_per_s"] > 0 and 0 < result["p50_ms"] <= result["p95_ms"]
    assert 0 <= result["accuracy"] <= 1 and len(result["predictions"]) == 24


def test_bad_opsets_are_refused_with_the_supported_range(model, tmp_path):
    for opset in (9, 999):
        with pytest.raises(ValueError, match=f"opset {opset} is not supported here: use an opset"):
            export_onnx(model, tmp_path / "m.onnx", batches(1)[0], opset=opset)
    assert not (tmp_path / "m.onnx").exists()


def test_an_onnx_file_from_another_model_is_refused(exported):
    other = BertConfig(**{**TINY.to_dict(), "num_labels": 3})
    with pytest.raises(ValueError, match="was exported from another model"):
        OnnxClassifier(exported[0], type(tiny_model())(other))


def test_quantizing_twice_is_refused(model, exported, tmp_path):
    with pytest.raises(ValueError, match="already quantized to int8; quantize the fp32 model"):
        quantize_int8(quantize_int8(model))
    with pytest.raises(ValueError, match="already quantized; quantize the fp32 export"):
        quantize_onnx(exported[1], tmp_path / "twice.onnx")


def test_prediction_inputs_cover_every_example_once_in_length_order():
    from bert_tutorial.training import TokenizedDataset

    lengths = [5, 2, 9, 3, 7, 4, 8]
    dataset = TokenizedDataset(
        [{"input_ids": [100 + i] * n, "labels": i % 2} for i, n in enumerate(lengths)]
    )
    batches, labels, singles = prediction_inputs(dataset, pad_token_id=0, batch_size=3,
                                                 num_singles=2)  # fmt: skip
    seen = [row[0].item() - 100 for batch in batches for row in batch["input_ids"]]
    assert sorted(seen) == list(range(len(lengths)))
    assert labels.tolist() == [i % 2 for i in seen]  # the labels follow the batches' order
    widths = [batch["input_ids"].shape[1] for batch in batches]
    assert widths == sorted(widths, reverse=True) and widths[0] == max(lengths)  # longest first
    assert [s["input_ids"].tolist() for s in singles] == [[[100] * 5], [[101] * 2]]


def test_the_onnx_file_alone_classifies_and_knows_its_labels(model, exported):
    batch = batches(1)[0]
    alone = OnnxClassifier(exported[0])  # no PyTorch model given
    assert alone.id2label == model.config.id2label
    assert torch.allclose(alone(batch), torch_path(model)(batch), atol=1e-4)


@pytest.mark.parametrize(("opset", "dynamo"), [(14, False), (18, False), (18, True)])
def test_both_exporters_give_the_models_logits_for_new_shapes(model, tmp_path, opset, dynamo):
    path = export_onnx(model, tmp_path / "m.onnx", batches(1)[0], opset=opset, dynamo=dynamo)
    batch = {"input_ids": torch.randint(1, 50, (5, 9)), "attention_mask": torch.ones(5, 9).long()}
    assert torch.allclose(OnnxClassifier(path, model)(batch), torch_path(model)(batch), atol=1e-4)


def test_the_dynamo_exporter_refuses_an_opset_it_cannot_write(model, tmp_path):
    with pytest.raises(ValueError, match="writes opset 18 or later, not 14; pass dynamo=False"):
        export_onnx(model, tmp_path / "m.onnx", batches(1)[0], opset=14, dynamo=True)


def test_either_attention_exports_the_models_logits_and_eager_is_the_shorter_graph(model, tmp_path):
    import onnx

    running = model.config._attn_implementation
    padded = {"input_ids": torch.randint(1, 50, (3, 7)),
              "attention_mask": torch.tensor([[1] * 7, [1] * 4 + [0] * 3, [1] * 2 + [0] * 5])}
    nodes = {}
    for attention in ("eager", "sdpa"):
        path = export_onnx(model, tmp_path / f"{attention}.onnx", batches(1)[0],
                           attention=attention)
        assert model.config._attn_implementation == running  # set back after the export
        logits = OnnxClassifier(path, model)(padded)
        assert torch.allclose(logits, torch_path(model)(padded), atol=1e-4)
        nodes[attention] = len(onnx.load(str(path)).graph.node)
    assert nodes["eager"] < nodes["sdpa"]  # sdpa's export adds shape arithmetic in every layer
