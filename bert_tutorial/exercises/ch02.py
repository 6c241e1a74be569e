"""Checks for the five exercises of notebook 02 (a pretrained BERT, used directly).

Each check recomputes what it needs from the learner's own inputs with the packaged model
(all-MiniLM-L6-v2, loaded on the first check): attention per head, pooled vectors, padding
counts. Exercise 4 calls the learner's function on sentences they have not seen. Exercise 5's
timings depend on the machine, so only the token counts and the explanation are checked.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from bert_tutorial.exercises import (
    Exercise,
    Incorrect,
    ____,
    as_list,
    call_learner,
    choice,
    strings,
    type_name,
    whole_number,
)

__all__ = ["____", "exercise1", "exercise2", "exercise3", "exercise4", "exercise5"]
SOLUTIONS = "notebooks/solutions/02_pretrained_bert_solutions.ipynb"


@cache
def tokenizer_and_model() -> tuple[Any, Any]:
    """Return the packaged tokenizer and model, with the attention that returns its weights."""
    from transformers import BertModel, BertTokenizer

    from bert_tutorial.models import model_path

    tokenizer = BertTokenizer.from_pretrained(model_path())
    model = BertModel.from_pretrained(model_path(), attn_implementation="eager").eval()
    return tokenizer, model


def run_model(texts: list[str], **options: Any) -> tuple[Any, Any]:
    """Return the packaged model's outputs for `texts` (padded together) and the batch."""
    import torch

    tokenizer, model = tokenizer_and_model()
    batch = tokenizer(texts, padding=True, truncation=True, return_tensors="pt")
    with torch.inference_mode():
        return model(**batch, **options), batch


def as_matrix(value: Any, name: str, rows: int, columns: int | None = None) -> Any:
    """Return `value` (tensor, array or nested lists) as a float tensor of the expected shape."""
    import torch

    if value is None:
        raise Incorrect(f"{name} is None; did the cell forget to assign it?")
    try:
        matrix = torch.as_tensor(value.detach().cpu() if hasattr(value, "detach") else value)
        matrix = matrix.float()
    except (TypeError, ValueError, RuntimeError):
        raise Incorrect(f"{name} is {type_name(value)}, expected a matrix of numbers") from None
    shape = (rows, columns if columns is not None else rows)
    if matrix.ndim != 2 or matrix.shape[0] != rows or (columns and matrix.shape[1] != columns):
        raise Incorrect(f"{name} has shape {tuple(matrix.shape)}, expected {shape}")
    return matrix


def cosine_matrix(vectors: Any) -> Any:
    """Return every pair's cosine similarity of `vectors` (one per row)."""
    import torch

    vectors = torch.nn.functional.normalize(vectors.float(), dim=-1)
    return vectors @ vectors.T


# Exercise 1 · a head for the next token, a head for [CLS] ------------------------------

MOSTLY = 0.5  # "mostly": more than half of each token's attention, on average


def head_scores(text: str) -> dict[str, Any]:
    """Return each head's average attention to the next token, previous token and [CLS]."""
    import torch

    outputs, _ = run_model([text], output_attentions=True)
    attention = torch.stack(outputs.attentions)[:, 0]  # (layers, heads, query, key)
    return {
        "next": attention.diagonal(offset=1, dim1=-2, dim2=-1).mean(-1),  # (layers, heads)
        "previous": attention.diagonal(offset=-1, dim1=-2, dim2=-1).mean(-1),
        "[CLS]": attention[..., :, 0].mean(-1),
    }


def a_head(value: Any, name: str, layers: int, heads: int) -> tuple[int, int]:
    """Return `value` as a (layer, head) pair in range, or raise Incorrect saying what is off."""
    if not isinstance(value, list | tuple) or len(value) != 2:
        raise Incorrect(f"{name} is {value!r}; expected a pair (layer, head) such as (0, 2)")
    layer, head = (whole_number(v, name) for v in value)
    if not (0 <= layer < layers and 0 <= head < heads):
        raise Incorrect(
            f"{name} is {(layer, head)}; layers are counted 0-{layers - 1} and heads "
            f"0-{heads - 1}, from 0 as in section 5"
        )
    return layer, head


