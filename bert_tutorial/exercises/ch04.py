"""Checks for the five exercises of notebook 04 (token classification).

Exercise 1 reads the learner's every-sub-token encoding label by label; exercises 1 and 2
compare a variant with the chapter's tagger by the learner's reading of the gap ("within noise"
or "beyond noise"), recomputed with a paired bootstrap of entity F1 over sentences. Exercises 3
and 4 recompute the learner's counts from the same tags; exercise 5 calls the learner's
`tag_text` on texts they have not seen.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Mapping
from typing import Any

from bert_tutorial.exercises import (
    Exercise,
    Incorrect,
    ____,
    as_list,
    call_learner,
    choice,
    read_verdict,
    type_name,
    whole_number,
)
from bert_tutorial.exercises.ch03 import frozen_parts

__all__ = ["____", "exercise1", "exercise2", "exercise3", "exercise4", "exercise5"]
SOLUTIONS = "notebooks/solutions/04_token_classification_solutions.ipynb"
Span = tuple[str, int, int]  # (entity type, first word, one past the last word)


def tag_rows(value: Any, name: str) -> list[list[str]]:
    """Return `value` as one list of tag strings per sentence, or raise Incorrect saying why."""
    rows = as_list(value, name, "one list of tags per sentence")
    if rows and all(isinstance(tag, str) for tag in rows):
        raise Incorrect(f"{name} is one list of {len(rows)} tags; expected one list per sentence")
    rows = [as_list(row, f"{name}[{i}]", "a list of tags") for i, row in enumerate(rows)]
    for i, row in enumerate(rows):
        odd = next((tag for tag in row if not isinstance(tag, str)), None)
        if odd is not None:
            hint = " (label ids: map them with id2label)" if isinstance(odd, int) else ""
            raise Incorrect(f"{name}[{i}] holds {odd!r}; expected tag names such as 'B-person'"
                            f"{hint}")
    return rows


def same_sentences(gold: list[list[str]], predicted: list[list[str]], name: str) -> None:
    """Raise Incorrect unless `predicted` tags the same sentences, word for word, as `gold`."""
    if len(predicted) != len(gold):
        raise Incorrect(f"{name} tags {len(predicted)} sentences and the gold tags "
                        f"{len(gold)}: predict the same split")
    for i, (g, p) in enumerate(zip(gold, predicted, strict=True)):
        if len(g) != len(p):
            raise Incorrect(f"{name}[{i}] has {len(p)} tags for {len(g)} words: one tag per "
                            "original word (predict_word_tags gives that)")


def check_f1_verdict(gold: Any, first: Any, second: Any, verdict: Any,
                     names: tuple[str, str]) -> str:
    """Raise Incorrect unless `verdict` reads the paired entity-F1 interval of first - second."""
    from bert_tutorial import noise

    gold = tag_rows(gold, "validation_gold")
    a, b = tag_rows(first, names[0]), tag_rows(second, names[1])
    same_sentences(gold, a, names[0])
    same_sentences(gold, b, names[1])
    if a == b:
        raise Incorrect(f"{names[0]} and {names[1]} are the same tags: did both come from one "
                        "model?")
    return read_verdict(verdict, noise.entity_f1_difference(gold, a, b), "the entity F1 gap")


# Exercise 1 · label every sub-token ------------------------------------------------------


def check_every_subtoken(every_encoded: Any, more_labelled: Any, tweets: Any, id2label: Any,
                         validation_gold: Any, first_tags: Any, every_tags: Any,
                         verdict: Any) -> str:
    """Exercise 1: every piece labelled, no B- on a continuation, the count; the F1 gap read."""
    if not hasattr(every_encoded, "alignments") or not hasattr(every_encoded, "dataset"):
        raise Incorrect(f"every_encoded is {type_name(every_encoded)}; expected what "
                        "encode_tagged returns")
    if not isinstance(id2label, Mapping):
        raise Incorrect(f"id2label is {type_name(id2label)}; expected the chapter's id2label")
    features, alignments = every_encoded.dataset.features, every_encoded.alignments
    if len(alignments) != len(tweets):
        raise Incorrect(f"every_encoded holds {len(alignments)} sentences and tweets "
                        f"{len(tweets)}: encode the training tweets")
    extra = 0
    for tweet, alignment, feature in zip(tweets, alignments, features, strict=True):
        labels = feature["labels"]
        if tuple(alignment.words) != tuple(tweet.words):
            raise Incorrect(f"every_encoded's sentence {' '.join(alignment.words)[:50]!r} is not "
                            "in the same order as tweets: encode the training tweets")
        words = zip(tweet.words, tweet.tags, alignment.word_to_tokens, strict=True)
        for word, tag, positions in words:
            if not positions:
                continue
            if id2label[labels[positions[0]]] != tag:
                raise Incorrect(f"the first piece of {word!r} carries "
                                f"{id2label[labels[positions[0]]]}, not its tag {tag}")
            for position in positions[1:]:
                label = labels[position]
                if label == -100:
                    raise Incorrect(f"the continuation piece {alignment.tokens[position]!r} of "
                                    f"{word!r} has no label: pass label_all_tokens=True")
                if id2label[label].startswith("B-"):
                    raise Incorrect(f"your labels put {id2label[label]} on the continuation piece "
                                    f"{alignment.tokens[position]!r} of {word!r}: pass "
                                    "continuation=b_to_i_continuation(label_names)")
            extra += len(positions) - 1
    more = whole_number(more_labelled, "more_labelled")
    if more != extra:
        total = sum(label != -100 for f in features for label in f["labels"])
        why = " (that is every labelled token, not how many more)" if more == total else ""
        raise Incorrect(f"more_labelled is {more:,}; every_encoded labels {extra:,} more tokens "
                        f"than first pieces do{why}")
    reading = check_f1_verdict(validation_gold, every_tags, first_tags, verdict,
                               ("every_tags", "first_tags"))
    return (f"{extra:,} more tokens carry a label, no continuation piece a B- tag; "
            f"every - first sub-token entity F1: {reading}")


exercise1 = Exercise(
    number=1,
    todo="replace each ____: the every-sub-token encoding, how many more tokens it labels, the "
    "validation tags of a tagger trained on it, and your verdict; then run the cell",
    expects="what encode_tagged returns, a whole number, one list of tags per validation tweet "
    'and "within noise" or "beyond noise"',
    checker=check_every_subtoken,
    hint_text="encode_tagged(..., label_all_tokens=True, continuation=b_to_i_continuation("
    "label_names)); count labels that are not -100 in both encodings. Train a fresh "
    "BertTokenClassifier on it with section 5's loop (or training.fine_tune), predict with "
    "predict_word_tags, then noise.entity_f1_difference(validation_gold, every_tags, first_tags).",
    solution_code="""
