"""A learner's own labelled sentences, from CSV, TSV or JSON Lines, checked before training.

`read_labelled` loads the file with `datasets` (Arrow on disk, memory-mapped: a file of 100,000
rows never becomes a Python list) and refuses what would otherwise fail deep inside training or,
worse, train on the wrong thing: each error is one line naming the file, the line and the fix.
"""

from __future__ import annotations

import codecs
import difflib
import itertools
import math
import re
from pathlib import Path

LOADERS = {".csv": ("csv", {}), ".tsv": ("csv", {"sep": "\t"}), ".jsonl": ("json", {}),
           ".json": ("json", {})}  # fmt: skip
WHOLE_NUMBER = r"^\s*-?\d+\s*$"
DECIMAL_NUMBER = r"^\s*-?\d*\.\d+\s*$"


class DataFileError(ValueError):
    """A data file that cannot be used as it is; the message names the file, line and fix."""


def line_of(path: Path, row: int) -> int:
    """Return the file line where data row `row` (0-based) starts.

    Read from the file, as it is only asked for an error: a quoted CSV field may hold newlines,
    and blank lines (skipped by the readers) may sit between rows.
    """
    import csv

    with path.open(encoding="utf-8-sig", newline="") as file:
        if path.suffix.lower() in (".csv", ".tsv"):
            records = csv.reader(file, delimiter=LOADERS[path.suffix.lower()][1].get("sep", ","))
            next(records, None)  # the header
            index, start = 0, records.line_num + 1
            for record in records:
                if record and index == row:
                    return start
                index += bool(record)
                start = records.line_num + 1
        else:
            index = 0
            for number, line in enumerate(file, 1):
                if line.strip() and index == row:
                    return number
                index += bool(line.strip())
    raise IndexError(f"{path} has no data row {row}")


