"""Bad input where a learner's own data, files or settings enter: each case must fail early with
an error that names the bad value (or what is missing) and the fix. One row per case; the table
is the specification. Everywhere else the package lets torch and transformers report errors.
"""

import atexit
import shutil
import tempfile
from pathlib import Path

import pytest

from bert_tutorial import align, assets, embed, family, mlm, models, ner, pipelines, training
from bert_tutorial.data import TaggedSentence
from bert_tutorial.finetune import check_arguments, parse_args
from bert_tutorial.own_data import (
    DataFileError,
    read_labelled,
    read_split,
    read_tagged,
    split_validation,
)
from bert_tutorial.run_data import read_run_data

ALIGNMENT = align.WordAlignment(
    words=("hi",), input_ids=[101, 7632, 102], tokens=["[CLS]", "hi", "[SEP]"],
    token_to_word=[None, 0, None], word_to_tokens=[(1,)], truncated=False,
)  # fmt: skip
LABEL2ID = {"O": 0, "B-geo-loc": 1, "I-geo-loc": 2}


OWN_FILES = Path(tempfile.mkdtemp(prefix="own-data-"))
atexit.register(shutil.rmtree, OWN_FILES, ignore_errors=True)
CSV = "text,label\n"
PAIRS = "question,sentence,label\n"


def own_file(name: str, content: str | bytes | None) -> Path:
    """Write a learner's file into a fresh folder (None: leave it missing) and return its path."""
    path = Path(tempfile.mkdtemp(dir=OWN_FILES)) / name
    if content is not None:
        path.write_bytes(content.encode() if isinstance(content, str) else content)
    return path


def without_mask_token(tokenizer):
    from copy import deepcopy

    plain = deepcopy(tokenizer)
    plain.mask_token = None
    return plain


def tagged_run(train_file: Path):
    """Return the command's arguments for tagging `train_file`, with no validation file."""
    return parse_args(["--output-dir", "x", "--task", "token-classification",
                       "--train-file", str(train_file)])


def sentence_classifier():
    from bert_tutorial.modeling import BertSentenceClassifier

    return BertSentenceClassifier.from_pretrained(models.model_path(), num_labels=2)