from bert_tutorial import noise, training

every_encoded = encode_tagged(train_tweets, tokenizer, label2id, max_length=128,
                              label_all_tokens=True,
                              continuation=b_to_i_continuation(label_names))


def labelled(encoded):
    return sum(label != -100 for f in encoded.dataset.features for label in f["labels"])


more_labelled = labelled(every_encoded) - labelled(train_encoded)
every_model = BertTokenClassifier.from_pretrained(
    model_path(), num_labels=len(label_names), id2label=id2label, label2id=label2id
)
freeze_layers(every_model, recipe.num_frozen_layers).to(device)
training.fine_tune(every_model, every_encoded.dataset, recipe, device,
                   pad_token_id=tokenizer.pad_token_id)
first_tags = predict_word_tags(model, validation_encoded, id2label, device,
                               pad_token_id=tokenizer.pad_token_id)
every_tags = predict_word_tags(every_model, validation_encoded, id2label, device,
                               pad_token_id=tokenizer.pad_token_id)
gap = noise.entity_f1_difference(validation_gold, every_tags, first_tags)
print(noise.verdict(gap))
verdict = "within noise" if gap.low <= 0 <= gap.high else "beyond noise"
exercise1.check(every_encoded, more_labelled, train_tweets, id2label,
                validation_gold, first_tags, every_tags, verdict)
