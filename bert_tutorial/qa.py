"""Extractive question answering (notebook 10): passages cut into windows, answers to token
positions and back, and SQuAD's exact match and F1.

A passage longer than one input is read as overlapping windows (`stride` tokens shared between
neighbours). A window is labelled with the answer's first and last token when it holds the
whole answer, and with the `[CLS]` position (0) when it does not. A prediction is the best
start/end pair over every window of the passage, mapped back to the passage's characters.
"""

from __future__ import annotations

import collections
import re
import string
from collections.abc import Sequence
from dataclasses import dataclass

import torch

from bert_tutorial.batching import pad_batch, sorted_batches
from bert_tutorial.training import TokenizedDataset

TRAINING_FIELDS = ("input_ids", "token_type_ids", "start_positions", "end_positions")


@dataclass(frozen=True)
class QAExample:
    """One SQuAD question: its passage, the gold answers and where the first one starts.

    A question to answer, not to train on, has no answers (`answers=()`).
    """

    id: str
    question: str
    context: str
    answers: tuple[str, ...]
    answer_start: int  # character offset of answers[0] in context
    title: str


def squad_examples(articles: list[dict]) -> list[QAExample]:
    """Return every question of SQuAD-format `articles` as a `QAExample`, in file order.

    SQuAD v1.1 dev has three first answers whose offset is one character early (two of them
    also begin with a space): each is stripped and moved to its nearest occurrence in the passage.
    """
    examples = []
    for article in articles:
        for paragraph in article["paragraphs"]:
            context = paragraph["context"]
            for qa in paragraph["qas"]:
                answer, start = qa["answers"][0]["text"].strip(), qa["answers"][0]["answer_start"]
                if context[start : start + len(answer)] != answer:
                    found = [i for i in range(len(context)) if context.startswith(answer, i)]
                    start = min(found, key=lambda i: abs(i - start)) if found else start
                answers = (answer, *(a["text"] for a in qa["answers"][1:]))
                examples.append(QAExample(qa["id"], qa["question"], context, answers, start,
                                          article["title"]))
    return examples


def answer_positions(
    offsets: Sequence[tuple[int, int]], sequence_ids: Sequence[int | None], start: int, end: int
) -> tuple[int, int]:
    """Return the first and last token of the characters [start, end) in one window, or (0, 0).

    Only passage tokens (sequence id 1) count; (0, 0) points at `[CLS]`: the window does not
    hold the whole answer, part of it is not an answer.
    """
    passage = [i for i, s in enumerate(sequence_ids) if s == 1]
    first, last = passage[0], passage[-1]
    if offsets[first][0] > start or offsets[last][1] < end:
        return 0, 0
    token_start = next(i for i in passage if offsets[i][1] > start)
    token_end = next(i for i in reversed(passage) if offsets[i][0] < end)
    return token_start, token_end


def tokenize_windows(
    examples: Sequence[QAExample], tokenizer, *, max_length: int = 256, stride: int = 128
) -> list[dict]:
    """Return one feature per window: ids, segment ids, the example's index, passage offsets,
    and the answer's token positions (`start_positions`, `end_positions`)."""
    if not examples:
        raise ValueError("no examples to tokenize: pass at least one QAExample")
    room = max_length - 3  # [CLS], [SEP], [SEP]
    questions = [e.question for e in examples]
    question_ids = tokenizer(questions, add_special_tokens=False)["input_ids"]
    for i, (example, ids) in enumerate(zip(examples, question_ids, strict=True)):
        if not example.question.strip() or not example.context.strip():
            raise ValueError(f"example {i} ({example.id}) has an empty question or passage; "
                             "give it text or leave it out")
        question_tokens = len(ids)
        if room - question_tokens <= stride:
            raise ValueError(
                f"example {i}: the question takes {question_tokens} of max_length={max_length} "
                f"tokens, leaving {room - question_tokens} for the passage, not more than "
                f"stride={stride}; raise max_length or lower stride"
            )
        end = example.answer_start + len(example.answers[0]) if example.answers else 0
        if example.answers and example.context[example.answer_start : end] != example.answers[0]:
            raise ValueError(
                f"example {i} ({example.id}): the answer {example.answers[0]!r} is not at "
                f"character {example.answer_start} of its passage; fix answer_start"
            )
    encoded = tokenizer(
        questions, [e.context for e in examples],
        truncation="only_second", max_length=max_length, stride=stride,
        return_overflowing_tokens=True, return_offsets_mapping=True,
    )
    features = []
    for window, example_index in enumerate(encoded["overflow_to_sample_mapping"]):
        example = examples[example_index]
        sequence_ids = encoded.sequence_ids(window)
        offsets = encoded["offset_mapping"][window]
        token_start, token_end = 0, 0  # no answer given: every window points at [CLS]
        if example.answers:
            start, end = example.answer_start, example.answer_start + len(example.answers[0])
            token_start, token_end = answer_positions(offsets, sequence_ids, start, end)
        features.append({
            "input_ids": encoded["input_ids"][window],
            "token_type_ids": encoded["token_type_ids"][window],
            "start_positions": token_start,
            "end_positions": token_end,
            "example_index": example_index,
            # passage tokens keep their character offsets; every other token gets None
            "offsets": [o if s == 1 else None for o, s in zip(offsets, sequence_ids, strict=True)],
        })
    return features