# (case id, call taking the tokenizer, exception, regex the message must match)
CASES = [
    # words to align (notebooks 01, 04)
    ("words is one string", lambda t: align.align_words("Paris rocks", t), TypeError, r"split it into words first \(text.split\(\)\)"),
    ("words empty", lambda t: align.align_words([], t), ValueError, "words is empty"),
    ("word not a str", lambda t: align.align_words(["a", 3], t), TypeError, r"words\[1\] is 3 of type int.*str\(\)"),
    ("word is None", lambda t: align.align_words(["ok", None], t), TypeError, r"words\[1\] is None"),
    ("words a set", lambda t: align.align_words({"a"}, t), TypeError, "list or tuple of strings, got set"),
    ("word without tokens", lambda t: align.align_words(["a", "\u200b"], t), align.EmptyWordError, "allow_empty_words=True"),
    ("too many tokens", lambda t: align.align_words(["word"] * 600, t), align.SequenceTooLongError, "602 tokens, more than the maximum of 512; pass truncation=True"),
    ("too few labels", lambda t: align.align_labels(ALIGNMENT, [0, 1]), ValueError, "2 labels for 1 words"),
    ("label not an int", lambda t: align.align_labels(ALIGNMENT, ["B-PER"]), TypeError, "map tag names with label2id"),
    ("labels one string", lambda t: align.align_labels(ALIGNMENT, "O"), TypeError, "list of ints, one per word, got str"),
    ("B- without I-", lambda t: align.b_to_i_continuation(["O", "B-x"]), ValueError, "'B-x' has no matching 'I-x'"),
    # models and assets
    ("unknown asset", lambda t: assets.get_asset("bert-large"), KeyError, "known assets: bigbench, gpt2_bpe, minilm, movie_reviews, wnut16"),
    ("empty model name", lambda t: models.model_name("  "), ValueError, "non-empty string or None"),
    ("model name not a str", lambda t: models.model_name(3), ValueError, "non-empty string or None, got 3"),
    ("missing model folder", lambda t: models.model_path("./no-such-folder"), models.ModelNotAvailableError, "does not exist; give an existing folder"),
    ("not a hub id", lambda t: models.model_path("a/b/c"), models.ModelNotAvailableError, "does not exist"),
    ("unknown hub model offline", lambda t: models.load_tokenizer_and_model("no-such-org/no-such-bert"), models.ModelNotAvailableError, "name=None"),
    # sentences to embed (notebook 02)
    ("sentences one string", lambda t: embed.embed_sentences("good film", t, None), TypeError, r"wrap one text in a list \(\[text\]\)"),
    ("sentences empty", lambda t: embed.padding_cost([], t), ValueError, "sentences is empty"),
    ("sentence not a str", lambda t: embed.padding_cost(["a", None], t), TypeError, r"sentences\[1\] is None"),
    ("unknown pooling", lambda t: embed.pool(None, None, "max"), ValueError, "pooling must be one of"),
    # texts and labels to train on (notebook 03)
    ("texts and labels mismatch", lambda t: training.tokenize_sentences(["a", "b"], [0], t, num_labels=2), ValueError, "2 texts but 1 labels"),
    ("texts one string", lambda t: training.tokenize_sentences("ab", [0, 1], t, num_labels=2), TypeError, "wrap one text"),
    ("text not a str", lambda t: training.tokenize_sentences([None], [0], t, num_labels=2), TypeError, r"texts\[0\] is None"),
    ("no training texts", lambda t: training.tokenize_sentences([], [], t, num_labels=2), ValueError, "texts is empty"),
    ("class label out of range", lambda t: training.tokenize_sentences(["a"], [2], t, num_labels=2), ValueError, r"label 0 is 2; labels must be ints in 0..1"),
    ("negative class label", lambda t: training.tokenize_sentences(["a"], [-1], t, num_labels=2), ValueError, "label 0 is -1"),
    ("class label a float", lambda t: training.tokenize_sentences(["a"], [1.0], t, num_labels=2), ValueError, "label 0 is 1.0"),
    # models and tasks of notebook 05
    ("family name not in the table", lambda t: family.describe("GPT-2"), KeyError, "no family member 'GPT-2'; choose one of: BERT-base"),
    ("pipeline task the model cannot do", lambda t: pipelines.task_pipeline("token-classification", sentence_classifier(), t), ValueError, "2-D logits, one row per text.*use task='text-classification'"),
    # word-tagged sentences (notebook 04)
    ("encode no sentences", lambda t: ner.encode_tagged([], t, LABEL2ID), ValueError, "at least one tagged sentence"),
    ("words and tags mismatch", lambda t: ner.encode_tagged([TaggedSentence(("a", "b"), ("O",))], t, LABEL2ID), ValueError, "2 words but 1 tags"),
    ("tag not in label2id", lambda t: ner.encode_tagged([TaggedSentence(("a",), ("B-person",))], t, LABEL2ID), KeyError, r"tags \['B-person'\] that are not in label2id"),
    ("tag not BIO", lambda t: ner.tag_names([TaggedSentence(("a",), ("PER",))]), ValueError, r"tag 0 is 'PER'; BIO tags"),
    ("entities mismatch", lambda t: ner.entities(["a", "b"], ["O"]), ValueError, "2 words but 1 tags"),
    ("entities bad tag", lambda t: ner.entities(["a"], ["S-PER"]), ValueError, "IOBES"),
    ("id2label without O", lambda t: ner.predict_word_tags(None, None, {0: "B-x"}, "cpu", pad_token_id=0), ValueError, "no 'O' tag"),
    # sentences to mask (notebook 08)
    ("masking probability 0", lambda t: mlm.masked_batches(["a film"], t, 8, mlm_probability=0), ValueError, r"between 0 and 1 \(BERT used 0.15\), got 0"),
    ("masking probability 1", lambda t: mlm.masked_batches(["a film"], t, 8, mlm_probability=1), ValueError, "between 0 and 1"),
    ("masking probability 15", lambda t: mlm.masked_batches(["a film"], t, 8, mlm_probability=15), ValueError, "got 15"),
    ("negative masking probability", lambda t: mlm.masked_batches(["a film"], t, 8, mlm_probability=-0.1), ValueError, "got -0.1"),
    ("empty sentence to mask", lambda t: mlm.masked_batches(["a film", "a plot", " "], t, 2), ValueError, r"sentence 2 is empty \(' '\)"),
    ("tokenizer without a mask token", lambda t: mlm.masked_batches(["a film"], without_mask_token(t), 8), ValueError, "has no mask token.*load the tokenizer of a masked language model"),
    # a learner's own file of labelled sentences (python -m bert_tutorial.finetune --train-file)
    ("missing file", lambda t: read_labelled(own_file("gone.csv", None), "text", "label"), DataFileError, r"gone.csv: no such file"),
    ("unknown extension", lambda t: read_labelled(own_file("data.xlsx", b"x"), "text", "label"), DataFileError, r"unknown extension '.xlsx'; use .csv, .tsv or .jsonl"),
    ("misspelt column", lambda t: read_labelled(own_file("a.csv", CSV + "a,x\nb,y\n"), "txt", "label"), DataFileError, r"no column 'txt'; did you mean 'text'\? the columns are 'text', 'label' \(--text-column NAME"),
    ("missing label column", lambda t: read_labelled(own_file("a.csv", CSV + "a,x\n"), "text", "class"), DataFileError, r"no column 'class'.*--label-column"),
    ("empty text", lambda t: read_labelled(own_file("a.csv", CSV + "a,x\n   ,y\n"), "text", "label"), DataFileError, r"a.csv, line 3: the text is empty or only whitespace"),
    ("missing text", lambda t: read_labelled(own_file("a.csv", CSV + "a,x\n,y\n"), "text", "label"), DataFileError, r"line 3: the text is empty"),
    # a learner's own sentence pairs (--text-pair-column, notebook 09)
    ("misspelt pair column", lambda t: read_labelled(own_file("p.csv", PAIRS + "q,s,x\n"), "question", "label", "sentnce"), DataFileError, r"no column 'sentnce'; did you mean 'sentence'\?.*--text-pair-column NAME"),
    ("empty second text", lambda t: read_labelled(own_file("p.csv", PAIRS + "q,s,x\nr,  ,y\n"), "question", "label", "sentence"), DataFileError, r"p.csv, line 3: the text is empty or only whitespace"),
    ("missing second text", lambda t: read_labelled(own_file("p.csv", PAIRS + "q,s,x\nr,,y\n"), "question", "label", "sentence"), DataFileError, r"p.csv, line 3: the text is empty"),
    ("pair column is the text column", lambda t: parse_args("--output-dir x --train-file p.csv --text-column q --text-pair-column q".split()), SystemExit, r"column 'q' is given twice \(--text-pair-column and --text-column\)"),
    ("pair column is the label column", lambda t: parse_args("--output-dir x --train-file p.csv --text-pair-column label".split()), SystemExit, r"given twice \(--text-pair-column and --label-column\)"),
    ("pair column for tagged words", lambda t: parse_args("--output-dir x --task token-classification --train-file p.conll --text-pair-column s".split()), SystemExit, r"--text-pair-column needs --train-file and the task text-classification"),
    ("row without a label", lambda t: read_labelled(own_file("a.csv", CSV + "a,x\nb,y\nc,\n"), "text", "label"), DataFileError, r"line 4: no label; give every row one"),
    ("one class only", lambda t: read_labelled(own_file("a.csv", CSV + "a,x\nb,x\n"), "text", "label"), DataFileError, r"every row has the label 'x'; a classifier needs examples of two or more"),
    ("numbers and names mixed", lambda t: read_labelled(own_file("a.csv", CSV + "a,1\nb,pos\n"), "text", "label"), DataFileError, r"line 3: label 'pos' mixes with labels like '1'"),
    ("mixed in JSON Lines", lambda t: read_labelled(own_file("a.jsonl", '{"t": "a", "y": 1}\n{"t": "b", "y": "pos"}\n'), "t", "y"), DataFileError, "mixes numbers and strings"),
    ("decimal labels", lambda t: read_labelled(own_file("a.csv", CSV + "a,1\nb,1.5\n"), "text", "label"), DataFileError, r"line 3: label '1.5' is a decimal number"),
    ("decimal labels in JSON Lines", lambda t: read_labelled(own_file("a.jsonl", '{"t": "a", "y": 0.5}\n{"t": "b", "y": 1.5}\n'), "t", "y"), DataFileError, "holds decimal numbers"),
    ("numbers as text", lambda t: read_labelled(own_file("a.csv", CSV + "1,x\n2,y\n"), "text", "label"), DataFileError, r"column 'text' holds int64, not text"),
    ("ragged CSV row", lambda t: read_labelled(own_file("a.csv", CSV + "a,x\nb, c,y\n"), "text", "label"), DataFileError, r"line 3: 3 fields but the header has 2; a text that holds ',' needs quotes"),
    ("unquoted comma in every row", lambda t: read_labelled(own_file("a.csv", CSV + "good, fine,x\ndull, slow,y\n"), "text", "label"), DataFileError, r"line 2: 3 fields but the header has 2"),
    ("a row after a quoted newline", lambda t: read_labelled(own_file("a.csv", CSV + '"two\nlines",x\nb,\n'), "text", "label"), DataFileError, r"a.csv, line 4: no label"),
    ("JSON Lines with blank lines", lambda t: read_labelled(own_file("a.jsonl", '{"t": "a", "y": "x"}\n\n{"t": " ", "y": "y"}\n'), "t", "y"), DataFileError, r"a.jsonl, line 3: the text is empty"),
    ("header only", lambda t: read_labelled(own_file("a.csv", CSV), "text", "label"), DataFileError, "no rows below the header; add the labelled sentences"),
    ("validation file with a header only", lambda t: read_split(own_file("valid.csv", CSV), "text", "label", ["x", "y"]), DataFileError, "valid.csv: no rows below the header"),
    ("empty JSON Lines", lambda t: read_labelled(own_file("a.jsonl", ""), "text", "label"), DataFileError, "a.jsonl: the file is empty"),
    ("semicolons, not commas", lambda t: read_labelled(own_file("a.csv", "text;label\na;x\n"), "text", "label"), DataFileError, r"separates its fields with ';', not commas"),
    ("tabs in a .csv", lambda t: read_labelled(own_file("a.csv", "text\tlabel\na\tx\n"), "text", "label"), DataFileError, r"with '\\t', not commas; save it as CSV with commas, or name it .tsv"),
    ("classes that differ in case", lambda t: read_labelled(own_file("a.csv", CSV + "a,Positive\nb,positive\nc,negative\n"), "text", "label"), DataFileError, r"labels 'Positive' and 'positive' differ only in case"),
    ("cp1252 file", lambda t: read_labelled(own_file("a.csv", (CSV + "caf\u00e9,x\nb,y\n").encode("cp1252")), "text", "label"), DataFileError, r"line 2: not UTF-8; it reads as Windows-1252 \(cp1252\): convert it with iconv -f cp1252"),
    ("UTF-16 file", lambda t: read_labelled(own_file("a.csv", (CSV + "a,x\n").encode("utf-16")), "text", "label"), DataFileError, "the file is UTF-16; save it as UTF-8"),
    ("UTF-16 without a byte-order mark", lambda t: read_labelled(own_file("a.csv", (CSV + "caf\u00e9,x\n").encode("utf-16-le")), "text", "label"), DataFileError, "the file is UTF-16; save it as UTF-8"),
    ("class with one example to split", lambda t: split_validation(*read_labelled(own_file("a.csv", CSV + "a,x\nb,x\nc,y\n"), "text", "label")), DataFileError, r"class 'y' has one example, too few to split off a validation set; .*--validation-file"),
    ("test label training never saw", lambda t: read_split(own_file("test.csv", CSV + "a,bug\nb,praise\n"), "text", "label", ["bug", "feature"]), DataFileError, r"test.csv, line 3: label 'praise' is not in the training file \(its classes: bug, feature\)"),
    ("no examples to train on", lambda t: parse_args(["--output-dir", "x", "--max-examples", "0"]), SystemExit, r"--max-examples 0: give 1 or more"),
    ("more processes than examples", lambda t: check_arguments(parse_args(["--output-dir", "x", "--batch-size", "2"]), num_processes=2, num_examples=1), SystemExit, r"1 training examples for 2 processes.*fewer processes"),
    # a learner's word-tagged sentences (--task token-classification)
    ("words and tags of different lengths", lambda t: read_tagged(own_file("a.jsonl", '{"words": ["a", "b"], "tags": ["O"]}\n')), DataFileError, r"a.jsonl, line 1: 2 words but 1 tags; give one tag per word"),
    ("JSON Lines without the keys", lambda t: read_tagged(own_file("a.jsonl", '{"tokens": ["a"], "tags": ["O"]}\n')), DataFileError, r"line 1: expected an object with lists 'words' and 'tags'"),
    ("CoNLL line without a tag", lambda t: read_tagged(own_file("a.conll", "a O\nb\n")), DataFileError, r"line 2: expected a word and a tag, got 'b'"),
    ("tags not BIO", lambda t: read_tagged(own_file("a.conll", "a O\n\nb PER\n")), DataFileError, r"a.conll, sentence at line 3: tag 0 is 'PER'; BIO tags"),
    ("no tagged sentences", lambda t: read_tagged(own_file("a.conll", "\n\n")), DataFileError, "no tagged sentences"),
    ("a sentence without words", lambda t: read_tagged(own_file("a.jsonl", '{"words": [], "tags": []}\n')), DataFileError, r"a.jsonl, line 1: no words"),
    ("every tag O", lambda t: read_tagged(own_file("a.conll", "a O\n\nb O\n")), DataFileError, r"every tag is 'O'; a tagger learns entities"),
    ("one tagged sentence to split", lambda t: read_run_data(tagged_run(own_file("a.conll", "Paris B-loc\n")), t, 128), SystemExit, r"a.conll: one tagged sentence, too few to split off a validation set"),
]  # fmt: skip


@pytest.mark.parametrize(
    ("call", "error", "message"), [c[1:] for c in CASES], ids=[c[0] for c in CASES]
)
def test_bad_input_gives_a_clear_error(call, error, message, tokenizer):
    with pytest.raises(error, match=message):
        call(tokenizer)
