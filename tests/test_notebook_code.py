"""Code the notebooks write out by hand agrees with the tested package versions of the same name."""

from collections import Counter
from types import SimpleNamespace

import pytest
import torch
from hypothesis import event, given, settings
from notebook_cells import definition, run_cell
from test_align_properties import words_strategy

from bert_tutorial import align, batching, embed, modeling, training
from bert_tutorial.align import align_words
from bert_tutorial.data import read_wnut16
from bert_tutorial.models import model_path
from bert_tutorial.setup import seed_everything

NB01, NB02 = "01_tokenizer.ipynb", "02_pretrained_bert.ipynb"
NB03, NB04 = "03_finetuning_bert.ipynb", "04_token_classification.ipynb"
NB05 = "05_the_hugging_face_way.ipynb"
TEXTS = ["a joy to watch", "dull", "one of the year's best films", "a tedious, overlong mess"]


def notebook_01_loop(words, tokenizer):
    """Run notebook 01's `orig_to_tok_index` cell on `words`; return (tokens, orig_to_tok_index)."""
    presplit = SimpleNamespace(split=lambda: list(words))  # the cell splits `sentence` itself
    namespace = {"sentence": presplit, "tokenizer": tokenizer, "print": lambda *args: None}
    run_cell(NB01, "orig_to_tok_index = []", namespace)
    return namespace["tokens"], namespace["orig_to_tok_index"]


def test_notebook_01_loop_agrees_with_align_words_on_every_wnut_tweet(tokenizer):
    for sentence in read_wnut16():
        tokens, orig_to_tok_index = notebook_01_loop(sentence.words, tokenizer)
        alignment = align_words(sentence.words, tokenizer)
        assert tokens == alignment.tokens, sentence.words
        assert orig_to_tok_index == alignment.word_to_first_token, sentence.words


@settings(max_examples=200, deadline=None)
@given(words=words_strategy)
def test_notebook_01_loop_agrees_with_align_words_on_hard_words(words, tokenizer):
    if any(not tokenizer.tokenize(word) for word in words):
        event("a word without tokens: the plain loop points it at the next word")
        return
    tokens, orig_to_tok_index = notebook_01_loop(words, tokenizer)
    if len(tokens) > tokenizer.model_max_length:
        event("too long for the model")
        return
    event("compared")
    alignment = align_words(words, tokenizer)
    assert alignment.tokens == tokens
    assert alignment.word_to_first_token == orig_to_tok_index


def test_notebook_02_mean_pool_matches_the_package():
    mean_pool = definition(NB02, "def mean_pool", {})["mean_pool"]
    hidden = torch.randn(3, 5, 4)
    mask = torch.tensor([[1, 1, 1, 0, 0], [1, 1, 1, 1, 1], [1, 0, 0, 0, 0]])
    torch.testing.assert_close(mean_pool(hidden, mask), embed.mean_pool(hidden, mask))


@pytest.fixture
def features(tokenizer):
    encoded = tokenizer(TEXTS)
    return [{"input_ids": ids, "labels": i % 2} for i, ids in enumerate(encoded["input_ids"])]


def test_notebook_03_model_class_matches_the_package(tokenizer, features):
    namespace = definition(NB03, "class BertSentenceClassifier")
    ours = namespace["BertSentenceClassifier"].from_pretrained(model_path(), num_labels=2).eval()
    package = modeling.BertSentenceClassifier.from_pretrained(model_path(), num_labels=2).eval()
    package.load_state_dict(ours.state_dict())
    batch = batching.pad_batch(features, tokenizer.pad_token_id)
    torch.testing.assert_close(ours(**batch).logits, package(**batch).logits)
    torch.testing.assert_close(ours(**batch).loss, package(**batch).loss)


@pytest.mark.parametrize("num_layers", [0, 2, 6])
def test_notebook_03_freeze_layers_matches_the_package(num_layers):
    freeze_layers = definition(NB03, "def freeze_layers")["freeze_layers"]
    ours = freeze_layers(
        modeling.BertSentenceClassifier.from_pretrained(model_path(), num_labels=2), num_layers
    )
    package = modeling.freeze_layers(
        modeling.BertSentenceClassifier.from_pretrained(model_path(), num_labels=2), num_layers
    )
    trainable = [
        {name for name, p in model.named_parameters() if p.requires_grad}
        for model in (ours, package)
    ]
    assert trainable[0] == trainable[1]
    assert "classifier.weight" in trainable[0]
    assert not any(name.startswith("bert.embeddings.") for name in trainable[0])


