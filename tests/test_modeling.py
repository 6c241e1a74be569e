"""The BertPreTrainedModel subclasses: loading, new weights, outputs, label checks."""

import pytest
import torch

from bert_tutorial.modeling import BertSentenceClassifier, BertTokenClassifier, freeze_layers
from bert_tutorial.models import model_path


@pytest.mark.parametrize("model_class", [BertSentenceClassifier, BertTokenClassifier])
def test_from_pretrained_initialises_exactly_the_classifier(model_class):
    model, info = model_class.from_pretrained(model_path(), num_labels=3, output_loading_info=True)
    assert sorted(info["missing_keys"]) == ["classifier.bias", "classifier.weight"]
    assert all(key.startswith("pooler.") for key in info["unexpected_keys"])
    assert not info["mismatched_keys"] and not info["error_msgs"]
    assert model.classifier.weight.shape == (3, 384)


def test_pretrained_body_weights_are_the_checkpoint_weights():
    from transformers import BertModel

    body = BertModel.from_pretrained(model_path())
    model = BertSentenceClassifier.from_pretrained(model_path(), num_labels=2)
    for name, parameter in body.named_parameters():
        if not name.startswith("pooler."):
            assert torch.equal(parameter, model.bert.get_parameter(name)), name


def test_sentence_classifier_returns_loss_and_logits(tokenizer):
    model = BertSentenceClassifier.from_pretrained(model_path(), num_labels=2).eval()
    batch = tokenizer(["good film", "a bad, bad film"], padding=True, return_tensors="pt")
    outputs = model(**batch, labels=torch.tensor([1, 0]))
    assert outputs.logits.shape == (2, 2)
    expected = torch.nn.functional.cross_entropy(outputs.logits, torch.tensor([1, 0]))
    torch.testing.assert_close(outputs.loss, expected)
    assert model(**batch).loss is None


def test_mean_pooling_ignores_padding(tokenizer):
    model = BertSentenceClassifier.from_pretrained(model_path(), num_labels=2).eval()
    alone = model(**tokenizer(["good film"], return_tensors="pt")).logits
    padded = model(**tokenizer(["good film", "a much longer sentence here"], padding=True,
                               return_tensors="pt")).logits[:1]  # fmt: skip
    torch.testing.assert_close(alone, padded, atol=1e-5, rtol=1e-4)


def test_cls_pooling_is_selected_by_config(tokenizer):
    model = BertSentenceClassifier.from_pretrained(model_path(), num_labels=2, pooling="cls")
    assert model.pooling == "cls"


def test_token_tagger_ignores_minus_100(tokenizer):
    model = BertTokenClassifier.from_pretrained(model_path(), num_labels=3).eval()
    batch = tokenizer(["new york"], return_tensors="pt")
    labels = torch.tensor([[-100, 1, 2, -100]])
    outputs = model(**batch, labels=labels)
    assert outputs.logits.shape == (1, 4, 3)
    expected = torch.nn.functional.cross_entropy(outputs.logits[0, 1:3], torch.tensor([1, 2]))
    torch.testing.assert_close(outputs.loss, expected)


def test_freeze_layers_freezes_the_bottom_and_can_unfreeze_again():
    model = BertTokenClassifier.from_pretrained(model_path(), num_labels=3)
    freeze_layers(model, 2)
    frozen = {name for name, p in model.named_parameters() if not p.requires_grad}
    expected = {
        name for name, _ in model.named_parameters()
        if name.startswith(("bert.embeddings.", "bert.encoder.layer.0.", "bert.encoder.layer.1."))
    }  # fmt: skip
    assert frozen == expected
    freeze_layers(model, 0, embeddings=False)
    assert all(p.requires_grad for p in model.parameters())


def test_freeze_layers_reaches_the_body_of_a_built_in_model():
    from transformers import BertForSequenceClassification

    model = BertForSequenceClassification.from_pretrained(model_path(), num_labels=2)
    freeze_layers(model, 6)
    trainable = {name for name, p in model.named_parameters() if p.requires_grad}
    assert trainable == {
        "bert.pooler.dense.weight", "bert.pooler.dense.bias", "classifier.weight",
        "classifier.bias",
    }  # fmt: skip


def test_span_extractor_matches_the_built_in_question_answering_model(tokenizer, tmp_path):
    from transformers import AutoModelForQuestionAnswering

    from bert_tutorial.modeling import BertSpanExtractor

    model, info = BertSpanExtractor.from_pretrained(model_path(), output_loading_info=True)
    assert sorted(info["missing_keys"]) == ["qa_outputs.bias", "qa_outputs.weight"]
    model.save_pretrained(tmp_path)
    built_in, info = AutoModelForQuestionAnswering.from_pretrained(tmp_path,
                                                                   output_loading_info=True)
    assert not info["missing_keys"] and not info["unexpected_keys"]  # the same names
    batch = tokenizer(["Who won?", "When?"], ["The Broncos won.", "In 2016, the Broncos won."],
                      padding=True, return_tensors="pt")
    positions = {"start_positions": torch.tensor([5, 0]), "end_positions": torch.tensor([6, 0])}
    ours, theirs = model.eval()(**batch, **positions), built_in.eval()(**batch, **positions)
    torch.testing.assert_close(ours.start_logits, theirs.start_logits)
    torch.testing.assert_close(ours.end_logits, theirs.end_logits)
    torch.testing.assert_close(ours.loss, theirs.loss)
    assert model(**batch).loss is None