def check_head(scores: dict[str, Any], target: str, name: str, pair: Any) -> float:
    """Return the head's share of attention to `target`, or raise Incorrect diagnosing it."""
    layers, heads = scores[target].shape
    layer, head = a_head(pair, name, layers, heads)
    share = float(scores[target][layer, head])
    if share > MOSTLY:
        return share
    best = float(scores[target].max())
    if best <= MOSTLY:
        raise Incorrect(
            f"on your text no head puts more than half of its attention on the {target} "
            f"token (at most {best:.0%}); use section 5's sentence, text"
        )
    rare = float((scores[target] > MOSTLY).float().mean()) < 0.25  # else a neighbour proves little
    for other, what in [((layer - 1, head - 1), "counted from 1"), ((head, layer), "swapped")]:
        if rare and 0 <= other[0] < layers and 0 <= other[1] < heads:
            if float(scores[target][other]) > MOSTLY:
                raise Incorrect(
                    f"{name} = {(layer, head)} looks {what}: write (layer, head), both counted "
                    f"from 0 as in section 5"
                )
    mostly = max(scores, key=lambda key: float(scores[key][layer, head]))
    if mostly != target and float(scores[mostly][layer, head]) > MOSTLY:
        raise Incorrect(
            f"layer {layer}, head {head} puts {share:.0%} of each token's attention on the "
            f"{target} token on average; it attends mostly to the {mostly} token"
        )
    raise Incorrect(
        f"layer {layer}, head {head} puts {share:.0%} of each token's attention on the {target} "
        f"token on average, not most of it"
    )


def check_heads(text: Any, next_head: Any, cls_head: Any) -> str:
    """Exercise 1: `next_head` and `cls_head` attend mostly to the next token and to [CLS]."""
    if not isinstance(text, str) or len(text.split()) < 3:
        raise Incorrect(f"text is {text!r}; expected a sentence of a few words (section 5's text)")
    scores = head_scores(text)
    to_next = check_head(scores, "next", "next_head", next_head)
    to_cls = check_head(scores, "[CLS]", "cls_head", cls_head)
    return (
        f"layer {next_head[0]}, head {next_head[1]} puts {to_next:.0%} of each token's "
        f"attention on the next token; layer {cls_head[0]}, head {cls_head[1]} puts {to_cls:.0%} "
        f"on [CLS]: positional patterns that say little about meaning on their own"
    )


exercise1 = Exercise(
    number=1,
    todo="replace each ____ with a (layer, head) pair, both counted from 0; then run the cell",
    expects="two (layer, head) pairs of whole numbers, e.g. (0, 2)",
    checker=check_heads,
    hint_text="Plot a few heads with section 5's cell, or score all 72 at once: for the next "
    "token, the average of attentions[layer][0, head].diagonal(offset=1); for [CLS], the "
    "average of column 0.",
    solution_code="""
scores = torch.stack(attentions)[:, 0]  # (layers, heads, query, key)
to_next = scores.diagonal(offset=1, dim1=-2, dim2=-1).mean(-1)  # (layers, heads)
to_cls = scores[..., :, 0].mean(-1)
next_head = divmod(int(to_next.argmax()), to_next.shape[1])  # (layer, head)
cls_head = divmod(int(to_cls.argmax()), to_cls.shape[1])
exercise1.check(text, next_head, cls_head)
""",
    solutions_notebook=SOLUTIONS,
)


# Exercise 2 · pooler_output as the sentence vector -------------------------------------

WHY_POOLER = {
    "b": "a compressed scale is not as good: unrelated pairs still score high with the pooler, "
    "so no threshold separates them, where mean pooling puts them near 0",
    "c": "the original BERT trained its pooler for next-sentence prediction; the packaged "
    "all-MiniLM-L6-v2 never trained it (section 2: its bias is all zeros)",
}