def test_notebook_03_dataset_matches_the_package(tokenizer):
    namespace = definition(NB03, "def tokenize_sentences", {})
    labels = [1, 0, 1, 0]
    ours = namespace["tokenize_sentences"](TEXTS, labels, tokenizer)
    package = training.tokenize_sentences(TEXTS, labels, tokenizer, num_labels=2)
    assert type(ours).__name__ == type(package).__name__ == "TokenizedDataset"
    assert ours.features == package.features and ours.lengths() == package.lengths()


def test_notebook_03_pad_batch_matches_the_package(tokenizer, features):
    namespace = definition(NB03, "def pad_batch", {"torch": torch})
    ours = namespace["pad_batch"](features, tokenizer.pad_token_id)
    package = batching.pad_batch(features, tokenizer.pad_token_id)
    assert ours.keys() == package.keys()
    for key in ours:
        assert torch.equal(ours[key], package[key]), key


def test_notebook_03_training_loop_matches_the_package(features):
    from tqdm.auto import tqdm

    namespace = {"device": torch.device("cpu"), "max_grad_norm": 1.0, "tqdm": tqdm, "torch": torch}
    notebook_train = definition(NB03, "def train_one_epoch", namespace)["train_one_epoch"]
    batches = [batching.pad_batch(features[:2], 0), batching.pad_batch(features[2:], 0)] * 2
    results = []
    for train in (notebook_train, None):
        seed_everything(0)
        model = modeling.BertSentenceClassifier.from_pretrained(model_path(), num_labels=2)
        optimizer, scheduler = training.make_optimizer_and_scheduler(
            model, lr=1e-4, num_training_steps=len(batches)
        )
        if train is None:
            results.append(
                training.train_one_epoch(
                    model, batches, optimizer, scheduler, torch.device("cpu"), progress=False
                )
            )
        else:
            results.append(train(model, batches, optimizer, scheduler))
    assert results[0] == pytest.approx(results[1], rel=1e-6)


def test_notebook_03_predict_logits_matches_the_package(tokenizer, features):
    namespace = {"device": torch.device("cpu"), "torch": torch}
    predict_logits = definition(NB03, "def predict_logits", namespace)["predict_logits"]
    model = modeling.BertSentenceClassifier.from_pretrained(model_path(), num_labels=2)
    batches = [batching.pad_batch(features[:3], 0), batching.pad_batch(features[3:], 0)]
    ours = predict_logits(model, batches)
    assert ours.shape == (len(features), 2)
    assert torch.equal(ours, training.predict_logits(model, batches, torch.device("cpu")))


def test_notebook_04_token_classifier_matches_the_package(tokenizer):
    namespace = definition(NB04, "class BertTokenClassifier")
    ours = namespace["BertTokenClassifier"].from_pretrained(model_path(), num_labels=5).eval()
    package = modeling.BertTokenClassifier.from_pretrained(model_path(), num_labels=5).eval()
    package.load_state_dict(ours.state_dict())
    batch = tokenizer(TEXTS, padding=True, return_tensors="pt")
    labels = torch.where(batch["attention_mask"] == 1, 2, -100)
    torch.testing.assert_close(ours(**batch).logits, package(**batch).logits)
    torch.testing.assert_close(
        ours(**batch, labels=labels).loss, package(**batch, labels=labels).loss
    )


def test_notebook_05_training_arguments_match_the_package():
    from bert_tutorial.recipes import SENTIMENT_RECIPE

    namespace = {"recipe": SENTIMENT_RECIPE, "train_part": range(2000),
                 "device": torch.device("cpu")}  # fmt: skip
    ours = run_cell(NB05, "args = TrainingArguments(", namespace)["args"].to_dict()
    package = training.trainer_arguments(SENTIMENT_RECIPE, 2000, ours["output_dir"], "cpu")
    assert ours == package.to_dict()
    assert ours["warmup_steps"] == 6 and ours["train_sampling_strategy"] == "group_by_length"


