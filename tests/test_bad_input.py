"""Bad input to every public function: each case must fail early with an error that names the
bad value (or what is missing) and the fix. One row per case; the table is the specification.
"""

from pathlib import Path

import pytest
import torch

from bert_tutorial import (
    align,
    assets,
    baseline,
    batching,
    data,
    embed,
    modeling,
    models,
    ner,
    plots,
    setup,
    training,
)
from bert_tutorial.data import Review, TaggedSentence

ALIGNMENT = align.WordAlignment(
    words=("hi",), input_ids=[101, 7632, 102], tokens=["[CLS]", "hi", "[SEP]"],
    token_to_word=[None, 0, None], word_to_tokens=[(1,)], truncated=False,
)  # fmt: skip
TAGGED = [TaggedSentence(words=("Paris", "rocks"), tags=("B-geo-loc", "O"))]
LABEL2ID = {"O": 0, "B-geo-loc": 1, "I-geo-loc": 2}
REVIEWS = [Review(text="good", label=1, rating=1.0)]


class TinyModel(torch.nn.Module):
    """A model whose every parameter is frozen."""

    def __init__(self):
        super().__init__()
        self.layer = torch.nn.Linear(2, 2)
        self.layer.requires_grad_(False)


# (case id, call taking the tokenizer, exception, regex the message must match)
CASES = [
    # align
    ("words is one string", lambda t: align.align_words("Paris rocks", t), TypeError, "split it first"),
    ("words empty", lambda t: align.align_words([], t), ValueError, "words is empty"),
    ("word not a str", lambda t: align.align_words(["a", 3], t), TypeError, r"word 1 is 3 .*str\(\)"),
    ("words a set", lambda t: align.align_words({"a"}, t), TypeError, "list or tuple of strings, got set"),
    ("word without tokens", lambda t: align.align_words(["a", "\u200b"], t), align.EmptyWordError, "allow_empty_words=True"),
    ("too many tokens", lambda t: align.align_words(["word"] * 600, t), align.SequenceTooLongError, "truncation=True"),
    ("max_length too small", lambda t: align.align_words(["a"], t, max_length=2), ValueError, r"max_length must be an int >= 3.*got 2"),
    ("max_length above model", lambda t: align.align_words(["a"], t, max_length=4096), ValueError, "use at most 512"),
    ("slow tokenizer", lambda t: align.align_words(["a"], object()), TypeError, "not a fast tokenizer"),
    ("classic loop empty word", lambda t: align.classic_orig_to_tok_index(["\x00"], t), align.EmptyWordError, "drop or replace it"),
    ("label count mismatch", lambda t: align.align_labels(ALIGNMENT, [0, 1]), ValueError, "2 labels for 1 words"),
    ("label not an int", lambda t: align.align_labels(ALIGNMENT, ["B-PER"]), TypeError, "label2id"),
    ("labels one string", lambda t: align.align_labels(ALIGNMENT, "O"), TypeError, "list of ints"),
    ("B- without I-", lambda t: align.b_to_i_continuation(["O", "B-x"]), ValueError, "'B-x' has no matching 'I-x'"),
    ("token values mismatch", lambda t: align.token_values_to_words(ALIGNMENT, [0, 1]), ValueError, "2 token values for 3 tokens"),
    # assets and models
    ("unknown asset", lambda t: assets.get_asset("bert-large"), KeyError, "known assets: gpt2_bpe"),
    ("empty model name", lambda t: models.model_name("  "), ValueError, "non-empty string or None"),
    ("missing model folder", lambda t: models.model_path("./no-such-folder"), models.ModelNotAvailableError, "does not exist; give an existing folder"),
    ("unknown hub model offline", lambda t: models.load_tokenizer_and_model("no-such-org/no-such-bert"), models.ModelNotAvailableError, "name=None"),
    # setup
    ("negative seed", lambda t: setup.setup_notebook(seed=-1), ValueError, "non-negative int, got -1"),
    ("zero threads", lambda t: setup.setup_notebook(threads=0), ValueError, "positive int or None"),
    # data
    ("split empty", lambda t: data.split_dataset([]), ValueError, "empty dataset"),
    ("split fractions", lambda t: data.split_dataset([1, 2], fractions=(0.5, 0.6, 0.1)), ValueError, "summing to 1"),
    ("movie reviews missing file", lambda t: data.read_movie_reviews(Path("/no/such/file.txt")), FileNotFoundError, "file.txt"),
    # batching
    ("pad empty batch", lambda t: batching.pad_batch([], 0), ValueError, "at least one example"),
    ("pad unknown padding", lambda t: batching.pad_batch([{"input_ids": [1]}], 0, padding="max"), ValueError, "padding must be one of"),
    ("pad without input_ids", lambda t: batching.pad_batch([{"ids": [1]}], 0), KeyError, "tokenize it first"),
    ("pad max_length missing", lambda t: batching.pad_batch([{"input_ids": [1]}], 0, padding="max_length"), ValueError, "needs max_length"),
    ("pad longer than max_length", lambda t: batching.pad_batch([{"input_ids": [1, 2, 3]}], 0, padding="max_length", max_length=2), ValueError, "3 tokens, more than max_length=2"),
    ("batch size zero", lambda t: batching.sorted_batches([3, 4], 0), ValueError, "positive int, got 0"),
    ("batch size float", lambda t: batching.in_order_batches(4, 2.0), ValueError, "positive int, got 2.0"),
    ("pool factor zero", lambda t: batching.length_grouped_batches([3], 2, seed=0, pool_factor=0), ValueError, "pool_factor must be a positive int"),
    # embed
    ("sentences one string", lambda t: embed.embed_sentences("good film", t, None), TypeError, r"wrap it: \[text\]"),
    ("sentences empty", lambda t: embed.padding_cost([], t), ValueError, "non-empty list"),
    ("sentence not a str", lambda t: embed.padding_cost(["a", None], t), TypeError, "sentence 1 is None"),
    ("unknown pooling", lambda t: embed.embed_sentences(["a"], t, None, pooling="max"), ValueError, "pooling must be one of"),
    ("embed batch size", lambda t: embed.padding_cost(["a"], t, batch_size=-1), ValueError, "positive int, got -1"),
    ("mean_pool mask shape", lambda t: embed.mean_pool(torch.zeros(2, 5, 4), torch.ones(2, 4)), ValueError, r"mask of the same batch"),
    # modeling
    ("labels out of range", lambda t: modeling.check_labels(torch.tensor([0, 2]), 2), ValueError, r"label ids \[2\] are outside 0..1"),
    ("negative token label", lambda t: modeling.check_labels(torch.tensor([-5]), 3, ignore_index=-100), ValueError, r"\[-5\]"),
    # training
    ("dataset empty", lambda t: training.TokenizedDataset([]), ValueError, "dataset is empty"),
    ("example without input_ids", lambda t: training.TokenizedDataset([{"text": "a"}]), KeyError, "tokenize the texts first"),
    ("texts and labels mismatch", lambda t: training.tokenize_sentences(["a", "b"], [0], t, num_labels=2), ValueError, "2 texts but 1 labels"),
    ("texts one string", lambda t: training.tokenize_sentences("ab", [0, 1], t, num_labels=2), TypeError, "wrap it"),
    ("text not a str", lambda t: training.tokenize_sentences([None], [0], t, num_labels=2), TypeError, "text 0 is None"),
    ("class label out of range", lambda t: training.tokenize_sentences(["a"], [2], t, num_labels=2), ValueError, r"label 0 is 2; labels must be ints in 0..1"),
    ("no training texts", lambda t: training.tokenize_sentences([], [], t, num_labels=2), ValueError, "dataset is empty"),
    ("non-positive lr", lambda t: training.make_optimizer_and_scheduler(torch.nn.Linear(2, 2), lr=0, num_training_steps=3), ValueError, "lr must be a positive"),
    ("zero training steps", lambda t: training.make_optimizer_and_scheduler(torch.nn.Linear(2, 2), lr=1e-4, num_training_steps=0), ValueError, "num_training_steps must be a positive int"),
    ("warmup ratio", lambda t: training.make_optimizer_and_scheduler(torch.nn.Linear(2, 2), lr=1e-4, num_training_steps=3, warmup_ratio=1.5), ValueError, r"warmup_ratio must be in \[0, 1\)"),
    ("everything frozen", lambda t: training.make_optimizer_and_scheduler(TinyModel(), lr=1e-4, num_training_steps=3), ValueError, "no trainable parameters"),
    ("train on no batches", lambda t: training.train_one_epoch(None, [], None, None, "cpu"), ValueError, "no batches to train on"),
    ("predict no batches", lambda t: training.predict_logits(torch.nn.Linear(2, 2), [], "cpu"), ValueError, "no batches to predict"),
    # baseline
    ("baseline without data", lambda t: baseline.frozen_feature_accuracy(t, None, [], REVIEWS), ValueError, "at least one review"),
    # ner
    ("encode no sentences", lambda t: ner.encode_tagged([], t, LABEL2ID), ValueError, "at least one tagged sentence"),
    ("words and tags mismatch", lambda t: ner.encode_tagged([TaggedSentence(("a", "b"), ("O",))], t, LABEL2ID), ValueError, "2 words but 1 tags"),
    ("tag not in label2id", lambda t: ner.encode_tagged([TaggedSentence(("a",), ("B-person",))], t, LABEL2ID), KeyError, "B-person"),
    ("tag not BIO", lambda t: ner.tag_names([TaggedSentence(("a",), ("PER",))]), ValueError, r"tag 0 is 'PER'; BIO tags"),
    ("entities mismatch", lambda t: ner.entities(["a", "b"], ["O"]), ValueError, "2 words but 1 tags"),
    ("entities bad tag", lambda t: ner.entities(["a"], ["S-PER"]), ValueError, "IOBES"),
    ("id2label without O", lambda t: ner.predict_word_tags(None, None, {0: "B-x"}, "cpu", pad_token_id=0), ValueError, "no 'O' tag"),
    # plots
    ("heatmap not 2-D", lambda t: plots.plot_heatmap([1, 2], ["a"], ["b"], title="", xlabel="", ylabel="", colorbar_label=""), ValueError, "must be 2-D"),
    ("heatmap labels mismatch", lambda t: plots.plot_heatmap([[1, 2]], ["a"], ["b"], title="", xlabel="", ylabel="", colorbar_label=""), ValueError, "does not match 1 row labels and 1 column"),
    ("curve empty", lambda t: plots.plot_curve([], title="", xlabel="", ylabel=""), ValueError, "ys is empty"),
    ("curve smoothing", lambda t: plots.plot_curve([1.0], title="", xlabel="", ylabel="", smooth=0), ValueError, "smooth must be a positive int"),
]  # fmt: skip


@pytest.mark.parametrize(
    ("call", "error", "message"), [c[1:] for c in CASES], ids=[c[0] for c in CASES]
)
def test_bad_input_gives_a_clear_error(call, error, message, tokenizer):
    with pytest.raises(error, match=message):
        call(tokenizer)


def test_device_variable_names_the_value(monkeypatch):
    monkeypatch.setenv(setup.DEVICE_ENV, "cuda:7" if not torch.cuda.is_available() else "tpu")
    with pytest.raises(ValueError, match=setup.DEVICE_ENV):
        setup.choose_device()


def test_the_table_covers_every_module():
    modules = {c[1].__code__.co_names[0] for c in CASES}
    assert {"align", "assets", "models", "setup", "data", "batching", "embed", "modeling",
            "training", "baseline", "ner", "plots"} <= modules  # fmt: skip