def check_pooler(sentences: Any, pooler_similarity: Any, why: Any = None) -> str:
    """Exercise 2: the cosine similarity matrix of `pooler_output`, and why it looks as it does."""
    import torch

    from bert_tutorial.embed import mean_pool

    sentences = strings(sentences, "sentences")
    if len(sentences) < 2:
        raise Incorrect("sentences holds fewer than 2 sentences; use section 4's pairs")
    mine = as_matrix(pooler_similarity, "pooler_similarity", len(sentences))
    outputs, batch = run_model(sentences)
    pooler = cosine_matrix(outputs.pooler_output)
    if not mine.allclose(pooler, atol=1e-3):
        alternatives = {
            "the [CLS] vectors before the pooler (last_hidden_state[:, 0])": cosine_matrix(
                outputs.last_hidden_state[:, 0]),
            "the mean-pooled vectors": cosine_matrix(
                mean_pool(outputs.last_hidden_state, batch["attention_mask"])),
            "dot products of unnormalised pooler vectors; normalise them first": (
                outputs.pooler_output @ outputs.pooler_output.T),
        }  # fmt: skip
        for what, matrix in alternatives.items():
            if mine.allclose(matrix, atol=1e-3):
                raise Incorrect(f"your matrix is the cosine similarity of {what}")
        raise Incorrect(
            "your matrix is not the cosine similarity of the sentences' pooler_output "
            "vectors (normalise, then multiply by the transpose)"
        )
    choice(why, WHY_POOLER, right="a")
    off_diagonal = ~torch.eye(len(sentences), dtype=torch.bool)
    mean = cosine_matrix(mean_pool(outputs.last_hidden_state, batch["attention_mask"]))
    return (
        f"different sentences score {pooler[off_diagonal].mean():.2f} on average with the "
        f"pooler, {mean[off_diagonal].mean():.2f} with mean pooling: the pooler only reshapes "
        f"[CLS] vectors, which section 4 shows scoring every pair high; nothing trained either "
        f"to summarise a sentence"
    )


exercise2 = Exercise(
    number=2,
    todo="replace each ____: pooler_similarity = the cosine similarity matrix of the "
    "pooler_output vectors of section 4's pairs; why = your choice; then run the cell",
    expects='a square matrix (tensor or array) and why="a", "b" or "c"',
    checker=check_pooler,
    hint_text="Run the model on the padded batch of pairs, take outputs.pooler_output, "
    "normalise each row with torch.nn.functional.normalize(..., dim=-1) and multiply by its "
    "transpose, as section 4 does for mean_vectors.",
    solution_code="""
encoded = tokenizer(pairs, padding=True, return_tensors="pt").to(device)
with torch.inference_mode():
    pooled = model(**encoded).pooler_output
pooled = torch.nn.functional.normalize(pooled, dim=-1)
pooler_similarity = (pooled @ pooled.T).cpu()
why = "a"  # every pair scores high: the pooler was never trained in this model
exercise2.check(pairs, pooler_similarity, why=why)
""",
    solutions_notebook=SOLUTIONS,
)


# Exercise 3 · a classifier on [CLS] vectors --------------------------------------------

SAMPLE = 16  # rows of the learner's vectors recomputed by the check


def as_rows(value: Any, name: str) -> Any:
    """Return vectors (tensor or array, one row per text) as a float numpy array."""
    import numpy as np

    if hasattr(value, "detach"):
        value = value.detach().float().cpu().numpy()
    try:
        rows = np.asarray(value, dtype=np.float32)
    except (TypeError, ValueError):
        raise Incorrect(f"{name} is {type_name(value)}, expected one vector per text") from None
    if rows.ndim != 2:
        raise Incorrect(f"{name} has shape {rows.shape}, expected (texts, 384)")
    return rows