def test_notebook_01_best_windows_matches_the_package(tokenizer):
    namespace = definition(NB01, "def best_windows", {"Counter": Counter})
    words = ("Learn Hugging Face Transformers & BERT with PyTorch unbelievably " * 40).split()
    windows = tokenizer(words, is_split_into_words=True, truncation=True, max_length=64,
                        stride=16, return_overflowing_tokens=True)
    assert len(windows["input_ids"]) > 3
    ours = namespace["best_windows"](windows, words, tokenizer)
    assert ours == align.best_windows(windows, words, tokenizer)
    assert [windows.word_ids(w)[p] for w, p in ours] == list(range(len(words)))


def test_notebook_08_masking_by_hand_is_the_package_mask_tokens(tokenizer):
    from bert_tutorial.mlm import mask_tokens

    mask_by_hand = definition("08_masked_language_modelling.ipynb", "def mask_by_hand",
                              {"torch": torch})["mask_by_hand"]
    batch = tokenizer(TEXTS * 10, padding=True, return_tensors="pt",
                      return_special_tokens_mask=True)
    args = (batch["input_ids"], batch["special_tokens_mask"], tokenizer.mask_token_id,
            len(tokenizer), 0.3)
    ours = mask_by_hand(*args, torch.Generator().manual_seed(5))
    package = mask_tokens(*args, torch.Generator().manual_seed(5))
    assert all(torch.equal(a, b) for a, b in zip(ours, package, strict=True))
    assert (ours[1] != -100).any() and (ours[0] == tokenizer.mask_token_id).any()


def test_notebook_06_reloads_its_run_without_initialising_cuda(tmp_path, two_gpus_cuda_forbidden,
                                                                tokenizer):
    # Section 4 runs before section 5's notebook_launcher, in the same process.
    from transformers import BertTokenizer

    from bert_tutorial.modeling import BertSentenceClassifier

    seed_everything(0)
    BertSentenceClassifier.from_pretrained(model_path(), num_labels=2).save_pretrained(
        tmp_path / "whole")
    tokenizer.save_pretrained(tmp_path / "whole")
    namespace = {"runs": tmp_path, "BertSentenceClassifier": BertSentenceClassifier,
                 "BertTokenizer": BertTokenizer, "print": lambda *args: None}
    run_cell("06_scaling_out.ipynb", 'task_pipeline("text-classification"', namespace)
    assert namespace["classify"].device == torch.device("cpu")


NB10 = "10_question_answering.ipynb"


def test_notebook_10_span_extractor_matches_the_package(tokenizer):
    namespace = definition(NB10, "class BertSpanExtractor")
    torch.manual_seed(0)
    ours = namespace["BertSpanExtractor"].from_pretrained(model_path()).eval()
    package = modeling.BertSpanExtractor.from_pretrained(model_path()).eval()
    package.load_state_dict(ours.state_dict())  # the same new head weights in both
    batch = tokenizer(["Who won?"], ["The Broncos won the game."], return_tensors="pt")
    positions = {"start_positions": torch.tensor([4]), "end_positions": torch.tensor([5])}
    a, b = ours(**batch, **positions), package(**batch, **positions)
    torch.testing.assert_close(a.start_logits, b.start_logits)
    torch.testing.assert_close(a.end_logits, b.end_logits)
    torch.testing.assert_close(a.loss, b.loss)


def test_notebook_10_answer_tokens_and_best_in_window_match_the_package():
    from bert_tutorial import qa

    answer_tokens = definition(NB10, "def answer_tokens")["answer_tokens"]
    offsets = [(0, 0), (0, 3), (0, 0), (10, 14), (15, 20), (21, 23), (0, 0)]
    sequence_ids = [None, 0, None, 1, 1, 1, None]
    for start in range(8, 24):
        for end in range(start + 1, 26):
            assert answer_tokens(offsets, sequence_ids, start, end) == qa.answer_positions(
                offsets, sequence_ids, start, end), (start, end)
    best_in_window = definition(NB10, "def best_in_window")["best_in_window"]
    generator = torch.Generator().manual_seed(0)
    window = [None, None, None] + [(i, i + 1) for i in range(3, 40)] + [None]
    for _ in range(50):
        starts, ends = (torch.randn(len(window), generator=generator).tolist() for _ in range(2))
        s, e, score = best_in_window(starts, ends, window, max_answer_tokens=5)
        assert (window[s][0], window[e][1], score) == qa.best_span([starts], [ends], [window],
                                                                   max_answer_tokens=5)