def training_dataset(features: Sequence[dict], *, answer_windows_only: bool = False):
    """Return the windows as a `TokenizedDataset` of the fields a `BertSpanExtractor` trains on.

    `answer_windows_only` keeps only the windows that hold their answer (start > 0): a shorter
    run of training that never sees a window labelled `[CLS]`.
    """
    kept = [f for f in features if f["start_positions"] > 0 or not answer_windows_only]
    return TokenizedDataset([{key: f[key] for key in TRAINING_FIELDS} for f in kept])


def predict_windows(
    model, features: Sequence[dict], device, *, pad_token_id: int, batch_size: int = 64
) -> tuple[list[list[float]], list[list[float]]]:
    """Return every window's start and end logits (one list per window, its own length long).

    Windows are batched by length, so little of a batch is padding; eval mode, no gradients.
    """
    groups = sorted_batches([len(f["input_ids"]) for f in features], batch_size)
    starts: list[list[float]] = [[] for _ in features]
    ends: list[list[float]] = [[] for _ in features]
    model.eval()
    with torch.inference_mode():
        for group in groups:
            fields = [{k: features[i][k] for k in ("input_ids", "token_type_ids")} for i in group]
            batch = {k: v.to(device) for k, v in pad_batch(fields, pad_token_id).items()}
            outputs = model(**batch)
            for row, i in enumerate(group):
                length = len(features[i]["input_ids"])
                starts[i] = outputs.start_logits[row, :length].float().cpu().tolist()
                ends[i] = outputs.end_logits[row, :length].float().cpu().tolist()
    return starts, ends


def predict_answers(
    examples: Sequence[QAExample],
    features: Sequence[dict],
    start_logits: Sequence[Sequence[float]],
    end_logits: Sequence[Sequence[float]],
    **limits: int,
) -> list[str]:
    """Return each example's answer: the text of `best_span` over all of its windows.

    `limits` go to `best_span` (`n_best`, `max_answer_tokens`).
    """
    windows: list[list[int]] = [[] for _ in examples]
    for index, feature in enumerate(features):
        windows[feature["example_index"]].append(index)
    answers = []
    for example, indices in zip(examples, windows, strict=True):
        start, end, _ = best_span([start_logits[i] for i in indices],
                                  [end_logits[i] for i in indices],
                                  [features[i]["offsets"] for i in indices], **limits)
        answers.append(example.context[start:end])
    return answers


def answer(model, tokenizer, question: str, context: str, device, *, max_length: int = 128,
           stride: int = 64) -> str:
    """Return the answer to `question` in `context` (of any length): windows, logits, best span.

    What `pipeline("question-answering")` did before transformers 5 removed it.
    """
    example = QAExample("", question, context, (), 0, "")
    features = tokenize_windows([example], tokenizer, max_length=max_length, stride=stride)
    starts, ends = predict_windows(model, features, device, pad_token_id=tokenizer.pad_token_id)
    return predict_answers([example], features, starts, ends)[0]


def best_span(
    start_logits: Sequence[Sequence[float]],
    end_logits: Sequence[Sequence[float]],
    offsets: Sequence[Sequence[tuple[int, int] | None]],
    *,
    n_best: int = 20,
    max_answer_tokens: int = 30,
) -> tuple[int, int, float]:
    """Return (start char, end char, score) of the best answer over one passage's windows.

    In each window the `n_best` highest start and end logits are paired; a pair counts when
    both are passage tokens, the end is not before the start, and it spans at most
    `max_answer_tokens` tokens. Its score is start logit + end logit.
    """
    best = (0, 0, float("-inf"))
    for starts, ends, window in zip(start_logits, end_logits, offsets, strict=True):
        top_starts = sorted(range(len(starts)), key=lambda i: starts[i], reverse=True)[:n_best]
        top_ends = sorted(range(len(ends)), key=lambda i: ends[i], reverse=True)[:n_best]
        for s in top_starts:
            for e in top_ends:
                if window[s] is None or window[e] is None or not 0 <= e - s < max_answer_tokens:
                    continue
                score = starts[s] + ends[e]
                if score > best[2]:
                    best = (window[s][0], window[e][1], score)
    return best


def normalize_answer(text: str) -> str:
    """Lower-case, drop punctuation and the articles a/an/the, squash spaces (SQuAD's rule)."""
    text = "".join(ch for ch in text.lower() if ch not in set(string.punctuation))
    text = re.sub(r"\b(a|an|the)\b", " ", text)
    return " ".join(text.split())


def exact_match(prediction: str, answers: Sequence[str]) -> float:
    """Return 1.0 if the normalised prediction equals any normalised gold answer, else 0.0."""
    return float(any(normalize_answer(prediction) == normalize_answer(a) for a in answers))


def f1(prediction: str, answers: Sequence[str]) -> float:
    """Return the best token-overlap F1 of `prediction` against the gold answers (SQuAD's)."""

    def one(gold: str) -> float:
        predicted, wanted = normalize_answer(prediction).split(), normalize_answer(gold).split()
        common = sum((collections.Counter(predicted) & collections.Counter(wanted)).values())
        if common == 0:
            return 0.0
        precision, recall = common / len(predicted), common / len(wanted)
        return 2 * precision * recall / (precision + recall)

    return max(one(gold) for gold in answers)


def squad_scores(
    predictions: Sequence[str], examples: Sequence[QAExample]
) -> tuple[list[float], list[float]]:
    """Return exact match and F1 (each 0 or 1, or between) per example, in order."""
    if len(predictions) != len(examples):
        raise ValueError(f"one prediction per example: got {len(predictions)} for "
                         f"{len(examples)} examples")
    return ([exact_match(p, e.answers) for p, e in zip(predictions, examples, strict=True)],
            [f1(p, e.answers) for p, e in zip(predictions, examples, strict=True)])