""",
    solutions_notebook=SOLUTIONS,
)


# Exercise 2 · freeze the lowest 2 layers -------------------------------------------------


def check_frozen_layers(frozen_model: Any, fewer_trainable: Any, step_seconds: Any,
                        validation_gold: Any, reference_tags: Any, frozen_tags: Any,
                        verdict: Any) -> str:
    """Exercise 2: layers 0 and 1 frozen, the parameter count, both steps timed, F1 gap read."""
    if not hasattr(frozen_model, "named_parameters"):
        raise Incorrect(f"frozen_model is {type_name(frozen_model)}; expected the model")
    frozen = frozen_parts(frozen_model)
    layers = [part for part in frozen if part.startswith("layer ")]
    if layers == ["layer 1", "layer 2"]:
        raise Incorrect("layers 1 and 2 are frozen: the lowest two are layer 0 and layer 1 "
                        "(the notebooks count layers from 0); freeze_layers(model, 2) does that")
    if layers != ["layer 0", "layer 1"]:
        raise Incorrect(f"frozen in frozen_model: {', '.join(frozen) or 'nothing'}; expected the "
                        "embeddings and layers 0 and 1: freeze_layers(model, 2)")
    layer = sum(p.numel() for p in frozen_model.base_model.encoder.layer[0].parameters())
    if isinstance(fewer_trainable, float) and abs(fewer_trainable * 1e6 - 2 * layer) < 1e5:
        raise Incorrect(f"fewer_trainable is {fewer_trainable}: count parameters, not millions")
    fewer = whole_number(fewer_trainable, "fewer_trainable")
    if fewer != 2 * layer:
        embeddings = sum(p.numel() for p in frozen_model.base_model.embeddings.parameters())
        why = (" (that counts the embeddings too, which the recipe freezes in both)"
               if fewer == 2 * layer + embeddings else "")
        raise Incorrect(f"fewer_trainable is {fewer:,}; two layers hold {2 * layer:,} "
                        f"parameters{why}")
    if not isinstance(step_seconds, Mapping) or sorted(step_seconds) != [0, 2]:
        raise Incorrect(f"step_seconds is {step_seconds!r}; expected {{0: ..., 2: ...}}, "
                        "seconds per step by number of frozen layers")
    for key, value in step_seconds.items():
        if isinstance(value, bool) or not isinstance(value, int | float) or not value > 0:
            raise Incorrect(f"step_seconds[{key}] is {value!r}; expected a positive number")
    reading = check_f1_verdict(validation_gold, frozen_tags, reference_tags, verdict,
                               ("frozen_tags", "reference_tags"))
    return (f"two layers ({fewer:,} parameters) no longer train, and both steps are timed (their "
            f"ratio is your machine's); frozen - reference entity F1: {reading}")


exercise2 = Exercise(
    number=2,
    todo="replace each ____: a tagger with the lowest 2 layers frozen, trained; how many fewer "
    "parameters train; seconds per step for 0 and 2 frozen layers; both taggers' validation "
    "tags; and your verdict; then run the cell",
    expects="a model, a whole number, {0: seconds, 2: seconds}, two lists of tag lists and "
    '"within noise" or "beyond noise"',
    checker=check_frozen_layers,
    hint_text="freeze_layers(model, 2) freezes the embeddings and layers 0 and 1. Count "
    "parameters with requires_grad before and after. Time a few training steps of each set-up "
    "in turns (warm-up first), as notebook 02's timings do; compare F1 with "
    "noise.entity_f1_difference(validation_gold, frozen_tags, reference_tags).",
    solution_code="""
from bert_tutorial import noise, training
from bert_tutorial.timing import best_in_turns


def trainable(m):
    return sum(p.numel() for p in m.parameters() if p.requires_grad)


def fresh_tagger(num_frozen_layers):
    tagger = BertTokenClassifier.from_pretrained(
        model_path(), num_labels=len(label_names), id2label=id2label, label2id=label2id
    )
    return freeze_layers(tagger, num_frozen_layers).to(device)


def steps_of(tagger, batches):  # a run of training steps, for timing
    optimizer, scheduler = make_optimizer_and_scheduler(tagger, lr=recipe.lr,
                                                        num_training_steps=len(batches))
    return lambda: train_one_epoch(tagger, batches, optimizer, scheduler, device, progress=False)


batches = make_batches(train_encoded.dataset, recipe.batch_size, tokenizer.pad_token_id,
                       seed=0)[:5]
runs = {n: steps_of(fresh_tagger(n), batches) for n in (0, 2)}
for run in runs.values():
    run()  # warm-up, not timed
step_seconds = {n: s / len(batches) for n, s in best_in_turns(runs).items()}

frozen_model = fresh_tagger(2)
fewer_trainable = trainable(model) - trainable(frozen_model)
training.fine_tune(frozen_model, train_encoded.dataset, recipe, device,
                   pad_token_id=tokenizer.pad_token_id)
reference_tags = predict_word_tags(model, validation_encoded, id2label, device,
                                   pad_token_id=tokenizer.pad_token_id)
