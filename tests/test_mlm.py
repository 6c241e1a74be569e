"""Masked language modelling: BERT's masking by hand agrees with the collator; the scores."""

import pytest
import torch
from transformers import BertConfig, BertForMaskedLM, DataCollatorForLanguageModeling

from bert_tutorial.mlm import (
    IGNORE,
    mask_token_id,
    mask_tokens,
    masked_batches,
    masked_token_scores,
)

SENTENCES = ["a warm and funny film", "the plot goes nowhere", "i have seen this movie before",
             "an unusual , moving story"] * 50


def proportions(inputs, labels, original, mask_id):
    """Return the shares: positions chosen, and of those [MASK], unchanged, other tokens."""
    chosen = labels != IGNORE
    n = chosen.sum().item()
    masked = (inputs[chosen] == mask_id).sum().item() / n
    kept = (inputs[chosen] == original[chosen]).sum().item() / n
    return chosen.float().mean().item(), masked, kept, 1 - masked - kept


@pytest.fixture(scope="module")
def encoded(tokenizer):
    batch = tokenizer(SENTENCES * 20, padding=True, return_tensors="pt",
                      return_special_tokens_mask=True)
    return batch


def test_hand_masking_and_the_collator_agree_in_distribution(tokenizer, encoded):
    ids, special = encoded["input_ids"], encoded["special_tokens_mask"]
    real = (special == 0).sum().item()
    mask_id = mask_token_id(tokenizer)
    inputs, labels = mask_tokens(ids, special, mask_id, len(tokenizer),
                                 generator=torch.Generator().manual_seed(0))
    collator = DataCollatorForLanguageModeling(tokenizer, mlm_probability=0.15, seed=0)
    theirs = collator.torch_mask_tokens(ids.clone(), special_tokens_mask=special.clone())
    ours = proportions(inputs, labels, ids, mask_id)
    reference = proportions(*theirs, ids, mask_id)
    # 20,000 real tokens, ~3,000 chosen: a share's standard error is below 0.8 points (seeded).
    assert real >= 20_000
    share = (labels != IGNORE).sum().item() / real
    assert abs(share - 0.15) < 0.01
    for a, b, expected in zip(ours[1:], reference[1:], (0.8, 0.1, 0.1), strict=True):
        assert abs(a - expected) < 0.03 and abs(b - expected) < 0.03


def test_labels_are_the_original_ids_where_chosen_and_minus_100_elsewhere(tokenizer, encoded):
    ids, special = encoded["input_ids"], encoded["special_tokens_mask"]
    inputs, labels = mask_tokens(ids, special, tokenizer.mask_token_id, len(tokenizer),
                                 generator=torch.Generator().manual_seed(1))
    chosen = labels != IGNORE
    assert torch.equal(labels[chosen], ids[chosen])
    assert torch.equal(inputs[~chosen], ids[~chosen])  # nothing unchosen is touched
    assert not chosen[special.bool()].any()  # [CLS], [SEP] and padding are never chosen


def test_masking_is_seeded_and_leaves_its_input_alone(tokenizer, encoded):
    ids, special = encoded["input_ids"], encoded["special_tokens_mask"]
    before = ids.clone()
    runs = [mask_tokens(ids, special, 103, len(tokenizer),
                        generator=torch.Generator().manual_seed(2)) for _ in range(2)]
    assert torch.equal(runs[0][0], runs[1][0]) and torch.equal(runs[0][1], runs[1][1])
    assert torch.equal(ids, before)


# Bad input (a probability outside (0, 1), an empty sentence, no [MASK]): tests/test_bad_input.py


def test_batches_cover_every_sentence_and_mask_about_the_share_asked(tokenizer):
    batches = masked_batches(SENTENCES, tokenizer, 16, mlm_probability=0.3, seed=0)
    assert sum(len(b["input_ids"]) for b in batches) == len(SENTENCES)
    labelled = sum((b["labels"] != IGNORE).sum().item() for b in batches)
    real = sum(b["attention_mask"].sum().item() - 2 * len(b["input_ids"]) for b in batches)
    assert abs(labelled / real - 0.3) < 0.05


def test_scores_of_a_perfect_and_of_a_random_model():
    config = BertConfig(vocab_size=30, hidden_size=16, num_hidden_layers=1, num_attention_heads=2,
                        intermediate_size=32)
    torch.manual_seed(0)
    model = BertForMaskedLM(config)
    ids = torch.randint(5, 30, (4, 10))
    labels = torch.full_like(ids, IGNORE)
    labels[:, 3] = ids[:, 3]
    batch = {"input_ids": ids, "attention_mask": torch.ones_like(ids), "labels": labels}
    random = masked_token_scores(model, [batch])
    assert random["masked"] == 4 and random["perplexity"] > 10  # about the vocabulary size

    class Oracle(torch.nn.Module):  # puts all its weight on the right token
        def __init__(self):
            super().__init__()
            self.dummy = torch.nn.Parameter(torch.zeros(1))

        def forward(self, input_ids, attention_mask):
            logits = torch.full((*input_ids.shape, 30), -1e4)
            logits.scatter_(-1, ids[..., None], 1e4)
            return type("Out", (), {"logits": logits})

    perfect = masked_token_scores(Oracle(), [batch])
    assert perfect["top1"] == perfect["top5"] == 1.0 and perfect["perplexity"] == pytest.approx(1)


