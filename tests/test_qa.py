"""Extractive QA (notebook 10): windows, answer positions and back, best spans, EM and F1."""

import dataclasses

import pytest

from bert_tutorial import pairs, qa


@pytest.fixture(scope="module")
def tokenizer():
    from transformers import BertTokenizer

    from bert_tutorial.models import model_path

    return BertTokenizer.from_pretrained(model_path())


@pytest.fixture(scope="module")
def examples():
    return qa.squad_examples(pairs.read_squad())


@pytest.mark.needs_asset("bigbench")
def test_every_question_is_read_with_its_answer_where_it_says(examples):
    assert len(examples) == 10_565
    raw = [q for a in pairs.read_squad() for p in a["paragraphs"] for q in p["qas"]]
    moved = [e for e, q in zip(examples, raw, strict=True)
             if e.answer_start != q["answers"][0]["answer_start"]]
    assert len(moved) == 3  # the three answers SQuAD's offsets miss
    for example in examples:
        start = example.answer_start
        assert example.context[start : start + len(example.answers[0])] == example.answers[0]


@pytest.mark.needs_asset("bigbench")
def test_gold_positions_give_back_the_answer_in_every_window_that_holds_it(tokenizer, examples):
    features = qa.tokenize_windows(examples, tokenizer, max_length=256, stride=128)
    held = set()
    for feature in features:
        example = examples[feature["example_index"]]
        start, end = feature["start_positions"], feature["end_positions"]
        if (start, end) == (0, 0):
            continue
        held.add(feature["example_index"])
        offsets = feature["offsets"]
        span = example.context[offsets[start][0] : offsets[end][1]]
        # Tokens can be wider than the answer ("gold" in "golden"); never narrower.
        assert example.answers[0] in span and start <= end, (example.id, span)
    assert len(held) == len(examples)  # every answer fits in some window
    exact = sum(
        examples[f["example_index"]].context[
            f["offsets"][f["start_positions"]][0] : f["offsets"][f["end_positions"]][1]
        ] == examples[f["example_index"]].answers[0]
        for f in features if f["start_positions"]
    )
    assert exact / sum(1 for f in features if f["start_positions"]) > 0.98


def test_a_window_holding_part_of_the_answer_points_at_cls():
    offsets = [(0, 0), (0, 3), (0, 0), (10, 14), (15, 20), (0, 0)]
    sequence_ids = [None, 0, None, 1, 1, None]
    assert qa.answer_positions(offsets, sequence_ids, 10, 20) == (3, 4)
    assert qa.answer_positions(offsets, sequence_ids, 15, 20) == (4, 4)
    assert qa.answer_positions(offsets, sequence_ids, 12, 14) == (3, 3)  # inside one token
    assert qa.answer_positions(offsets, sequence_ids, 15, 25) == (0, 0)  # runs past the window
    assert qa.answer_positions(offsets, sequence_ids, 5, 14) == (0, 0)  # starts before it


def test_best_span_skips_end_before_start_question_tokens_and_long_spans():
    offsets = [[None, None, (0, 4), (5, 9), (10, 14), (15, 19)]]
    # The best start alone (5) comes after the best end alone (2): not a span.
    start = [[0, 0, 1, 2, 0, 9]]
    end = [[0, 0, 8, 5, 1, 3]]
    assert qa.best_span(start, end, offsets)[:2] == (15, 19)  # 9 + 3 beats 2 + 5 and 1 + 8
    question_start = [[0, 50, 1, 0, 0, 0]]  # the question token is never a start
    assert qa.best_span(question_start, end, offsets)[:2] == (0, 4)
    assert qa.best_span([[0, 0, 9, 0, 0, 0]], [[0, 0, 0, 0, 0, 9]], offsets,
                        max_answer_tokens=3)[:2] == (0, 4)  # 4 tokens is too long: 9 + 0
    two_windows = [[0, 0, 1, 0, 0, 0], [0, 0, 0, 5, 0, 0]]
    assert qa.best_span(two_windows, [[0, 0, 1, 0, 0, 0], [0, 0, 0, 5, 0, 0]],
                        offsets * 2)[:2] == (5, 9)  # the better window wins


def test_squad_normalisation_exact_match_and_f1():
    assert qa.normalize_answer("The  Denver Broncos!") == "denver broncos"
    assert qa.exact_match("the Denver broncos.", ["Denver Broncos"]) == 1.0
    assert qa.exact_match("Broncos", ["Denver Broncos"]) == 0.0
    assert qa.f1("Broncos", ["Denver Broncos"]) == pytest.approx(2 / 3)
    assert qa.f1("Carolina Panthers", ["Denver Broncos", "Panthers"]) == pytest.approx(2 / 3)
    assert qa.f1("the", ["Denver"]) == 0.0