frozen_tags = predict_word_tags(frozen_model, validation_encoded, id2label, device,
                                pad_token_id=tokenizer.pad_token_id)
gap = noise.entity_f1_difference(validation_gold, frozen_tags, reference_tags)
verdict = "within noise" if gap.low <= 0 <= gap.high else "beyond noise"
exercise2.check(frozen_model, fewer_trainable, step_seconds, validation_gold,
                reference_tags, frozen_tags, verdict)
""",
    solutions_notebook=SOLUTIONS,
)


# Exercise 3 · which entity types get confused ---------------------------------------------


def spans(tags: list[str]) -> list[Span]:
    """Return the (type, start, end) entities of BIO `tags`, as ner.entities reads them."""
    found: list[Span] = []
    for position, tag in enumerate(tags):
        continues = found and found[-1][0] == tag[2:] and found[-1][2] == position
        if tag.startswith("I-") and continues:
            found[-1] = (tag[2:], found[-1][1], position + 1)
        elif tag != "O":  # B-x, or an I-x that follows something else, opens an entity
            found.append((tag[2:], position, position + 1))
    return found


def count_confusions(gold_tags: list[list[str]], predicted_tags: list[list[str]], *,
                     missed_only: bool = True, same_type: bool = False,
                     once_per_type: bool = True) -> Counter:
    """Count (gold type, predicted type) for predictions overlapping a missed gold entity.

    The keywords make the miscounts the check recognises: every gold entity instead of the
    missed ones, overlaps of the same type (boundary errors), every overlapping prediction.
    """
    counts: Counter = Counter()
    for gold, predicted in zip(gold_tags, predicted_tags, strict=True):
        predicted_spans = spans(predicted)
        for kind, start, end in spans(gold):
            if missed_only and (kind, start, end) in predicted_spans:
                continue
            overlapping = [other for other, s, e in predicted_spans
                           if s < end and start < e and (same_type or other != kind)]
            if once_per_type:
                overlapping = sorted(set(overlapping))
            counts.update((kind, other) for other in overlapping)
    return counts


def check_confusions(confusions: Any, gold_tags: Any, predicted_tags: Any) -> str:
    """Exercise 3: recompute the confusion counts from the same tags and compare."""
    gold, predicted = tag_rows(gold_tags, "gold_tags"), tag_rows(predicted_tags, "predicted_tags")
    same_sentences(gold, predicted, "predicted_tags")
    if isinstance(confusions, list | tuple):
        raise Incorrect("confusions is a list (most_common gives one); pass the whole Counter "
                        "of (gold type, predicted type) pairs")
    if not isinstance(confusions, Mapping):
        raise Incorrect(f"confusions is {type_name(confusions)}; expected a Counter of "
                        "(gold type, predicted type) -> count")
    for key in confusions:
        if not (isinstance(key, tuple) and len(key) == 2 and all(isinstance(k, str) for k in key)):
            raise Incorrect(f"confusions has the key {key!r}; expected (gold type, predicted type)")
        if any(k[:2] in ("B-", "I-") for k in key):
            raise Incorrect(f"confusions has the key {key!r}: use entity types without B-/I-")
    theirs = Counter({key: count for key, count in confusions.items() if count})
    right = count_confusions(gold, predicted)
    if theirs == right:
        (gold_type, predicted_type), count = right.most_common(1)[0]
        return (f"{sum(right.values())} overlaps of another type on missed entities; the most "
                f"common: {gold_type} predicted as {predicted_type} ({count})")
    mistakes = {
        "keys are (predicted type, gold type); expected (gold type, predicted type)":
            Counter({(p, g): c for (g, p), c in right.items()}),
        "it counts predictions of the same type too: an overlap of the same type is a boundary "
        "error, not a confusion": count_confusions(gold, predicted, same_type=True),
        "it counts every overlapping prediction: count each other type once per missed entity":
            count_confusions(gold, predicted, once_per_type=False),
        "it counts entities the model found too, as their own type: only missed gold "
        "entities count, and only predictions of another type":
            count_confusions(gold, predicted, missed_only=False, same_type=True),
    }
    for why, counts in mistakes.items():
        if theirs == counts:
            raise Incorrect(why)
    differ = sorted(set(theirs) | set(right), key=lambda k: -abs(theirs[k] - right[k]))[0]
    raise Incorrect(f"confusions[{differ!r}] is {theirs[differ]}; counting each other type "
                    f"once per missed gold entity gives {right[differ]}")


exercise3 = Exercise(
    number=3,
    todo="replace ____ with a Counter of (gold type, predicted type) over the missed gold "
    "entities of the test split; then run the cell",
    expects="a Counter mapping (gold type, predicted type) to a count",
    checker=check_confusions,
    hint_text="Read each tweet's tags as (type, start, end) spans. A gold span that is not among "
    "the predicted spans was missed; the predicted spans that overlap it (start < other end and "
    "other start < end) with another type are the confusions, each type once per entity.",
    solution_code="""