def check_cls_classifier(
    test_texts: Any, test_labels: Any, cls_test_vectors: Any, cls_classifier: Any,
    cls_accuracy: Any,
) -> str:  # fmt: skip
    """Exercise 3: [CLS] vectors of the test texts, a classifier fitted on such, its accuracy."""
    import torch

    from bert_tutorial import noise
    from bert_tutorial.embed import mean_pool

    texts = strings(test_texts, "test_texts")
    labels = [
        whole_number(y, "test_labels")
        for y in as_list(test_labels, "test_labels", "one label id per text")
    ]
    if len(labels) != len(texts) or len(texts) < 2:
        raise Incorrect(f"{len(labels)} test_labels for {len(texts)} test_texts; one each")
    vectors = as_rows(cls_test_vectors, "cls_test_vectors")
    if vectors.shape[0] != len(texts):
        raise Incorrect(f"cls_test_vectors has {vectors.shape[0]} rows for {len(texts)} texts")
    outputs, batch = run_model(texts[:SAMPLE])
    candidates = {
        "cls": outputs.last_hidden_state[:, 0],
        "mean": mean_pool(outputs.last_hidden_state, batch["attention_mask"]),
        "pooler": outputs.pooler_output,
    }
    sample = torch.as_tensor(vectors[:SAMPLE])  # compared by direction: normalised or not
    agrees = {name: bool(torch.nn.functional.cosine_similarity(sample, v, dim=-1).min() > 0.999)
              for name, v in candidates.items()}  # fmt: skip
    if not agrees["cls"]:
        if agrees["mean"]:
            raise Incorrect("cls_test_vectors are mean-pooled (embed_sentences' default); "
                            'pass pooling="cls"')  # fmt: skip
        if agrees["pooler"]:
            raise Incorrect("cls_test_vectors are pooler_output, the tanh layer over [CLS]; "
                            "the exercise asks for the [CLS] vector itself")  # fmt: skip
        raise Incorrect("cls_test_vectors are not the [CLS] vectors of test_texts, in order")
    if not (hasattr(cls_classifier, "predict") and hasattr(cls_classifier, "coef_")):
        raise Incorrect(f"cls_classifier is {type_name(cls_classifier)}; expected a "
                        "LogisticRegression fitted with .fit(vectors, labels)")  # fmt: skip
    if cls_classifier.n_features_in_ != vectors.shape[1]:
        raise Incorrect(f"cls_classifier was fitted on {cls_classifier.n_features_in_} features, "
                        f"the vectors have {vectors.shape[1]}")  # fmt: skip
    predicted = cls_classifier.predict(vectors)
    correct = [int(p) == y for p, y in zip(predicted, labels, strict=True)]
    accuracy = sum(correct) / len(correct)
    if isinstance(cls_accuracy, bool) or not isinstance(cls_accuracy, int | float):
        raise Incorrect(f"cls_accuracy is {cls_accuracy!r}, expected a fraction such as 0.7")
    if 1 < cls_accuracy <= 100 and abs(cls_accuracy / 100 - accuracy) < 1e-3:
        raise Incorrect(f"cls_accuracy is {cls_accuracy}, a percentage; give it as a fraction")
    if abs(cls_accuracy - accuracy) > 1e-3:
        raise Incorrect(
            f"cls_accuracy is {cls_accuracy:.3f}, but cls_classifier gets {accuracy:.3f} of "
            f"the test vectors right; score it on cls_test_vectors and test_labels"
        )
    majority = max(labels.count(label) for label in set(labels)) / len(labels)
    if accuracy <= majority:
        raise Incorrect(
            f"cls_classifier gets {accuracy:.3f} of the test sentences right, no more than "
            f"always predicting the majority class ({majority:.3f}); was it fitted on "
            f"other vectors (the mean-pooled train_vectors?) or other labels?"
        )
    estimate = noise.accuracy(correct)
    return (
        f"[CLS] vectors: accuracy {accuracy:.3f} on {len(texts):,} sentences (95% interval "
        f"{estimate.low / 100:.3f} to {estimate.high / 100:.3f}); compare with "
        f"baseline_accuracy, section 8's mean-pooled vectors: this model was trained to be "
        f"mean-pooled"
    )


exercise3 = Exercise(
    number=3,
    todo="replace each ____: [CLS] vectors of the training and test sentences, a logistic "
    "regression fitted on the training ones, and its test accuracy; then run the cell",
    expects="vectors (tensor or array, one row per text), a fitted LogisticRegression and an "
    "accuracy between 0 and 1",
    checker=check_cls_classifier,
    hint_text='embed_sentences(texts, tokenizer, model, pooling="cls", progress=False) gives '
    "the [CLS] vectors; fit on the training vectors with train_labels, then "
    "classifier.score(...) on the test vectors with test_labels.",
    solution_code="""
test_texts = [r.text for r in test_reviews]
cls_train_vectors = embed_sentences([r.text for r in train_reviews], tokenizer, model,
                                    pooling="cls", normalize=True, progress=False)
cls_test_vectors = embed_sentences(test_texts, tokenizer, model, pooling="cls",
                                   normalize=True, progress=False)
cls_classifier = LogisticRegression(max_iter=2000).fit(cls_train_vectors.numpy(), train_labels)
cls_accuracy = cls_classifier.score(cls_test_vectors.numpy(), test_labels)
exercise3.check(test_texts, test_labels, cls_test_vectors, cls_classifier, cls_accuracy)
""",
    solutions_notebook=SOLUTIONS,
)


