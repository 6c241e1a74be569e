"""Dataset, batches, the training loop, prediction and the save/load round trip."""

import pytest
import torch

from bert_tutorial.modeling import BertSentenceClassifier
from bert_tutorial.models import model_path
from bert_tutorial.setup import seed_everything
from bert_tutorial.training import (
    TokenizedDataset,
    make_batches,
    make_optimizer_and_scheduler,
    predict_logits,
    tokenize_sentences,
    train_one_epoch,
    train_step,
)

TEXTS = ["a joy to watch", "dull and lifeless", "one of the year's best", "a tedious mess"] * 2
LABELS = [1, 0, 1, 0] * 2


@pytest.fixture
def dataset(tokenizer):
    return tokenize_sentences(TEXTS, LABELS, tokenizer, num_labels=2)


def test_tokenize_sentences_keeps_labels_and_lengths(dataset, tokenizer):
    assert len(dataset) == 8 and dataset[1]["labels"] == 0
    assert dataset[0]["input_ids"] == tokenizer("a joy to watch")["input_ids"]
    assert dataset.lengths()[0] == len(dataset[0]["input_ids"])


def test_batches_pad_dynamically_and_cover_every_example(dataset, tokenizer):
    batches = make_batches(dataset, 3, tokenizer.pad_token_id, seed=0)
    assert sum(len(b["labels"]) for b in batches) == 8
    for batch in batches:
        lengths = batch["attention_mask"].sum(dim=1)
        assert batch["input_ids"].shape[1] == lengths.max()  # padded to the longest in the batch
    ordered = make_batches(dataset, 3, tokenizer.pad_token_id)
    assert torch.equal(torch.cat([b["labels"] for b in ordered]), torch.tensor(LABELS))


def test_a_few_training_steps_lower_the_loss(dataset, tokenizer):
    seed_everything(0)
    model = BertSentenceClassifier.from_pretrained(
        model_path(), num_labels=2, hidden_dropout_prob=0.0, attention_probs_dropout_prob=0.0
    )
    batch = make_batches(dataset, 8, tokenizer.pad_token_id)[0]
    model.train()  # the same code path as the training steps (dropout is off)
    with torch.no_grad():
        before = model(**batch).loss.item()
    optimizer, scheduler = make_optimizer_and_scheduler(
        model, lr=1e-4, num_training_steps=5, warmup_ratio=0.0
    )
    losses = train_one_epoch(
        model, [batch] * 5, optimizer, scheduler, torch.device("cpu"), progress=False
    )
    assert len(losses) == 5 and losses[0] == pytest.approx(before, rel=1e-4)
    with torch.no_grad():
        after = model(**batch).loss.item()
    assert after < 0.5 * before


def test_train_step_updates_only_trainable_weights_and_clears_gradients(dataset, tokenizer):
    seed_everything(0)
    model = BertSentenceClassifier.from_pretrained(model_path(), num_labels=2)
    for parameter in model.bert.embeddings.parameters():
        parameter.requires_grad = False
    frozen = model.bert.embeddings.word_embeddings.weight.clone()
    head = model.classifier.weight.clone()
    optimizer, scheduler = make_optimizer_and_scheduler(
        model, lr=1e-3, num_training_steps=10, warmup_ratio=0.0
    )
    model.train()
    batch = make_batches(dataset, 4, tokenizer.pad_token_id)[0]
    loss = train_step(model, batch, optimizer, scheduler, torch.device("cpu"))
    assert isinstance(loss, float) and loss > 0
    assert torch.equal(model.bert.embeddings.word_embeddings.weight, frozen)
    assert not torch.equal(model.classifier.weight, head)
    assert all(p.grad is None for p in model.parameters())
    assert optimizer.param_groups[0]["lr"] == pytest.approx(1e-3 * 9 / 10)  # one step of decay


def test_optimizer_skips_weight_decay_on_biases_and_layer_norms():
    model = BertSentenceClassifier.from_pretrained(model_path(), num_labels=2)
    model.bert.embeddings.word_embeddings.weight.requires_grad = False
    optimizer, scheduler = make_optimizer_and_scheduler(model, lr=1e-3, num_training_steps=100)
    decay, no_decay = optimizer.param_groups
    assert decay["weight_decay"] == 0.01 and no_decay["weight_decay"] == 0.0
    assert all(p.ndim >= 2 for p in decay["params"]) and all(
        p.ndim == 1 for p in no_decay["params"]
    )
    frozen = model.bert.embeddings.word_embeddings.weight
    assert all(p is not frozen for group in optimizer.param_groups for p in group["params"])
    assert optimizer.param_groups[0]["lr"] == 0.0  # warmup starts from zero
    for _ in range(10):
        optimizer.step()
        scheduler.step()
    assert optimizer.param_groups[0]["lr"] == pytest.approx(1e-3)  # end of the 10% warmup


def test_save_and_reload_give_identical_logits(dataset, tokenizer, tmp_path):
    model = BertSentenceClassifier.from_pretrained(model_path(), num_labels=2, pooling="cls")
    torch.nn.init.normal_(model.classifier.weight)  # a trained-looking head
    batches = make_batches(dataset, 4, tokenizer.pad_token_id)
    before = predict_logits(model, batches, torch.device("cpu"))
    model.save_pretrained(tmp_path)
    tokenizer.save_pretrained(tmp_path)
    assert (tmp_path / "model.safetensors").is_file()
    reloaded = BertSentenceClassifier.from_pretrained(tmp_path)
    assert reloaded.pooling == "cls" and reloaded.config.num_labels == 2
    assert torch.equal(predict_logits(reloaded, batches, torch.device("cpu")), before)


@pytest.mark.parametrize(
    ("texts", "labels", "error", "message"),
    [
        ([], [], ValueError, "empty"),
        (["a", "b"], [0], ValueError, "got 2 texts but 1 labels"),
        (["a", "b"], [0, 2], ValueError, r"label 1 is 2; labels must be ints in 0\.\.1"),
        (["a"], [-1], ValueError, "label 0 is -1"),
        (["a"], [1.0], ValueError, "label 0 is 1.0"),
    ],
)
def test_bad_training_data_is_explained(tokenizer, texts, labels, error, message):
    with pytest.raises(error, match=message):
        tokenize_sentences(texts, labels, tokenizer, num_labels=2)


def test_empty_or_untokenized_datasets_are_refused():
    with pytest.raises(ValueError, match="empty"):
        TokenizedDataset([])
    with pytest.raises(KeyError, match="tokenize the texts first"):
        TokenizedDataset([{"text": "hello"}])