def test_scores_can_leave_out_the_kept_positions():
    class Copier(torch.nn.Module):  # predicts the token it is shown: right wherever it is kept
        def __init__(self):
            super().__init__()
            self.dummy = torch.nn.Parameter(torch.zeros(1))

        def forward(self, input_ids, attention_mask):
            return type("Out", (), {"logits": torch.nn.functional.one_hot(input_ids, 30).float()})

    ids = torch.randint(5, 30, (4, 10))
    labels = torch.full_like(ids, IGNORE)
    labels[:, 3] = ids[:, 3]
    inputs = ids.clone()
    inputs[:2, 3] = 1  # [MASK] in two rows, the token kept in the other two
    batch = {"input_ids": inputs, "attention_mask": torch.ones_like(ids), "labels": labels}
    chosen = masked_token_scores(Copier(), [batch])
    at_mask = masked_token_scores(Copier(), [batch], only_input_id=1)
    assert (chosen["masked"], chosen["top1"]) == (4, 0.5)
    assert (at_mask["masked"], at_mask["top1"]) == (2, 0.0)
    assert chosen["top1_hits"] == [False, False, True, True]  # row by row: masked, then kept


def test_the_masked_positions_head_gives_the_full_heads_loss_and_gradients(tmp_path):
    from bert_tutorial.modeling import MaskedPositionsLM

    config = BertConfig(vocab_size=40, hidden_size=16, num_hidden_layers=2, num_attention_heads=2,
                        intermediate_size=32, hidden_dropout_prob=0.0,
                        attention_probs_dropout_prob=0.0)
    torch.manual_seed(0)
    full = BertForMaskedLM(config)
    full.save_pretrained(tmp_path)
    fast = MaskedPositionsLM.from_pretrained(tmp_path)
    ids = torch.randint(5, 40, (3, 8))
    labels = torch.where(torch.rand(3, 8) < 0.3, ids, IGNORE)
    labels[0, 1] = ids[0, 1]  # at least one masked position
    batch = {"input_ids": ids, "attention_mask": torch.ones_like(ids), "labels": labels}
    losses = [model(**batch).loss for model in (full, fast)]
    assert torch.allclose(losses[0], losses[1], atol=1e-6)
    for loss in losses:
        loss.backward()
    for (name, a), b in zip(full.named_parameters(), fast.parameters(), strict=True):
        assert torch.allclose(a.grad, b.grad, atol=1e-6), name
    # Without labels it is BertForMaskedLM: logits for every position, for fill-mask; its folder
    # loads as one.
    assert fast(input_ids=ids, attention_mask=batch["attention_mask"]).logits.shape == (3, 8, 40)
    fast.save_pretrained(tmp_path / "fast")
    again = BertForMaskedLM.from_pretrained(tmp_path / "fast")
    assert all(torch.equal(a, b) for a, b in zip(again.state_dict().values(),
                                                 fast.state_dict().values(), strict=True))


def test_pretrain_learns_keeps_the_embeddings_and_saves_a_fill_mask_folder(tokenizer, tmp_path):
    from dataclasses import replace

    from transformers import pipeline

    from bert_tutorial.mlm import pretrain
    from bert_tutorial.modeling import MaskedPositionsLM
    from bert_tutorial.recipes import MLM_RECIPE

    config = BertConfig(vocab_size=len(tokenizer), hidden_size=32, num_hidden_layers=2,
                        num_attention_heads=2, intermediate_size=64)
    torch.manual_seed(0)
    model = MaskedPositionsLM(config)
    embeddings = model.bert.embeddings.word_embeddings.weight.clone()
    recipe = replace(MLM_RECIPE, lr=3e-2, num_epochs=3, batch_size=16)
    losses = pretrain(model, SENTENCES, tokenizer, recipe, torch.device("cpu"), progress=False)
    assert len(losses) == 3 * -(-len(SENTENCES) // 16)
    # Only the head's transform and bias and the layers learn (the embeddings are random and
    # frozen), yet the loss falls.
    assert sum(losses[-5:]) / 5 < sum(losses[:5]) / 5 - 0.5
    # The word embeddings stay frozen, and with them the decoder tied to them.
    assert torch.equal(model.bert.embeddings.word_embeddings.weight, embeddings)
    assert model.cls.predictions.decoder.weight is model.bert.embeddings.word_embeddings.weight
    model.save_pretrained(tmp_path)
    tokenizer.save_pretrained(tmp_path)
    fill = pipeline("fill-mask", model=str(tmp_path), device="cpu")
    assert len(fill("a warm and funny [MASK]", top_k=3)) == 3