def check_utf8(path: Path, chunk_size: int = 1 << 20) -> None:
    """Raise `DataFileError` unless `path` is UTF-8 (a BOM is fine), naming the first bad line."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    newlines = 0
    with path.open("rb") as file:
        head = file.read(4096)
        # UTF-16 starts with a byte-order mark, or, without one, holds a zero byte beside every
        # ASCII letter; no text file in UTF-8 holds zero bytes.
        if head[:2] in (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE) or b"\x00" in head:
            raise DataFileError(f"{path}: the file is UTF-16; save it as UTF-8 (e.g. iconv -f "
                                f"utf-16 -t utf-8 {path.name} > utf8-{path.name})")
        file.seek(0)
        while chunk := file.read(chunk_size):
            try:
                decoder.decode(chunk)
            except UnicodeDecodeError as error:
                line = newlines + chunk[: error.start].count(b"\n") + 1
                guess = ""
                try:
                    path.read_bytes().decode("cp1252")
                    guess = (f"; it reads as Windows-1252 (cp1252): convert it with iconv -f "
                             f"cp1252 -t utf-8 {path.name} > utf8-{path.name}")
                except UnicodeDecodeError:
                    pass
                raise DataFileError(f"{path}, line {line}: not UTF-8{guess or '; save it as UTF-8'}"
                                    ) from None
            newlines += chunk.count(b"\n")


def check_fields(path: Path, sep: str, rows: int = 1000) -> None:
    """Raise `DataFileError` when the header or one of the first `rows` rows of a CSV or TSV
    file has another number of fields than the header (pandas would read a text holding an
    unquoted separator in every row as an index column and drop part of the text)."""
    import csv

    with path.open(encoding="utf-8-sig", newline="") as file:
        records = csv.reader(file, delimiter=sep)
        header = next(records, [])
        if len(header) == 1 and sep == ",":
            other = next((s for s in (";", "\t", "|") if s in header[0]), None)
            if other:
                raise DataFileError(
                    f"{path}: the header {header[0]!r} is one column: the file separates its "
                    f"fields with {other!r}, not commas; save it as CSV with commas"
                    + (", or name it .tsv" if other == "\t" else ""))
        start = records.line_num + 1
        for record in itertools.islice(records, rows):
            if record and len(record) != len(header):
                raise DataFileError(
                    f"{path}, line {start}: {len(record)} fields but the header has "
                    f"{len(header)}; a text that holds {sep!r} needs quotes around it")
            start = records.line_num + 1


def load_table(path: Path, label_column: str | None = None):
    """Return the rows of a CSV, TSV or JSON Lines file as a `datasets.Dataset`, or raise.

    CSV and TSV cells are read as written: "NA", "null" or "None" stay text, not missing values,
    and the label column stays text ("True" is a class name, not a boolean).
    """
    from datasets import load_dataset
    from datasets.exceptions import DatasetGenerationError

    path = Path(path)
    if not path.is_file():
        raise DataFileError(f"{path}: no such file; give the path of a .csv, .tsv or .jsonl file")
    if path.suffix.lower() not in LOADERS:
        raise DataFileError(f"{path}: unknown extension {path.suffix!r}; use .csv, .tsv or .jsonl "
                            "(JSON Lines: one object per line)")
    check_utf8(path)
    with path.open("rb") as file:  # read until the first byte that is not whitespace
        if not any(chunk.strip() for chunk in iter(lambda: file.read(1 << 16), b"")):
            raise DataFileError(f"{path}: the file is empty; add the labelled sentences")
    builder, options = LOADERS[path.suffix.lower()]
    if builder == "csv":
        check_fields(path, options.get("sep", ","))
        options = {**options, "keep_default_na": False,
                   "converters": {label_column: str} if label_column else None}
    try:
        rows = load_dataset(builder, data_files={"rows": str(path)}, split="rows", **options)
    except ValueError as error:
        if "corresponds to no data" not in str(error):
            raise
        rows = []
    except DatasetGenerationError as error:
        cause = str(error.__cause__ or error.__context__ or error).strip()
        # Older datasets (Colab's) fail here on a JSON key whose values change type; newer
        # ones read the column and label_strings names it: the same message either way.
        mixed = re.search(r"Column\(/?([^)]*)\) changed from (\w+) to (\w+)", cause)
        if mixed:
            raise DataFileError(f"{path}: column {mixed[1]!r} mixes {mixed[2]}s and {mixed[3]}s; "
                                "write every label the same way, e.g. all as names") from None
        hint = ("a row whose text holds the separator needs quotes around that field"
                if builder == "csv" else "give one JSON object per line")
        raise DataFileError(f"{path}: {cause}; {hint}") from None
    if not len(rows):
        raise DataFileError(f"{path}: no rows{' below the header' if builder == 'csv' else ''}; "
                            "add the labelled sentences")
    return rows


def check_column(dataset, path: Path, name: str, flag: str) -> None:
    """Raise `DataFileError` unless `dataset` has column `name`; list the columns found."""
    if name in dataset.column_names:
        return
    close = difflib.get_close_matches(name, dataset.column_names, n=1)
    hint = f"did you mean {close[0]!r}? " if close else ""
    raise DataFileError(f"{path}: no column {name!r}; {hint}the columns are "
                        f"{', '.join(map(repr, dataset.column_names))} ({flag} NAME picks one)")


def first_true(mask) -> int | None:
    """Return the index of the first true value of a pyarrow boolean array, or None."""
    import pyarrow.compute as pc

    index = pc.index(mask.fill_null(True), True).as_py()
    return None if index < 0 else index


def check_texts(dataset, path: Path, column: str) -> None:
    """Raise `DataFileError` naming the first row whose text is missing or only whitespace."""
    import pyarrow as pa
    import pyarrow.compute as pc

    texts = dataset.data.column(column)
    if not (pa.types.is_string(texts.type) or pa.types.is_large_string(texts.type)):
        raise DataFileError(f"{path}: column {column!r} holds {texts.type}, not text; "
                            "give the column of sentences as --text-column")
    empty = first_true(pc.equal(pc.utf8_trim_whitespace(texts), ""))
    if empty is not None:
        raise DataFileError(f"{path}, line {line_of(path, empty)}: the text is empty or only "
                            "whitespace; give it text or remove the row")


def label_strings(dataset, path: Path, column: str):
    """Return the label column as a pyarrow string array, refusing missing and mixed labels."""
    import pyarrow as pa
    import pyarrow.compute as pc

    labels = dataset.data.column(column)
    is_text = pa.types.is_string(labels.type) or pa.types.is_large_string(labels.type)
    missing = first_true(pc.is_null(labels))
    if missing is None and is_text:
        missing = first_true(pc.equal(pc.utf8_trim_whitespace(labels), ""))
    if missing is not None:
        raise DataFileError(f"{path}, line {line_of(path, missing)}: no label; give every row "
                            "one, or remove the row")
    if pa.types.is_floating(labels.type):
        raise DataFileError(f"{path}: column {column!r} holds decimal numbers; labels must be "
                            "class names or whole numbers")
    if pa.types.is_integer(labels.type) or pa.types.is_boolean(labels.type):
        return labels.cast(pa.string())  # JSON's true and false become "true" and "false"
    if not is_text:
        raise DataFileError(f"{path}: column {column!r} mixes numbers and strings (or holds "
                            f"{labels.type}); write every label the same way, e.g. all as names")
    decimal = first_true(pc.match_substring_regex(labels, DECIMAL_NUMBER))
    if decimal is not None:
        raise DataFileError(f"{path}, line {line_of(path, decimal)}: label "
                            f"{labels[decimal].as_py()!r} is a decimal number; labels must be "
                            "class names or whole numbers")
    numeric = pc.match_substring_regex(labels, WHOLE_NUMBER)
    if pc.any(numeric).as_py() and not pc.all(numeric).as_py():
        odd = first_true(pc.not_equal(numeric, numeric[0]))
        raise DataFileError(f"{path}, line {line_of(path, odd)}: label {labels[odd].as_py()!r} "
                            f"mixes with labels like {labels[0].as_py()!r} (numbers and names); "
                            "write every label the same way")
    return pc.utf8_trim_whitespace(labels)


def class_names(labels) -> list[str]:
    """Return the distinct labels, sorted: numerically when they are whole numbers."""
    import pyarrow.compute as pc

    names = pc.unique(labels).to_pylist()
    numeric = all(name.strip().lstrip("-").isdigit() for name in names)
    return sorted(names, key=int if numeric else str)


def checked_rows(path, text_column: str, label_column: str, pair_column: str | None = None):
    """Return (rows, labels as strings) of a file whose columns, texts and labels pass checks."""
    path = Path(path)
    dataset = load_table(path, label_column)
    check_column(dataset, path, text_column, "--text-column")
    if pair_column is not None:
        check_column(dataset, path, pair_column, "--text-pair-column")
    check_column(dataset, path, label_column, "--label-column")
    check_texts(dataset, path, text_column)
    if pair_column is not None:
        check_texts(dataset, path, pair_column)
    return dataset, label_strings(dataset, path, label_column)


def text_and_label(dataset, text_column: str, label_ids, pair_column: str | None = None):
    """Return `dataset`'s text column as `text` (its pair column as `text_pair`), with
    `label_ids` as `label`."""
    columns = {text_column: "text"} | ({pair_column: "text_pair"} if pair_column else {})
    texts = dataset.select_columns(list(columns)).rename_columns(columns)
    return texts.add_column("label", label_ids.to_numpy(zero_copy_only=False))


def read_labelled(path, text_column: str, label_column: str, pair_column: str | None = None):
    """Return (dataset with `text` and `label` columns, sorted class names) from a learner's file.

    Labels may be names or whole numbers; the names become the saved model's `id2label`. With
    `pair_column`, each row's second text is kept as `text_pair` (notebook 09).
    """
    import pyarrow as pa
    import pyarrow.compute as pc

    dataset, labels = checked_rows(path, text_column, label_column, pair_column)
    names = class_names(labels)
    if len(names) < 2:
        raise DataFileError(f"{path}: every row has the label {names[0]!r}; a classifier needs "
                            "examples of two or more classes")
    folded = {}
    for name in names:
        if (twin := folded.setdefault(name.casefold(), name)) != name:
            raise DataFileError(f"{path}: labels {twin!r} and {name!r} differ only in case, so "
                                "they would be two classes; write each class the same way")
    label_ids = pc.index_in(labels, value_set=pa.array(names))
    return text_and_label(dataset, text_column, label_ids, pair_column), names


def read_split(path, text_column: str, label_column: str, names: list[str],
               pair_column: str | None = None):
    """Return a validation or test file's rows labelled with the training file's class ids.

    A label that training never saw has no output of the model to be scored against: refused.
    """
    import pyarrow as pa
    import pyarrow.compute as pc

    dataset, labels = checked_rows(path, text_column, label_column, pair_column)
    label_ids = pc.index_in(labels, value_set=pa.array(names))
    unseen = first_true(pc.is_null(label_ids))
    if unseen is not None:
        raise DataFileError(f"{path}, line {line_of(Path(path), unseen)}: label "
                            f"{labels[unseen].as_py()!r} is not in the training file (its classes: "
                            f"{', '.join(names)}); fix the label or add examples of it to training")
    return text_and_label(dataset, text_column, label_ids, pair_column)


def split_validation(dataset, names: list[str], fraction: float = 0.1, seed: int = 0):
    """Return (train, validation): a seeded split that keeps each class's share in both.

    Every class needs at least two examples, one for each side; the validation rows are
    `fraction` of the rows, or one per class where that is more (a small file of many classes).
    """
    from collections import Counter

    from datasets import ClassLabel

    counts = Counter(dataset["label"])
    single = [names[label] for label, count in sorted(counts.items()) if count < 2]
    if single:
        raise DataFileError(f"class {single[0]!r} has one example, too few to split off a "
                            "validation set; add examples of it, or give --validation-file")
    labelled = dataset.cast_column("label", ClassLabel(names=names))
    size = max(math.ceil(fraction * len(dataset)), len(counts))
    parts = labelled.train_test_split(test_size=size, seed=seed, stratify_by_column="label")
    return parts["train"], parts["test"]


class TokenizedRows:
    """Tokenized rows kept in Arrow, read one at a time: `training.TokenizedDataset`'s interface
    (`len`, indexing, `lengths()`) without holding the rows as Python objects."""

    def __init__(self, rows):
        self.token_counts = rows["length"]  # one int per row, for length-grouped batches
        self.rows = rows.remove_columns("length")

    def __len__(self) -> int:
        return len(self.rows)

    def __getitem__(self, index: int) -> dict:
        return self.rows[index]

    def lengths(self) -> list[int]:
        """Return the token count of every row."""
        return self.token_counts


def tokenize_rows(dataset, tokenizer, max_length: int = 128) -> TokenizedRows:
    """Tokenize a `text`/`label` dataset (and `text_pair`, if it has one) in batches, on disk
    (`datasets.map`), for training."""
    pairs = "text_pair" in dataset.column_names

    def encode(batch):
        second = batch["text_pair"] if pairs else None
        encoded = tokenizer(batch["text"], second, truncation=True, max_length=max_length)
        ids = encoded["input_ids"]
        kept = {"token_type_ids": encoded["token_type_ids"]} if pairs else {}
        return {"input_ids": ids, **kept, "labels": batch["label"], "length": [len(i) for i in ids]}

    return TokenizedRows(dataset.map(encode, batched=True, remove_columns=dataset.column_names))


def read_tagged(path, words_key: str = "words", tags_key: str = "tags"):
    """Return (tagged sentences, notes) from JSON Lines (a list of words and one of tags per
    line) or CoNLL-style columns (`word<whitespace>tag` per line, the tag in the last column as
    CoNLL-2003's four do, a blank line or -DOCSTART- between sentences); every tag BIO. An
    `I-` that opens an entity is allowed and counted in `notes`."""
    from bert_tutorial.data import TaggedSentence
    from bert_tutorial.ner import check_bio_tags

    path = Path(path)
    if not path.is_file():
        raise DataFileError(f"{path}: no such file; give a .jsonl file or CoNLL columns (.txt, "
                            ".conll)")
    check_utf8(path)
    sentences, lines = [], []  # lines: where each sentence starts, for the messages
    if path.suffix.lower() == ".jsonl":
        import json

        for number, line in enumerate(path.read_text(encoding="utf-8-sig").splitlines(), 1):
            if not line.strip():
                continue
            try:
                row = json.loads(line)
                words, tags = row[words_key], row[tags_key]
            except (json.JSONDecodeError, KeyError, TypeError) as error:
                raise DataFileError(f"{path}, line {number}: expected an object with lists "
                                    f"{words_key!r} and {tags_key!r} ({error})") from None
            if len(words) != len(tags):
                raise DataFileError(f"{path}, line {number}: {len(words)} words but {len(tags)} "
                                    "tags; give one tag per word")
            if not words:
                raise DataFileError(f"{path}, line {number}: no words; remove the line or give "
                                    "it words and their tags")
            sentences.append(TaggedSentence(tuple(words), tuple(tags)))
            lines.append(number)
    else:
        words, tags, first = [], [], 1
        for number, line in enumerate(path.read_text(encoding="utf-8-sig").splitlines(), 1):
            parts = line.split()
            if not parts or parts[0] == "-DOCSTART-":  # CoNLL-2003 marks documents so
                if words:
                    sentences.append(TaggedSentence(tuple(words), tuple(tags)))
                    lines.append(first)
                words, tags, first = [], [], number + 1
                continue
            if len(parts) < 2:
                raise DataFileError(f"{path}, line {number}: expected a word and a tag, got "
                                    f"{line!r}; one word per line, a blank line between "
                                    "sentences")
            words.append(parts[0])
            tags.append(parts[-1])  # CoNLL-2003's 4 columns: word, POS, chunk, entity tag
        if words:
            sentences.append(TaggedSentence(tuple(words), tuple(tags)))
            lines.append(first)
    if not sentences:
        raise DataFileError(f"{path}: no tagged sentences found")
    if all(tag == "O" for sentence in sentences for tag in sentence.tags):
        raise DataFileError(f"{path}: every tag is 'O'; a tagger learns entities from examples "
                            "of them: tag the entities (B-type, I-type)")
    opened_by_i = []
    for sentence, number in zip(sentences, lines, strict=True):
        try:
            check_bio_tags(sentence.tags, f"{path}, sentence at line {number}")
        except ValueError as error:
            raise DataFileError(str(error)) from None
        previous = "O"
        for tag in sentence.tags:
            if tag.startswith("I-") and previous[2:] != tag[2:]:
                opened_by_i.append(number)
            previous = tag
    notes = []
    if opened_by_i:
        notes.append(f"{len(opened_by_i)} entities open with I- instead of B- (first in the "
                     f"sentence at line {opened_by_i[0]}); they are read as entities")
    return sentences, notes
