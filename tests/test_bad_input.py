"""Bad input where a learner's own data, files or settings enter: each case must fail early with
an error that names the bad value (or what is missing) and the fix. One row per case; the table
is the specification. Everywhere else the package lets torch and transformers report errors.
"""

import atexit
import gzip
import json
import shutil
import tempfile
from pathlib import Path
from unittest import mock

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
# a row on each of lines 2 to 5 ("[", then 4 lines each), the empty text on line 15
PRETTY_JSON = json.dumps([{"text": "a", "label": "x"}] * 3 + [{"text": "", "label": "y"}], indent=2)


def own_file(name: str, content: str | bytes | None) -> Path:
    """Write a learner's file into a fresh folder (None: leave it missing) and return its path."""
    path = Path(tempfile.mkdtemp(dir=OWN_FILES)) / name
    if content is not None:
        path.write_bytes(content.encode() if isinstance(content, str) else content)
    return path


def unreadable(path: Path):
    """Read `path` as a user without read access would (the tests run as root, who may read it)."""
    with mock.patch.object(Path, "open", side_effect=PermissionError(13, "Permission denied")):
        return read_labelled(path, "text", "label")


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
    ("label nan", lambda t: read_labelled(own_file("a.csv", CSV + "a,x\nb,nan\nc,y\n"), "text", "label"), DataFileError, r"a.csv, line 3: label 'nan' is how pandas and Python write a missing value, not a class"),
    ("label None", lambda t: read_labelled(own_file("a.csv", CSV + "a,x\nb,y\nc,None\n"), "text", "label"), DataFileError, r"line 4: label 'None' is how pandas and Python write a missing value"),
    ("label of invisible characters", lambda t: read_labelled(own_file("a.csv", CSV + "a,x\nb,\u200b\n"), "text", "label"), DataFileError, r"a.csv, line 3: no label"),
    ("label with a zero-width space", lambda t: read_labelled(own_file("a.csv", CSV + "a,pos\nb,neg\nc,pos\u200b\n"), "text", "label"), DataFileError, r"lines 2 and 4: labels 'pos' and 'pos\\u200b' print alike .*write both as 'pos'"),
    ("label in NFC and NFD", lambda t: read_labelled(own_file("a.csv", CSV + "a,caf\u00e9\nb,cafe\u0301\nc,th\u00e9\n"), "text", "label"), DataFileError, r"lines 2 and 3: labels 'caf\\xe9' and 'cafe\\u0301' print alike"),
    ("one class only", lambda t: read_labelled(own_file("a.csv", CSV + "a,x\nb,x\n"), "text", "label"), DataFileError, r"every row has the label 'x'; a classifier needs examples of two or more"),
    ("numbers and names mixed", lambda t: read_labelled(own_file("a.csv", CSV + "a,1\nb,pos\n"), "text", "label"), DataFileError, r"line 3: label 'pos' mixes with labels like '1'"),
    ("mixed in JSON Lines", lambda t: read_labelled(own_file("a.jsonl", '{"t": "a", "y": 1}\n{"t": "b", "y": "pos"}\n'), "t", "y"), DataFileError, "mixes numbers and strings"),
    ("a number among the texts", lambda t: read_labelled(own_file("a.jsonl", '{"t": "a", "y": "p"}\n{"t": 5, "y": "n"}\n'), "t", "y"), DataFileError, r"line 2: .*5, a number"),
    ("an object as a label", lambda t: read_labelled(own_file("a.jsonl", '{"t": "a", "y": "p"}\n{"t": "b", "y": {"x": 1}}\n'), "t", "y"), DataFileError, r"line 2: label \{'x': 1\} is an object, not a class"),
    ("decimal labels", lambda t: read_labelled(own_file("a.csv", CSV + "a,1\nb,1.5\n"), "text", "label"), DataFileError, r"line 3: label '1.5' is a decimal number"),
    ("NaN label from json.dumps", lambda t: read_labelled(own_file("a.jsonl", '{"t": "a", "y": 1}\n{"t": "b", "y": NaN}\n{"t": "c", "y": 0}\n'), "t", "y"), DataFileError, r"a.jsonl, line 2: label NaN is how json.dumps writes a missing value"),
    ("decimal labels in JSON Lines", lambda t: read_labelled(own_file("a.jsonl", '{"t": "a", "y": 0.5}\n{"t": "b", "y": 1.5}\n'), "t", "y"), DataFileError, "holds decimal numbers"),
    ("numbers as text", lambda t: read_labelled(own_file("a.csv", CSV + "1,x\n2,y\n"), "text", "label"), DataFileError, r"column 'text' holds no text \(its first value, 1, is a number\)"),
    ("ragged CSV row", lambda t: read_labelled(own_file("a.csv", CSV + "a,x\nb, c,y\n"), "text", "label"), DataFileError, r"line 3: 3 fields but the header has 2; a text that holds ',' needs quotes"),
    ("unquoted comma in every row", lambda t: read_labelled(own_file("a.csv", CSV + "good, fine,x\ndull, slow,y\n"), "text", "label"), DataFileError, r"line 2: 3 fields but the header has 2"),
    ("a row after a quoted newline", lambda t: read_labelled(own_file("a.csv", CSV + '"two\nlines",x\nb,\n'), "text", "label"), DataFileError, r"a.csv, line 4: no label"),
    ("empty text in a one-line JSON list", lambda t: read_labelled(own_file("a.json", '[{"text": "a", "label": "x"}, {"text": " ", "label": "y"}]'), "text", "label"), DataFileError, r"a.json, line 1: the text is empty"),
    ("empty text in an indented JSON list", lambda t: read_labelled(own_file("a.json", PRETTY_JSON), "text", "label"), DataFileError, r"a.json, line 15: the text is empty"),
    ("text of invisible characters", lambda t: read_labelled(own_file("a.csv", CSV + "a,x\n\u200b\u200b,y\n"), "text", "label"), DataFileError, r"a.csv, line 3: the text is empty or only whitespace"),
    ("text over the csv module's field limit", lambda t: read_labelled(own_file("a.csv", CSV + "a,x\n" + "w" * 140_000 + ",y\n"), "text", "label"), DataFileError, r"a.csv, line 3: the text is 140,000 characters long, more than 131,072; if a quote .* left open .*shorten it"),
    ("file the user may not read", lambda t: unreadable(own_file("a.csv", CSV + "a,x\nb,y\n")), DataFileError, r"a.csv: cannot be read \(Permission denied\); make it readable \(chmod u\+r"),
    ("folder given as the file", lambda t: read_labelled(own_file("a.csv", CSV).parent, "text", "label"), DataFileError, r"a folder, not a file; give the path of a .csv, .tsv or .jsonl file"),
    ("header names a column twice", lambda t: read_labelled(own_file("a.csv", "text,label,label\na,x,y\nb,y,x\n"), "text", "label"), DataFileError, r"a.csv, line 1: the header names column 'label' twice \(the second would be read as 'label.1'\)"),
    ("header again inside the data", lambda t: read_labelled(own_file("a.csv", CSV + "a,x\nb,y\ntext,label\nc,x\n"), "text", "label"), DataFileError, r"a.csv, line 4: the header again \(files joined with cat\?\)"),
    ("quote left open swallows rows", lambda t: read_labelled(own_file("a.csv", CSV + 'a,neg\n"great film,pos\nok film,neg\nfine" movie,pos\nd,neg\n'), "text", "label"), DataFileError, r'a.csv, line 3: a quote \(\"\) opens a text that runs on to line 5, swallowing the rows between; close the quote'),
    ("quote never closed", lambda t: read_labelled(own_file("a.csv", CSV + 'a,x\n"never closed,y\nb,x\nc,y\n'), "text", "label"), DataFileError, r"a.csv, line 3: a quote .* runs on to line 5"),
    ("quote never closed after row 1000", lambda t: read_labelled(own_file("a.csv", CSV + "".join(f"r{i},{'xy'[i % 2]}\n" for i in range(1500)) + '"never closed,y\nb,x\n'), "text", "label"), DataFileError, r"a.csv, line 1502: a quote .* runs on to the end of the file"),
    ("JSON Lines line that is an array", lambda t: read_labelled(own_file("a.jsonl", '{"t": "a", "y": "x"}\n["b", "y"]\n'), "t", "y"), DataFileError, r"a.jsonl, line 2: an array, not a JSON object; give one object per line"),
    ("JSON Lines line that is a string", lambda t: read_labelled(own_file("a.jsonl", '{"t": "a", "y": "x"}\n"b"\n'), "t", "y"), DataFileError, r"a.jsonl, line 2: a string, not a JSON object"),
    ("Python dicts written with str()", lambda t: read_labelled(own_file("a.jsonl", "{'t': 'a', 'y': 'x'}\n{'t': 'b', 'y': 'y'}\n"), "t", "y"), DataFileError, r"a.jsonl, line 1: a Python dict written with str\(\), not JSON; write each row with json.dumps\(row\)"),
    ("one JSON object holding the rows", lambda t: read_labelled(own_file("a.json", '{"data": [{"t": "a", "y": "x"}, {"t": "b", "y": "y"}]}'), "t", "y"), DataFileError, r"a.json: one JSON object whose 'data' holds a list, not rows"),
    ("backslash-escaped quotes", lambda t: read_labelled(own_file("a.csv", CSV + 'a,x\n"He said \\"hi\\" to me",y\n'), "text", "label"), DataFileError, r'a.csv, line 3: a quote written \\" \(with a backslash\), which CSV does not read as a quote; write a quote inside a quoted text twice \(""\)'),
    ("no header line", lambda t: read_labelled(own_file("a.csv", "good film,pos\nbad film,neg\nfine,pos\n"), "text", "label"), DataFileError, r"no column 'text'; the first line, 'good film,pos', reads as a row, not a header: add a first line naming the columns"),
    ("JSON Lines with blank lines", lambda t: read_labelled(own_file("a.jsonl", '{"t": "a", "y": "x"}\n\n{"t": " ", "y": "y"}\n'), "t", "y"), DataFileError, r"a.jsonl, line 3: the text is empty"),
    ("header only", lambda t: read_labelled(own_file("a.csv", CSV), "text", "label"), DataFileError, "no rows below the header; add the labelled sentences"),
    ("validation file with a header only", lambda t: read_split(own_file("valid.csv", CSV), "text", "label", ["x", "y"]), DataFileError, "valid.csv: no rows below the header"),
    ("empty JSON Lines", lambda t: read_labelled(own_file("a.jsonl", ""), "text", "label"), DataFileError, "a.jsonl: the file is empty"),
    ("semicolons, not commas", lambda t: read_labelled(own_file("a.csv", "text;label\na;x\n"), "text", "label"), DataFileError, r"separates its fields with ';', not commas"),
    ("tabs in a .csv", lambda t: read_labelled(own_file("a.csv", "text\tlabel\na\tx\n"), "text", "label"), DataFileError, r"with '\\t', not commas; save it as CSV with commas, or name it .tsv"),
    ("classes that differ in case", lambda t: read_labelled(own_file("a.csv", CSV + "a,Positive\nb,positive\nc,negative\n"), "text", "label"), DataFileError, r"labels 'Positive' and 'positive' differ only in case"),
    ("cp1252 file", lambda t: read_labelled(own_file("a.csv", (CSV + "caf\u00e9,x\nb,y\n").encode("cp1252")), "text", "label"), DataFileError, r"line 2: not UTF-8; it reads as Windows-1252 \(cp1252\): convert it with iconv -f cp1252"),
    ("UTF-16 file", lambda t: read_labelled(own_file("a.csv", (CSV + "a,x\n").encode("utf-16")), "text", "label"), DataFileError, "the file is UTF-16; save it as UTF-8"),
    ("UTF-16 without a byte-order mark", lambda t: read_labelled(own_file("a.csv", (CSV + "caf\u00e9,x\n").encode("utf-16-le")), "text", "label"), DataFileError, "the file is UTF-16; save it as UTF-8 .*iconv -f utf-16le"),
    ("UTF-16 big-endian without a byte-order mark", lambda t: read_labelled(own_file("a.csv", (CSV + "a,x\n").encode("utf-16-be")), "text", "label"), DataFileError, "the file is UTF-16; save it as UTF-8 .*iconv -f utf-16be"),
    ("gzip file named .csv", lambda t: read_labelled(own_file("a.csv", gzip.compress((CSV + "a,x\n").encode())), "text", "label"), DataFileError, r"a.csv: the file is gzip-compressed, not text; unpack it first \(gunzip -k a.csv\)"),
    ("xlsx workbook named .csv", lambda t: read_labelled(own_file("a.csv", b"PK\x03\x04" + bytes(60)), "text", "label"), DataFileError, r"a zip archive \(an .xlsx workbook is one\), not text; open it in the spreadsheet and save it as CSV UTF-8"),
    ("a stray zero byte", lambda t: read_labelled(own_file("a.csv", CSV + "a,x\nb\x00c,y\n"), "text", "label"), DataFileError, r"a.csv, line 3: a zero byte \(NUL\), which no text holds; remove it \(e.g. tr -d"),
    ("one cp1252 line in a UTF-8 file", lambda t: read_labelled(own_file("a.csv", (CSV + "caf\u00e9,x\n").encode() + "na\u00efve,y\n".encode("cp1252") + "s\u00fc\u00df,x\n".encode()), "text", "label"), DataFileError, r"a.csv, line 3: not UTF-8 but Windows-1252 \(cp1252\), while 2 other lines are UTF-8: converting the whole file would garble those; .*utf8_copy\('.*a.csv'\)"),
    ("class with one example to split", lambda t: split_validation(*read_labelled(own_file("a.csv", CSV + "a,x\nb,x\nc,y\n"), "text", "label")), DataFileError, r"class 'y' has one example, too few to split off a validation set; .*--validation-file"),
    ("test file without labels", lambda t: read_split(own_file("test.csv", "text\na\nb\n"), "text", "label", ["x", "y"]), DataFileError, r"test.csv: no column 'label', only the texts; .*add the labels, or leave out this file"),
    ("test label training never saw", lambda t: read_split(own_file("test.csv", CSV + "a,bug\nb,praise\n"), "text", "label", ["bug", "feature"]), DataFileError, r"test.csv, line 3: label 'praise' is not in the training file \(its classes: bug, feature\)"),
    ("no examples to train on", lambda t: parse_args(["--output-dir", "x", "--max-examples", "0"]), SystemExit, r"--max-examples 0: give 1 or more"),
    ("more processes than examples", lambda t: check_arguments(parse_args(["--output-dir", "x", "--batch-size", "2"]), num_processes=2, num_examples=1), SystemExit, r"1 training examples for 2 processes.*fewer processes"),
    # a learner's word-tagged sentences (--task token-classification)
    ("words and tags of different lengths", lambda t: read_tagged(own_file("a.jsonl", '{"words": ["a", "b"], "tags": ["O"]}\n')), DataFileError, r"a.jsonl, line 1: 2 words but 1 tags; give one tag per word"),
    ("a number among the words", lambda t: read_tagged(own_file("a.jsonl", '{"words": ["a", 3], "tags": ["O", "B-x"]}\n')), DataFileError, r"a.jsonl, line 1: words\[1\] is 3 \(int\), not a string; write it in quotes"),
    ("words one string", lambda t: read_tagged(own_file("a.jsonl", '{"words": "a b", "tags": ["O", "B-x"]}\n')), DataFileError, r"line 1: 'words' is 'a b', not a list"),
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
