"""The BertPreTrainedModel subclasses: loading, new weights, outputs, label checks."""

import pytest
import torch

from bert_tutorial.modeling import BertSentenceClassifier, BertTokenTagger, check_labels
from bert_tutorial.models import model_path


@pytest.mark.parametrize("model_class", [BertSentenceClassifier, BertTokenTagger])
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
    model = BertTokenTagger.from_pretrained(model_path(), num_labels=3).eval()
    batch = tokenizer(["new york"], return_tensors="pt")
    labels = torch.tensor([[-100, 1, 2, -100]])
    outputs = model(**batch, labels=labels)
    assert outputs.logits.shape == (1, 4, 3)
    expected = torch.nn.functional.cross_entropy(outputs.logits[0, 1:3], torch.tensor([1, 2]))
    torch.testing.assert_close(outputs.loss, expected)


@pytest.mark.parametrize("labels", [torch.tensor([0, 2]), torch.tensor([-1, 1])])
def test_out_of_range_labels_are_explained(tokenizer, labels):
    model = BertSentenceClassifier.from_pretrained(model_path(), num_labels=2)
    batch = tokenizer(["a", "b"], return_tensors="pt")
    with pytest.raises(ValueError, match=r"outside 0\.\.1"):
        model(**batch, labels=labels)


def test_check_labels_accepts_the_ignore_index():
    check_labels(torch.tensor([-100, 0, 2]), 3, ignore_index=-100)
    with pytest.raises(ValueError, match=r"label ids \[3\]"):
        check_labels(torch.tensor([-100, 3]), 3, ignore_index=-100)