def spans(tags):
    found = []  # (type, start, end)
    for position, tag in enumerate(tags):
        continues = found and found[-1][0] == tag[2:] and found[-1][2] == position
        if tag.startswith("I-") and continues:
            found[-1] = (tag[2:], found[-1][1], position + 1)
        elif tag != "O":
            found.append((tag[2:], position, position + 1))
    return found


confusions = Counter()
for gold, predicted in zip(gold_tags, predicted_tags):
    predicted_spans = spans(predicted)
    for kind, start, end in spans(gold):
        if (kind, start, end) in predicted_spans:
            continue
        overlapping = {other for other, s, e in predicted_spans
                       if s < end and start < e and other != kind}
        confusions.update((kind, other) for other in overlapping)
exercise3.check(confusions, gold_tags, predicted_tags)
""",
    solutions_notebook=SOLUTIONS,
)


# Exercise 4 · word accuracy next to entity F1 ---------------------------------------------

WHY_ACCURACY = {
    "b": "word accuracy is not measured on the training tweets; both are on the test split",
    "c": "entity F1 counts no word twice; the gap comes from what each score counts as right",
}


def check_word_accuracy(word_accuracy: Any, gold_tags: Any, predicted_tags: Any,
                        why: Any = None) -> str:
    """Exercise 4: recompute the accuracy over every original word; the why as a choice."""
    gold, predicted = tag_rows(gold_tags, "gold_tags"), tag_rows(predicted_tags, "predicted_tags")
    same_sentences(gold, predicted, "predicted_tags")
    if isinstance(word_accuracy, bool) or not isinstance(word_accuracy, int | float):
        raise Incorrect(f"word_accuracy is {type_name(word_accuracy)}; expected a number")
    pairs = [(g, p) for gs, ps in zip(gold, predicted, strict=True)
             for g, p in zip(gs, ps, strict=True)]
    right = sum(g == p for g, p in pairs) / len(pairs)
    if math.isclose(word_accuracy, right, abs_tol=5e-4):
        choice(why, WHY_ACCURACY, "a")
        share_o = sum(g == "O" for g, _ in pairs) / len(pairs)
        return (f"word accuracy {right:.3f} over {len(pairs):,} words, of which {share_o:.0%} are "
                "O: most of the score is O words predicted as O")
    entity_words = [(g, p) for g, p in pairs if g != "O"]
    mistakes = {
        100 * right: "a percentage; give a fraction between 0 and 1, as the F1",
        sum(sum(g == p for g, p in zip(gs, ps, strict=True)) / len(gs)
            for gs, ps in zip(gold, predicted, strict=True) if gs) / sum(1 for gs in gold if gs):
            "the mean of per-tweet accuracies; count every word once, over all tweets",
        sum(g == p for g, p in entity_words) / max(len(entity_words), 1):
            "the accuracy over entity words only; the exercise asks for every original word",
    }
    for value, why_wrong in mistakes.items():
        if math.isclose(word_accuracy, value, abs_tol=5e-4):
            raise Incorrect(f"word_accuracy is {word_accuracy:.3f}, {why_wrong}")
    raise Incorrect(f"word_accuracy is {word_accuracy:.3f}; over all {len(pairs):,} words of "
                    f"these tags it is {right:.3f}")


exercise4 = Exercise(
    number=4,
    todo="replace each ____: the word accuracy over every test word and the letter of your "
    "explanation; then run the cell",
    expects='a number between 0 and 1 and a letter, "a", "b" or "c"',
    checker=check_word_accuracy,
    hint_text="Pair gold and predicted tags word by word over all tweets and count the equal "
    "pairs. Then look at how many of the words are O.",
    solution_code="""
pairs = [(g, p) for gold, predicted in zip(gold_tags, predicted_tags)
         for g, p in zip(gold, predicted)]
