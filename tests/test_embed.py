"""Sentence embeddings: pooling, order, padding invariance and agreement with a plain loop."""

import pytest
import torch
from transformers import BertModel

from bert_tutorial.embed import embed_sentences, mean_pool
from bert_tutorial.models import model_path

SENTENCES = [
    "A gripping, beautifully acted film.",
    "Dull.",
    "The plot wanders and the jokes fall flat, but the lead performance is worth the ticket.",
    "I laughed.",
    "An ambitious mess that never finds its footing in the second half.",
]


@pytest.fixture(scope="module")
def model():
    return BertModel.from_pretrained(model_path()).eval()


def test_mean_pool_ignores_padding():
    hidden = torch.tensor([[[1.0, 2.0], [3.0, 4.0], [100.0, 100.0]]])
    mask = torch.tensor([[1, 1, 0]])
    assert torch.equal(mean_pool(hidden, mask), torch.tensor([[2.0, 3.0]]))


def test_batched_sorted_embeddings_equal_a_batch_of_one_loop(tokenizer, model):
    batched = embed_sentences(SENTENCES, tokenizer, model, batch_size=2, progress=False)
    with torch.inference_mode():
        looped = []
        for sentence in SENTENCES:
            encoded = tokenizer(sentence, return_tensors="pt")
            outputs = model(**encoded)
            looped.append(outputs.last_hidden_state[0].mean(dim=0))
    assert batched.shape == (len(SENTENCES), 384)
    torch.testing.assert_close(batched, torch.stack(looped), atol=1e-5, rtol=1e-4)


@pytest.mark.parametrize(
    "options",
    [
        {"sort_by_length": False},
        {"padding": "max_length", "sort_by_length": False},
        {"pooling": "cls"},
        {"batch_size": 64},
    ],
)
def test_every_strategy_gives_the_same_vectors_in_input_order(tokenizer, model, options):
    pooling = options.get("pooling", "mean")
    reference = torch.cat(
        [embed_sentences([s], tokenizer, model, pooling=pooling, progress=False) for s in SENTENCES]
    )
    options = {"batch_size": 2, **options}
    got = embed_sentences(SENTENCES, tokenizer, model, progress=False, **options)
    torch.testing.assert_close(got, reference, atol=1e-5, rtol=1e-4)


def test_normalized_vectors_have_unit_length(tokenizer, model):
    vectors = embed_sentences(SENTENCES, tokenizer, model, normalize=True, progress=False)
    torch.testing.assert_close(vectors.norm(dim=-1), torch.ones(len(SENTENCES)))


def test_padding_cost_counts_the_tokens_the_model_sees(tokenizer):
    from bert_tutorial.embed import padding_cost

    real = sum(len(ids) for ids in tokenizer(SENTENCES)["input_ids"])
    to_max = padding_cost(
        SENTENCES, tokenizer, batch_size=2, padding="max_length", sort_by_length=False
    )
    dynamic = padding_cost(SENTENCES, tokenizer, batch_size=2, sort_by_length=False)
    batches = [SENTENCES[0:2], SENTENCES[2:4], SENTENCES[4:]]
    widths = [len(tokenizer(b, padding=True)["input_ids"][0]) * len(b) for b in batches]
    assert to_max == (real, 128 * len(SENTENCES))
    assert dynamic == (real, sum(widths))
    assert padding_cost(SENTENCES, tokenizer, batch_size=2)[1] <= dynamic[1]