# Exercise 4 · the average of the last two layers, mean-pooled ---------------------------

# Hidden cases: sentences of different lengths, so that the batch holds padding.
HIDDEN_SENTENCES = [
    "Great film.",
    "A slow, meandering plot that never quite finds its footing, despite a fine cast.",
    "Naïve but charming: the café scenes are lovely.",
]


def check_last_two_layers(last_two_layers_pool: Any) -> str:
    """Exercise 4: the function mean-pools the average of the last two layers, padding aside."""
    import torch

    from bert_tutorial.embed import mean_pool

    if not callable(last_two_layers_pool):
        raise Incorrect(f"got {type_name(last_two_layers_pool)}; pass the function itself "
                        "(no parentheses)")  # fmt: skip
    outputs, batch = run_model(HIDDEN_SENTENCES, output_hidden_states=True)
    hidden, mask = outputs.hidden_states, batch["attention_mask"]
    case = f"a padded batch of {len(HIDDEN_SENTENCES)} sentences"
    result = call_learner(last_two_layers_pool, hidden, mask, case=case)
    mine = as_matrix(result, "your function's result", len(HIDDEN_SENTENCES))
    expected = mean_pool((hidden[-1] + hidden[-2]) / 2, mask)
    if mine.shape != expected.shape:
        if mine.shape[1] == 2 * expected.shape[1]:
            raise Incorrect(f"your vectors have {mine.shape[1]} numbers: the two layers are "
                            "concatenated; average them instead")  # fmt: skip
        raise Incorrect(f"your function returned shape {tuple(mine.shape)}, expected "
                        f"{tuple(expected.shape)}: one vector per sentence")  # fmt: skip
    unit_length = torch.nn.functional.normalize(expected, dim=-1)  # normalised is right too
    if mine.allclose(expected, atol=1e-4) or mine.allclose(unit_length, atol=1e-4):
        return (
            "your function mean-pools the average of the last two layers, padding left out, "
            "on sentences you had not seen; fit section 8's classifier on its vectors and "
            "compare with baseline_accuracy"
        )
    mistakes = {
        "it averages over the padding too: mean-pool with the attention mask": (
            ((hidden[-1] + hidden[-2]) / 2).mean(dim=1)),
        "it pools the last layer only": mean_pool(hidden[-1], mask),
        "it pools the first two hidden states (the embeddings and layer 0), not the last "
        "two: count from the end, hidden_states[-1] and [-2]": mean_pool(
            (hidden[0] + hidden[1]) / 2, mask),
        "it adds the two layers instead of averaging them": mean_pool(hidden[-1] + hidden[-2],
                                                                      mask),
        "it takes position 0 ([CLS]), not the mean of the tokens": (
            (hidden[-1] + hidden[-2])[:, 0] / 2),
    }  # fmt: skip
    for mistake, wrong in mistakes.items():
        if mine.allclose(wrong, atol=1e-4):
            raise Incorrect(f"on {case}, {mistake}")
    raise Incorrect(f"on {case}, your vectors differ from the mean-pooled average of "
                    "hidden_states[-1] and hidden_states[-2]")  # fmt: skip


exercise4 = Exercise(
    number=4,
    todo="write last_two_layers_pool's body (replace ____), then run the cell: the check "
    "calls it on a padded batch of sentences you have not seen",
    expects="a function (hidden_states, attention_mask) -> one vector per sentence",
    checker=check_last_two_layers,
    hint_text="hidden_states[-1] is the last layer and hidden_states[-2] the one before; "
    "average them, then pool with section 4's mean_pool so that padding does not count.",
    solution_code="""
def last_two_layers_pool(hidden_states, attention_mask):
    averaged = (hidden_states[-1] + hidden_states[-2]) / 2  # (batch, seq_len, hidden)
    return mean_pool(averaged, attention_mask)  # (batch, hidden)


exercise4.check(last_two_layers_pool)
""",
    solutions_notebook=SOLUTIONS,
)


