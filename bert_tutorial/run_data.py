"""What the fine-tuning command trains and scores on: the movie reviews, or a learner's files.

`read_run_data` reads and checks the data before any model is built or folder written; a bad
file stops the command with `own_data`'s one-line message. Sentences stay in Arrow
(`own_data.tokenize_rows`); word-tagged sentences are encoded with notebook 04's alignment.
"""

from __future__ import annotations

import argparse
import random
from dataclasses import dataclass


@dataclass
class RunData:
    """The rows a run trains on and scores, tokenized, with the class (or tag) names."""

    train: object  # len(), indexing and lengths(), like training.TokenizedDataset
    test: object  # the same, or [] when nothing is scored
    names: list[str]  # id -> name, saved as the model's id2label
    test_name: str  # what `test` is, for the output
    tagged_test: tuple | None = None  # (encoded, sentences): entity F1 on the words


def read_run_data(args: argparse.Namespace, tokenizer, max_length: int, say=print) -> RunData:
    """Return the run's data for `args.task`, cut to `--max-examples` / `--eval-examples`."""
    if args.task == "token-classification":
        return tagged_data(args, tokenizer, max_length, say)
    if args.train_file is None:
        return movie_review_data(args, tokenizer, max_length)
    return sentence_data(args, tokenizer, max_length, say)


def movie_review_data(args: argparse.Namespace, tokenizer, max_length: int) -> RunData:
    """Return notebook 03's data: the movie reviews' train and test splits."""
    from bert_tutorial.data import SENTIMENT_NAMES, movie_review_splits
    from bert_tutorial.training import tokenize_sentences

    splits = movie_review_splits()
    train, test = splits["train"][: args.max_examples], splits["test"][: args.eval_examples]
    train_data, test_data = (
        tokenize_sentences([r.text for r in reviews], [r.label for r in reviews], tokenizer,
                           num_labels=2, max_length=max_length) if reviews else []
        for reviews in (train, test)
    )
    return RunData(train_data, test_data, list(SENTIMENT_NAMES), "movie reviews' test split")


def sentence_data(args: argparse.Namespace, tokenizer, max_length: int, say=print) -> RunData:
    """Return a learner's labelled sentences: the train file, and the validation or test file
    (without a validation file, a seeded, stratified tenth of the train file, said by `say`)."""
    from bert_tutorial import own_data

    columns, pair = (args.text_column, args.label_column), args.text_pair_column
    try:
        train, names = own_data.read_labelled(args.train_file, *columns, pair)
        if args.validation_file:
            validation = own_data.read_split(args.validation_file, *columns, names, pair)
        else:
            train, validation = own_data.split_validation(train, names, seed=args.seed)
            say(f"finetune: validation: a seeded, stratified {len(validation)} of the "
                f"{len(train) + len(validation)} rows of {args.train_file} (seed {args.seed})")
        scored, name = validation, f"validation rows of {args.validation_file or args.train_file}"
        if args.test_file:
            scored = own_data.read_split(args.test_file, *columns, names, pair)
            name = str(args.test_file)
    except own_data.DataFileError as error:
        raise SystemExit(f"finetune: {error}") from None
    if args.max_examples is not None:
        train = train.select(range(min(args.max_examples, len(train))))
    if args.eval_examples is not None:
        scored = scored.select(range(min(args.eval_examples, len(scored))))
    train_data = own_data.tokenize_rows(train, tokenizer, max_length)
    test_data = own_data.tokenize_rows(scored, tokenizer, max_length) if len(scored) else []
    return RunData(train_data, test_data, names, name)


def tagged_data(args: argparse.Namespace, tokenizer, max_length: int, say=print) -> RunData:
    """Return a learner's word-tagged sentences: training rows as token batches, the scored
    ones also encoded with their word alignments (entity F1 is counted on words)."""
    from bert_tutorial import own_data
    from bert_tutorial.ner import encode_tagged, split_to_window, tag_names

    keys = (args.text_column, args.label_column)
    try:
        train, notes = own_data.read_tagged(args.train_file, *keys)
        names = tag_names(train)  # the train file's tags, before any split
        if args.validation_file:
            validation, more = own_data.read_tagged(args.validation_file, *keys)
            notes += more
        elif len(train) < 2:
            raise own_data.DataFileError(f"{args.train_file}: one tagged sentence, too few to "
                                         "split off a validation set; add sentences, or give "
                                         "--validation-file")
        else:
            order = list(range(len(train)))
            random.Random(args.seed).shuffle(order)
            cut = max(1, len(train) // 10)
            validation = [train[i] for i in order[:cut]]
            train = [train[i] for i in order[cut:]]
            say(f"finetune: validation: a seeded {len(validation)} of the "
                f"{len(train) + len(validation)} sentences of {args.train_file} (seed {args.seed})")
        source = args.validation_file or args.train_file
        scored, name = validation, f"validation sentences of {source}"
        if args.test_file:
            scored, more = own_data.read_tagged(args.test_file, *keys)
            notes, name = notes + more, str(args.test_file)
    except own_data.DataFileError as error:
        raise SystemExit(f"finetune: {error}") from None
    for note in notes:
        say(f"finetune: {note}")
    unknown = sorted({tag for s in scored for tag in s.tags} - set(names))
    if unknown:
        raise SystemExit(f"finetune: the {name} have tags {unknown} that training never saw; fix "
                         "them, or add examples of them to the train file")
    label2id = {tag: i for i, tag in enumerate(names)}
    train, scored = train[: args.max_examples], scored[: args.eval_examples]
    train, cut = split_to_window(train, tokenizer, max_length)
    if cut:
        say(f"finetune: {cut} training sentence{'s' * (cut > 1)} longer than the {max_length}-"
            "token window, each cut between words into pieces that fit, so that every word is "
            "trained on (in CoNLL columns, a blank line ends a sentence)")
    encoded_train = encode_tagged(train, tokenizer, label2id, max_length=max_length)
    say_words_cut(encoded_train.alignments, max_length, say)
    train_data = encoded_train.dataset
    if not scored:
        return RunData(train_data, [], names, name)
    encoded = encode_tagged(scored, tokenizer, label2id, max_length=max_length)
    return RunData(train_data, encoded.dataset, names, name, tagged_test=(encoded, scored))


def say_words_cut(alignments, max_length: int, say=print) -> None:
    """Say how many training words lie past the token window, so are never trained on."""
    cut = [a for a in alignments if a.truncated]
    if not cut:
        return
    # a word keeps its label while its first sub-token is kept
    lost = sum(len(a.words) - 1 - max((w for w in a.token_to_word if w is not None), default=-1)
               for a in cut)
    total = sum(len(a.words) for a in alignments)
    say(f"finetune: {lost} of {total} training words are past the {max_length}-token window "
        f"of their sentence ({len(cut)} sentences cut) and never trained on; a word of more "
        f"tokens than the window is cut within itself: check those words")


def entity_f1(model, data: RunData, device, pad_token_id: int) -> float:
    """Return the entity-level micro F1 (seqeval) of `model`'s word tags on `data`'s scored set."""
    from seqeval.metrics import f1_score

    from bert_tutorial.ner import predict_word_tags

    encoded, sentences = data.tagged_test
    predicted = predict_word_tags(model, encoded, dict(enumerate(data.names)), device,
                                  pad_token_id=pad_token_id)
    return f1_score([list(s.tags) for s in sentences], predicted)
