"""Dataset, batches, the training loop, prediction and the save/load round trip."""

import pytest
import torch

from bert_tutorial.batching import pad_batch
from bert_tutorial.modeling import BertSentenceClassifier, freeze_layers
from bert_tutorial.models import model_path
from bert_tutorial.recipes import Recipe
from bert_tutorial.setup import seed_everything
from bert_tutorial.training import (
    batch_per_device,
    fine_tune,
    make_batches,
    make_optimizer_and_scheduler,
    predict_logits,
    tokenize_sentences,
    train_one_epoch,
    train_step,
    trainer_arguments,
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
    model = freeze_layers(BertSentenceClassifier.from_pretrained(model_path(), num_labels=2), 0)
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


def test_fine_tune_runs_the_recipe_epoch_by_epoch(dataset, tokenizer):
    seed_everything(0)
    model = BertSentenceClassifier.from_pretrained(model_path(), num_labels=2)
    recipe = Recipe(lr=1e-4, batch_size=3, num_epochs=2, num_frozen_layers=0)
    epochs = []
    losses = fine_tune(model, dataset, recipe, torch.device("cpu"), pad_token_id=0,
                       progress=False, after_epoch=epochs.append)  # fmt: skip
    assert epochs == [0, 1]
    assert len(losses) == recipe.num_training_steps(len(dataset)) == 2 * 3
    seed_everything(0)
    again = BertSentenceClassifier.from_pretrained(model_path(), num_labels=2)
    optimizer, scheduler = make_optimizer_and_scheduler(again, lr=1e-4, num_training_steps=6)
    by_hand = []
    for epoch in range(2):
        batches = make_batches(dataset, 3, 0, seed=epoch)
        by_hand += train_one_epoch(again, batches, optimizer, scheduler, "cpu", progress=False)
    assert losses == pytest.approx(by_hand, rel=1e-6)


def test_predict_logits_pads_token_logits_of_batches_of_different_widths(tokenizer):
    from bert_tutorial.modeling import BertTokenClassifier

    model = BertTokenClassifier.from_pretrained(model_path(), num_labels=3)
    features = [{"input_ids": ids} for ids in tokenizer(["a b c d e f", "a", "b c"])["input_ids"]]
    batches = [pad_batch(features[:1], 0), pad_batch(features[1:], 0)]
    logits = predict_logits(model, batches, torch.device("cpu"))
    assert logits.shape == (3, 8, 3)
    alone = predict_logits(model, [pad_batch(features[2:], 0)], torch.device("cpu"))
    torch.testing.assert_close(logits[2, :4], alone[0], atol=1e-5, rtol=1e-4)
    assert torch.equal(logits[1:, 4:], torch.zeros(2, 4, 3))  # past its batch's width: zeros


def test_trainer_keeps_the_recipes_batch_where_one_process_sees_two_gpus(monkeypatch, tmp_path):
    from transformers import TrainingArguments

    from bert_tutorial.recipes import SENTIMENT_RECIPE

    monkeypatch.delenv("LOCAL_RANK", raising=False)
    monkeypatch.setattr(torch.cuda, "device_count", lambda: 2)
    args = trainer_arguments(SENTIMENT_RECIPE, 2000, tmp_path, "cuda")
    # what TrainingArguments finds on such a runtime, where Trainer wraps nn.DataParallel
    monkeypatch.setattr(TrainingArguments, "n_gpu", property(lambda self: 2))
    assert args.per_device_train_batch_size == SENTIMENT_RECIPE.batch_size // 2
    assert args.train_batch_size == SENTIMENT_RECIPE.batch_size


def test_a_batch_is_split_only_over_the_gpus_of_one_process(monkeypatch):
    monkeypatch.delenv("LOCAL_RANK", raising=False)
    monkeypatch.setattr(torch.cuda, "device_count", lambda: 3)
    with pytest.raises(ValueError, match="multiple of 3.*CUDA_VISIBLE_DEVICES=0"):
        batch_per_device(32, "cuda")
    assert batch_per_device(32, "cpu") == 32
    monkeypatch.setenv("LOCAL_RANK", "0")  # torchrun's processes hold one GPU each
    assert batch_per_device(32, "cuda") == 32