# Exercise 5 · batch size and sorted dynamic padding ------------------------------------

BATCH_SIZES = (8, 32, 128)
WHY_BATCH = {
    "a": "bigger batches are not always faster here: sorted by length, a bigger batch spans "
    "more lengths and pads more (your token counts grow with it), and a CPU gains little "
    "from fewer calls",
    "c": "the sentences are the same, but the tokens processed are not: the padding grows "
    "with the batch (your token counts)",
}


def check_batch_sizes(texts: Any, tokens: Any, speeds: Any, why: Any = None) -> str:
    """Exercise 5: tokens processed and speeds per batch size, and why they move as they do."""
    from bert_tutorial.embed import padding_cost

    texts = strings(texts, "texts")
    tokenizer, _ = tokenizer_and_model()
    for name, value in [("tokens", tokens), ("speeds", speeds)]:
        if not isinstance(value, dict) or sorted(value) != sorted(BATCH_SIZES):
            keys = sorted(value) if isinstance(value, dict) else type_name(value)
            raise Incorrect(f"{name} is keyed by {keys}; expected a dict keyed by the batch "
                            f"sizes {BATCH_SIZES}")  # fmt: skip
    real = padding_cost(texts, tokenizer)[0]
    for size in BATCH_SIZES:
        counted = whole_number(tokens[size], f"tokens[{size}]")
        expected = padding_cost(texts, tokenizer, batch_size=size)[1]
        if counted == expected:
            continue
        unsorted = padding_cost(texts, tokenizer, batch_size=size, sort_by_length=False)[1]
        if counted == real:
            raise Incorrect(
                f"tokens[{size}] is {counted:,}, the real tokens; count the "
                "processed ones, padding included (padding_cost's second number)"
            )
        if counted == unsorted:
            raise Incorrect(
                f"tokens[{size}] is {counted:,}, batches in the texts' order; "
                "the exercise sorts by length (dynamic + sorted)"
            )
        raise Incorrect(f"tokens[{size}] is {counted:,}; padding_cost gives {expected:,} "
                        f"tokens processed at batch size {size}")  # fmt: skip
    for size in BATCH_SIZES:
        speed = speeds[size]
        if isinstance(speed, bool) or not isinstance(speed, int | float) or speed <= 0:
            raise Incorrect(f"speeds[{size}] is {speed!r}; expected sentences per second, a "
                            "positive number")  # fmt: skip
    choice(why, WHY_BATCH, right="b")
    counts = ", ".join(f"{tokens[size]:,}" for size in BATCH_SIZES)
    return (
        f"batch sizes {BATCH_SIZES} process {counts} tokens for {real:,} real ones: a bigger "
        f"sorted batch pads more, a smaller one makes more calls; which costs more depends on "
        f"the hardware (on a GPU, the calls)"
    )


exercise5 = Exercise(
    number=5,
    todo="replace each ____: tokens and speeds as dicts keyed by batch size 8, 32 and 128, "
    "and why = your choice; then run the cell",
    expects='two dicts keyed by 8, 32 and 128 and why="a", "b" or "c"',
    checker=check_batch_sizes,
    hint_text="padding_cost(sample, tokenizer, batch_size=size) returns (real, processed); "
    "time embed_sentences(sample, tokenizer, model, batch_size=size, progress=False) with "
    "best_in_turns, as section 9 does, and divide len(sample) by its seconds.",
    solution_code="""
tokens = {size: padding_cost(sample, tokenizer, batch_size=size)[1] for size in (8, 32, 128)}
runs = {
    size: lambda size=size: embed_sentences(sample, tokenizer, model, batch_size=size,
                                            progress=False)
    for size in (8, 32, 128)
}
speeds = {size: len(sample) / seconds for size, seconds in best_in_turns(runs).items()}
why = "b"  # bigger sorted batches pad more; small ones pay per call
exercise5.check(sample, tokens, speeds, why=why)
""",
    solutions_notebook=SOLUTIONS,
)