@pytest.mark.needs_asset("bigbench")
def test_bad_examples_are_refused_with_the_fix(tokenizer, examples):
    example = examples[0]
    with pytest.raises(ValueError, match="empty question or passage"):
        qa.tokenize_windows([dataclasses.replace(example, question="  ")], tokenizer)
    with pytest.raises(ValueError, match="is not at character 3 of its passage"):
        qa.tokenize_windows([dataclasses.replace(example, answer_start=3)], tokenizer)
    with pytest.raises(ValueError, match="leaving .* not more than stride=128; raise max_length"):
        qa.tokenize_windows([example], tokenizer, max_length=128, stride=128)
    with pytest.raises(ValueError, match="no examples to tokenize"):
        qa.tokenize_windows([], tokenizer)


@pytest.mark.needs_asset("bigbench")
def test_training_dataset_keeps_the_model_fields_and_can_drop_cls_windows(tokenizer, examples):
    features = qa.tokenize_windows(examples[:40], tokenizer, max_length=128, stride=64)
    dataset = qa.training_dataset(features)
    assert len(dataset) == len(features) and set(dataset[0]) == set(qa.TRAINING_FIELDS)
    holding = qa.training_dataset(features, answer_windows_only=True)
    assert 0 < len(holding) < len(features)  # 40 questions' passages need more than one window
    assert all(f["start_positions"] > 0 for f in holding.features)


@pytest.mark.needs_asset("bigbench")
def test_answers_decoded_from_gold_logits_are_the_gold_answers(tokenizer, examples):
    some = examples[::50]
    features = qa.tokenize_windows(some, tokenizer, max_length=128, stride=64)
    starts, ends = [], []
    for feature in features:  # logits that put every window's weight on its gold positions
        start, end = [0.0] * len(feature["input_ids"]), [0.0] * len(feature["input_ids"])
        start[feature["start_positions"]] = end[feature["end_positions"]] = 10.0
        starts.append(start)
        ends.append(end)
    answers = qa.predict_answers(some, features, starts, ends)
    exact, f1 = qa.squad_scores(answers, some)
    assert sum(exact) / len(some) > 0.97 and sum(f1) / len(some) > 0.98
    with pytest.raises(ValueError, match="one prediction per example"):
        qa.squad_scores(answers[:-1], some)


@pytest.mark.needs_asset("bigbench")
def test_predicted_windows_do_not_depend_on_their_batch(tokenizer, examples):
    import torch

    from bert_tutorial.modeling import BertSpanExtractor
    from bert_tutorial.models import model_path

    torch.manual_seed(0)
    model = BertSpanExtractor.from_pretrained(model_path())
    features = qa.tokenize_windows(examples[:6], tokenizer, max_length=128, stride=64)
    starts, ends = qa.predict_windows(model, features, torch.device("cpu"),
                                      pad_token_id=tokenizer.pad_token_id, batch_size=4)
    assert [len(s) for s in starts] == [len(f["input_ids"]) for f in features]
    alone = model(**{k: torch.tensor([features[-1][k]]) for k in ("input_ids", "token_type_ids")},
                  attention_mask=torch.ones(1, len(features[-1]["input_ids"]), dtype=torch.long))
    torch.testing.assert_close(torch.tensor(starts[-1]), alone.start_logits[0], atol=1e-4, rtol=0)
    torch.testing.assert_close(torch.tensor(ends[-1]), alone.end_logits[0], atol=1e-4, rtol=0)


@pytest.mark.needs_asset("bigbench")
def test_a_question_without_an_answer_is_windowed_and_answered(tokenizer, examples):
    import torch

    from bert_tutorial.modeling import BertSpanExtractor
    from bert_tutorial.models import model_path

    example = dataclasses.replace(examples[0], answers=(), answer_start=0)
    features = qa.tokenize_windows([example], tokenizer, max_length=128, stride=64)
    assert all((f["start_positions"], f["end_positions"]) == (0, 0) for f in features)
    torch.manual_seed(0)
    model = BertSpanExtractor.from_pretrained(model_path())
    text = qa.answer(model, tokenizer, example.question, example.context, torch.device("cpu"))
    assert text and text in example.context  # an untrained head still answers with a span
