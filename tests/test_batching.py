"""Dynamic padding and length-grouped batches."""

import torch

from bert_tutorial.batching import length_grouped_batches, pad_batch, sorted_batches


def test_pad_batch_pads_to_the_longest_and_builds_the_mask():
    batch = pad_batch([{"input_ids": [101, 7, 102]}, {"input_ids": [101, 102]}], pad_token_id=0)
    assert torch.equal(batch["input_ids"], torch.tensor([[101, 7, 102], [101, 102, 0]]))
    assert torch.equal(batch["attention_mask"], torch.tensor([[1, 1, 1], [1, 1, 0]]))


def test_pad_batch_handles_sequence_and_token_labels():
    features = [
        {"input_ids": [1, 2, 3], "token_type_ids": [0, 0, 0], "labels": [-100, 4, -100]},
        {"input_ids": [1, 2], "token_type_ids": [0, 0], "labels": [-100, 5]},
    ]
    batch = pad_batch(features, pad_token_id=0, padding="max_length", max_length=4)
    assert torch.equal(
        batch["labels"], torch.tensor([[-100, 4, -100, -100], [-100, 5, -100, -100]])
    )
    assert batch["token_type_ids"].shape == (2, 4)
    scalar = pad_batch([{"input_ids": [1], "labels": 1}, {"input_ids": [1, 2], "labels": 0}], 0)
    assert torch.equal(scalar["labels"], torch.tensor([1, 0]))


def test_sorted_batches_cover_every_index_longest_first():
    lengths = [5, 1, 9, 3, 7]
    batches = sorted_batches(lengths, 2)
    assert batches == [[2, 4], [0, 3], [1]]


def test_length_grouped_batches_are_a_seeded_permutation_with_little_padding():
    lengths = [(i * 37) % 50 + 1 for i in range(1000)]
    batches = length_grouped_batches(lengths, 16, seed=0)
    assert sorted(i for batch in batches for i in batch) == list(range(1000))
    assert batches == length_grouped_batches(lengths, 16, seed=0)
    assert batches != length_grouped_batches(lengths, 16, seed=1)
    padded = sum(max(lengths[i] for i in b) * len(b) for b in batches)
    assert padded < 1.1 * sum(lengths)