word_accuracy = sum(g == p for g, p in pairs) / len(pairs)
exercise4.check(word_accuracy, gold_tags, predicted_tags, why="a")
""",
    solutions_notebook=SOLUTIONS,
)


# Exercise 5 · tag_text -------------------------------------------------------------------

TEXTS = (
    "Watching Stranger Things with Jessica in Brooklyn tonight",
    "  obama   visited\nparis and   berlin  ",
    "I ❤️ New York",
    " ".join(["so"] * 150 + ["Barack", "Obama", "spoke", "in", "Chicago"]),
)


def entity_pairs(value: Any, text: str) -> list[tuple[str, str]]:
    """Return tag_text's result as (type, text) pairs, or raise Incorrect naming the shape."""
    found = as_list(value, f"tag_text({text[:30]!r}...)", "a list of (type, text) pairs")
    for item in found:
        if isinstance(item, str):
            raise Incorrect(f"tag_text returned {item!r} among its results: one tag per word? "
                            "Return entities: ner.entities(words, tags)")
        if isinstance(item, Mapping):
            raise Incorrect("tag_text returned dicts (the pipeline's); expected (type, text) "
                            "pairs such as ('person', 'Taylor Swift')")
        if not (isinstance(item, tuple | list) and len(item) == 2
                and all(isinstance(part, str) for part in item)):
            raise Incorrect(f"tag_text returned {item!r}; expected (type, text) pairs")
        if item[0][:2] in ("B-", "I-") or item[0] in ("", "O"):
            raise Incorrect(f"tag_text returned the type {item[0]!r}; expected an entity type "
                            "such as 'person', without B-/I-")
    return [tuple(item) for item in found]


def check_tag_text(tag_text: Any) -> str:
    """Exercise 5: call tag_text on unseen texts; entities are the text's own words, in order."""
    if not callable(tag_text):
        raise Incorrect(f"tag_text is {type_name(tag_text)}; expected your function")
    for empty in ("", "   \n"):
        result = entity_pairs(call_learner(tag_text, empty, case=f"the text {empty!r}"), empty)
        if result:
            raise Incorrect(f"tag_text({empty!r}) returned {result}; a text without words has no "
                            "entities")
    for text in TEXTS:
        found = entity_pairs(call_learner(tag_text, text, case=f"{text[:40]!r}"), text)
        again = entity_pairs(call_learner(tag_text, text, case=f"{text[:40]!r}"), text)
        if again != found:
            raise Incorrect("tag_text gave two different answers for one text: call "
                            "model.eval() so that dropout is off (predict_word_tags does)")
        words, start = text.split(), 0
        for kind, entity in found:
            size = len(entity.split(" "))
            spots = [i for i in range(start, len(words) - size + 1)
                     if " ".join(words[i : i + size]) == entity]
            if not spots:
                raise Incorrect(f"tag_text returned ({kind!r}, {entity!r}) for {text[:40]!r}...: "
                                "an entity must be words of the text, joined by one space, in "
                                "the order they come")
            start = spots[0] + 1
        lower = entity_pairs(call_learner(tag_text, text.lower(), case="a lowercased text"),
                             text.lower())
        if lower != [(kind, entity.lower()) for kind, entity in found]:
            raise Incorrect(f"tag_text finds {found} in {text[:40]!r}... but {lower} once it is "
                            "lowercased; the packaged model's tokenizer lowercases, so both "
                            "must match")
    return (f"on {len(TEXTS) + 2} texts you had not seen (empty, odd spacing, an emoji, 155 "
            "words) tag_text returned the text's own words, in order, and the same entities "
            "in lower case")


exercise5 = Exercise(
    number=5,
    todo="replace ____ in tag_text with the entities it finds; then run the cell",
    expects="a function from a text to a list of (type, text) pairs",
    checker=check_tag_text,
    hint_text="words = tuple(text.split()); give them placeholder 'O' tags in a TaggedSentence, "
    "encode_tagged it, predict_word_tags, and return entities(words, tags[0]).",
    solution_code="""
def tag_text(text):
    words = tuple(text.split())
    if not words:  # encode_tagged refuses a sentence without words
        return []
    encoded = encode_tagged([TaggedSentence(words, ("O",) * len(words))], tokenizer, label2id)
    tags = predict_word_tags(model, encoded, id2label, device, pad_token_id=tokenizer.pad_token_id)
    return entities(words, tags[0])


exercise5.check(tag_text)
""",
    solutions_notebook=SOLUTIONS,
)
