"""A learner's own labelled sentences, from CSV, TSV or JSON Lines, checked before training.

`read_labelled` loads the file with `datasets` (Arrow on disk, memory-mapped: a file of 100,000
rows never becomes a Python list) and refuses what would otherwise fail deep inside training or,
worse, train on the wrong thing: each error is one line naming the file, the line and the fix.
"""

from __future__ import annotations

import codecs
import csv
import difflib
import glob
import itertools
import math
import re
import unicodedata
from pathlib import Path

LOADERS = {".csv": ("csv", {}), ".tsv": ("csv", {"sep": "\t"}), ".jsonl": ("json", {}),
           ".json": ("json", {})}  # fmt: skip
WHOLE_NUMBER = r"^\s*[-+]?\d+\s*$"
DECIMAL_NUMBER = r"^\s*[-+]?\d*\.\d+\s*$"
BLANK = r"^[\p{Z}\p{Cc}\p{Cf}]*$"  # spaces, control and format characters (zero-width space, BOM)
MISSING_LABELS = ("nan", "NaN", "NAN", "None", "<NA>")  # pandas' and Python's missing values
FIELD_LIMIT = 131_072  # the csv module's default limit: a longer field is most likely an open quote
NOT_TEXT = {  # first bytes of files that are not text, and what to do with them
    b"\x1f\x8b": ("gzip-compressed", "unpack it first (gunzip -k {name}) and give the file inside"),
    b"PK\x03\x04": ("a zip archive (an .xlsx workbook is one)",
                    "open it in the spreadsheet and save it as CSV UTF-8, or unzip it"),
    b"\xd0\xcf\x11\xe0": ("an old Excel (.xls) workbook", "open it and save it as CSV UTF-8"),
}


class DataFileError(ValueError):
    """A data file that cannot be used as it is; the message names the file, line and fix."""


def csv_records(file, sep: str):
    """Return a `csv.reader` over `file` whose fields may be of any length (too long a text is
    refused later, with its line, rather than by the reader's traceback)."""
    csv.field_size_limit(2**31 - 1)
    return csv.reader(file, delimiter=sep)


def line_of(path: Path, row: int, column: str | None = None) -> int:
    """Return the file line where data row `row` (0-based) starts; in a JSON array, the line of
    the row's `column` key when given (a pretty-printed row spans lines).

    Read from the file, as it is only asked for an error: a quoted CSV field may hold newlines,
    and blank lines (skipped by the readers) may sit between rows.
    """
    with path.open(encoding="utf-8-sig", newline="") as file:
        if path.suffix.lower() in (".csv", ".tsv"):
            records = csv_records(file, LOADERS[path.suffix.lower()][1].get("sep", ","))
            next(records, None)  # the header
            index, start = 0, records.line_num + 1
            for record in records:
                if record and index == row:
                    return start
                index += bool(record)
                start = records.line_num + 1
        elif (text := file.read()).lstrip().startswith("["):
            return json_array_line(text, row, column)
        else:
            index = 0
            for number, line in enumerate(text.split("\n"), 1):  # JSON Lines: "\n" ends a line
                if line.strip() and index == row:
                    return number
                index += bool(line.strip())
    raise IndexError(f"{path} has no data row {row}")


def json_array_line(text: str, row: int, column: str | None) -> int:
    """Return the line of element `row` of the JSON array `text` (of its `column` key if given)."""
    import json

    decoder, separators = json.JSONDecoder(strict=False), re.compile(r"[\s,]*")
    end = text.index("[") + 1
    for _ in range(row + 1):
        start = separators.match(text, end).end()
        _, end = decoder.raw_decode(text, start)
    key = re.compile(rf'"{re.escape(column)}"\s*:').search(text, start, end) if column else None
    return text.count("\n", 0, key.start() if key else start) + 1


def check_readable(path: Path, hint: str) -> None:
    """Raise `DataFileError` unless `path` is a file the user may read; `hint` names the fix."""
    if path.is_dir():
        raise DataFileError(f"{path}: a folder, not a file; {hint}")
    if not path.is_file():
        raise DataFileError(f"{path}: no such file; {hint}")
    try:
        path.open("rb").close()
    except OSError as error:
        raise DataFileError(f"{path}: cannot be read ({error.strerror}); make it readable "
                            f"(chmod u+r '{path}' if it is yours, or ask its owner)") from None


def check_utf8(path: Path, chunk_size: int = 1 << 20) -> None:
    """Raise `DataFileError` unless `path` is UTF-8 text (a BOM is fine), naming what it is
    instead (gzip, zip, UTF-16, a stray zero byte, Windows-1252 lines) and the first bad line."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    newlines = 0
    with path.open("rb") as file:
        head = file.read(4096)
        for magic, (kind, fix) in NOT_TEXT.items():
            if head.startswith(magic):
                raise DataFileError(f"{path}: the file is {kind}, not text; "
                                    + fix.format(name=path.name))
        # UTF-16 starts with a byte-order mark, or, without one, holds a zero byte beside most
        # ASCII characters: at odd offsets (little-endian) or even ones (big-endian).
        endian = ("" if head[:2] in (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)
                  else "le" if head[1::2].count(0) > len(head) // 4
                  else "be" if head[0::2].count(0) > len(head) // 4 else None)
        if endian is not None:
            raise DataFileError(f"{path}: the file is UTF-16; save it as UTF-8 (e.g. iconv -f "
                                f"utf-16{endian} -t utf-8 {path.name} > utf8-{path.name})")
        file.seek(0)
        while chunk := file.read(chunk_size):
            if (zero := chunk.find(0)) >= 0:
                line = newlines + chunk[:zero].count(b"\n") + 1
                raise DataFileError(f"{path}, line {line}: a zero byte (NUL), which no text "
                                    "holds; remove it (e.g. tr -d '\\000' < "
                                    f"{path.name} > clean-{path.name}), or, if the whole file "
                                    "looks odd, export it again as CSV UTF-8")
            try:
                decoder.decode(chunk)
            except UnicodeDecodeError as error:
                line = newlines + chunk[: error.start].count(b"\n") + 1
                raise not_utf8(path, line) from None
            newlines += chunk.count(b"\n")


def not_utf8(path: Path, line: int) -> DataFileError:
    """Return the error for a file that is not UTF-8 from `line` on: the fix for a file in
    Windows-1252, or, where other lines are UTF-8, one that converts only the bad lines."""
    lines = path.read_bytes().removeprefix(codecs.BOM_UTF8).split(b"\n")
    bad, utf8 = [], 0
    for number, data in enumerate(lines, 1):
        try:
            data.decode("utf-8")
            utf8 += not data.isascii()
        except UnicodeDecodeError:
            bad.append(number)
    try:
        b"\n".join(lines[n - 1] for n in bad).decode("cp1252")
    except UnicodeDecodeError:
        return DataFileError(f"{path}, line {line}: not UTF-8; save it as UTF-8")
    if utf8:
        shown = ", ".join(map(str, bad[:5])) + (f" and {len(bad) - 5} more" if len(bad) > 5 else "")
        return DataFileError(
            f"{path}, line{'s' * (len(bad) > 1)} {shown}: not UTF-8 but Windows-1252 (cp1252), "
            f"while {utf8} other lines are UTF-8: converting the whole file would garble those; "
            "convert only the bad lines: python -c \"from bert_tutorial.own_data import "
            f"utf8_copy; utf8_copy('{path}')\" writes utf8-{path.name}")
    return DataFileError(f"{path}, line {line}: not UTF-8; it reads as Windows-1252 (cp1252): "
                         f"convert it with iconv -f cp1252 -t utf-8 {path.name} > utf8-{path.name}")


def utf8_copy(path) -> Path:
    """Write `utf8-<name>` beside `path`: its UTF-8 lines as they are, the others read as
    Windows-1252; return the new file's path (the fix `not_utf8` suggests)."""
    path = Path(path)
    lines = path.read_bytes().split(b"\n")
    fixed = []
    for data in lines:
        try:
            fixed.append(data.decode("utf-8"))
        except UnicodeDecodeError:
            fixed.append(data.decode("cp1252"))
    target = path.with_name(f"utf8-{path.name}")
    target.write_bytes("\n".join(fixed).encode("utf-8"))
    return target


def quote_left_open(path: Path, line: int, until: str) -> DataFileError:
    """Return the error for a quoted CSV field that opens on `line` and runs on `until` a line."""
    return DataFileError(f"{path}, line {line}: a quote (\") opens a text that runs on to {until}, "
                         "swallowing the rows between; close the quote (a quote inside a text is "
                         'written twice: "")')


def check_fields(path: Path, sep: str, rows: int = 1000) -> None:
    """Raise `DataFileError` when the header names a column twice, or when the header or one of
    the first `rows` rows of a CSV or TSV file has another number of fields than the header
    (pandas would read a text holding an unquoted separator in every row as an index column
    and drop part of the text)."""
    with path.open(encoding="utf-8-sig", newline="") as file:
        records = csv_records(file, sep)
        header = next(records, [])
        if len(header) == 1 and sep == ",":
            other = next((s for s in (";", "\t", "|") if s in header[0]), None)
            if other:
                raise DataFileError(
                    f"{path}: the header {header[0]!r} is one column: the file separates its "
                    f"fields with {other!r}, not commas; save it as CSV with commas"
                    + (", or name it .tsv" if other == "\t" else ""))
        twice = next((name for name in header if header.count(name) > 1), None)
        if twice is not None:
            raise DataFileError(f"{path}, line 1: the header names column {twice!r} twice (the "
                                f"second would be read as {twice + '.1'!r}); give each column "
                                "its own name, or remove the one you do not need")
        start = records.line_num + 1
        for record in itertools.islice(records, rows):
            if record and len(record) != len(header):
                if any("\n" in field for field in record):
                    raise quote_left_open(path, start, f"line {records.line_num}")
                raise DataFileError(
                    f"{path}, line {start}: {len(record)} fields but the header has "
                    f"{len(header)}; a text that holds {sep!r} needs quotes around it")
            start = records.line_num + 1


def check_backslash_quotes(path: Path, sep: str) -> None:
    """Raise `DataFileError` naming the first line whose quoted text escapes a quote with a
    backslash (\\"), which CSV does not: pandas would end the text there and mangle the row."""
    data = path.read_bytes()
    if b'\\"' not in data:  # the usual file: one fast scan
        return
    # a quoted field (at a line's start or after a separator) whose first quote is \"
    found = re.search(rb'(?m)(?:^|' + re.escape(sep.encode()) + rb')"[^"\n]*\\"(?!")', data)
    if found:
        line = data.count(b"\n", 0, found.start()) + 1
        raise DataFileError(f"{path}, line {line}: a quote "
                            'written \\" (with a backslash), which CSV does not read as a quote; '
                            'write a quote inside a quoted text twice ("") (pandas: to_csv '
                            "does so by default), or give the file as JSON Lines")


JSON_TYPES = {list: "an array", dict: "an object", str: "a string", int: "a number",
              float: "a number", bool: "true or false", type(None): "null"}


def mixed_json_column(path: Path, column: str, is_label: bool) -> DataFileError:
    """Return the error for a JSON column whose values change type, naming the first odd row
    (older datasets, Colab's, stop at such a column while reading; newer ones read it)."""
    import json

    text = path.read_text(encoding="utf-8-sig")
    rows = (json.loads(text) if text.lstrip().startswith("[")
            else [json.loads(line) for line in text.split("\n") if line.strip()])
    values = [row.get(column) for row in rows]
    odd = next((i for i, value in enumerate(values) if isinstance(value, dict | list)
                or kind_of(value) != kind_of(values[0])), None)
    if odd is None:  # e.g. whole and decimal numbers, one kind in JSON's words
        return DataFileError(f"{path}: column {column!r} holds values of different types; write "
                             f"every row's {column!r} the same way")
    line, value = line_of(path, odd, column), values[odd]
    if is_label and isinstance(value, dict | list):
        return DataFileError(f"{path}, line {line}: label {value!r} is {kind_of(value)}, not a "
                             "class; give each row one class name or whole number")
    if is_label:
        return DataFileError(f"{path}, line {line}: column {column!r} mixes numbers and strings; "
                             "write every label the same way, e.g. all as names")
    return DataFileError(f"{path}, line {line}: {column!r} is {value!r}, {kind_of(value)}, where "
                         f"the first row's is {kind_of(values[0])}; write every row's {column!r} "
                         'the same way (text in quotes: "5")')


def kind_of(value) -> str:
    """Name what a JSON `value` is, in JSON's words ("a number", "an object")."""
    return JSON_TYPES.get(type(value), type(value).__name__)


def not_json_objects(path: Path) -> DataFileError | None:
    """Return the error for the first line of a JSON Lines file that is not a JSON object (a
    Python dict written with str(), an array, a bare string), or None."""
    import ast
    import json

    text = path.read_text(encoding="utf-8-sig")
    if text.lstrip().startswith("["):  # one JSON array, not JSON Lines
        return None
    for number, line in enumerate(text.split("\n"), 1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
        except json.JSONDecodeError as error:
            try:
                python = isinstance(ast.literal_eval(line.strip()), dict)
            except (ValueError, SyntaxError, TypeError, MemoryError, RecursionError):
                python = False
            problem = ("a Python dict written with str(), not JSON; write each row with "
                       "json.dumps(row)" if python else
                       f"not JSON ({error.msg} at column {error.colno}); give one JSON object "
                       "per line")
            return DataFileError(f"{path}, line {number}: {problem}")
        if not isinstance(row, dict):
            return DataFileError(f"{path}, line {number}: {JSON_TYPES[type(row)]}, not a JSON "
                                 'object; give one object per line, e.g. {"text": "a fine '
                                 'film", "label": "pos"}')
    return None


def load_table(path: Path, label_column: str | None = None):
    """Return the rows of a CSV, TSV or JSON Lines file as a `datasets.Dataset`, or raise.

    CSV and TSV cells are read as written: "NA", "null" or "None" stay text, not missing values,
    and the label column stays text ("True" is a class name, not a boolean).
    """
    from datasets import load_dataset
    from datasets.exceptions import DatasetGenerationError

    path = Path(path)
    check_readable(path, "give the path of a .csv, .tsv or .jsonl file")
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
        check_backslash_quotes(path, options.get("sep", ","))
        options = {**options, "keep_default_na": False,
                   "converters": {label_column: str} if label_column else None}
    try:
        # datasets reads data_files as glob patterns: escaped, "a [v2].csv" is that file only
        rows = load_dataset(builder, data_files={"rows": glob.escape(str(path))}, split="rows",
                            **options)
    except ValueError as error:
        if "corresponds to no data" not in str(error):
            raise
        rows = []
    except DatasetGenerationError as error:
        if builder == "json" and (problem := not_json_objects(path)):
            raise problem from None
        cause = str(error.__cause__ or error.__context__ or error).strip()
        unclosed = re.search(r"EOF inside string starting at row (\d+)", cause)
        if unclosed:  # pandas counts the header as row 0
            row = int(unclosed[1])
            raise quote_left_open(path, line_of(path, row - 1) if row else 1,
                                  "the end of the file") from None
        # Older datasets (Colab's) fail here on a JSON key whose values change type; newer
        # ones read the column and label_strings names it: the same message either way.
        mixed = re.search(r"Column\(/?([^)]*)\) changed from (\w+) to (\w+)", cause)
        if mixed:
            raise mixed_json_column(path, mixed[1], mixed[1] == label_column) from None
        hint = ("a row whose text holds the separator needs quotes around that field"
                if builder == "csv" else "give one JSON object per line")
        raise DataFileError(f"{path}: {cause}; {hint}") from None
    if not len(rows):
        raise DataFileError(f"{path}: no rows{' below the header' if builder == 'csv' else ''}; "
                            "add the labelled sentences")
    lists = [name for name, kind in rows.features.items() if hasattr(kind, "feature")]
    if len(rows) == 1 and lists:  # {"data": [...]}: datasets reads one row holding the list
        raise DataFileError(f"{path}: one JSON object whose {lists[0]!r} holds a list, not rows; "
                            "give one object per row: JSON Lines (one per line) or a list "
                            '[{"text": ..., "label": ...}, ...]')
    return rows


def check_column(dataset, path: Path, name: str, flag: str) -> None:
    """Raise `DataFileError` unless `dataset` has column `name`; list the columns found."""
    import pyarrow as pa
    import pyarrow.compute as pc

    if name in dataset.column_names:
        return
    if path.suffix.lower() in (".csv", ".tsv"):
        # a column whose name is also one of its values: the first line was a row, not a header
        table = dataset.data
        if any(pc.any(pc.equal(table.column(c), c)).as_py() for c in dataset.column_names
               if pa.types.is_string(table.column(c).type)
               or pa.types.is_large_string(table.column(c).type)):
            raise DataFileError(f"{path}: no column {name!r}; the first line, "
                                f"{','.join(dataset.column_names)!r}, reads as a row, not a "
                                "header: add a first line naming the columns, e.g. text,label")
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
        values = dataset[column]
        if not any(isinstance(value, str) for value in values):
            raise DataFileError(f"{path}: column {column!r} holds no text (its first value, "
                                f"{values[0]!r}, is {kind_of(values[0])}); give the column of "
                                "sentences as --text-column")
        odd = next(i for i, value in enumerate(values) if not isinstance(value, str))
        raise DataFileError(f"{path}, line {line_of(path, odd, column)}: the text is "
                            f"{values[odd]!r}, {kind_of(values[odd])}, not text; write it as "
                            'text (in JSON, in quotes: "5") or remove the row')
    empty = first_true(pc.match_substring_regex(texts, BLANK))
    if empty is not None:
        raise DataFileError(f"{path}, line {line_of(path, empty, column)}: the text is empty or "
                            "only whitespace; give it text or remove the row")
    long = first_true(pc.greater(pc.utf8_length(texts), FIELD_LIMIT))
    if long is not None:
        quote = ("; if a quote (\") left open swallowed the rows after it, close it"
                 if path.suffix.lower() in (".csv", ".tsv") else "")
        raise DataFileError(f"{path}, line {line_of(path, long, column)}: the text is "
                            f"{len(texts[long].as_py()):,} characters long, more than "
                            f"{FIELD_LIMIT:,}{quote}; BERT reads only its first 128 tokens "
                            "anyway: shorten it, or split it into rows")


def label_strings(dataset, path: Path, column: str):
    """Return the label column as a pyarrow string array (names in their `plain` spelling),
    refusing missing, mixed and look-alike labels."""
    import pyarrow as pa
    import pyarrow.compute as pc

    labels = dataset.data.column(column)
    is_text = pa.types.is_string(labels.type) or pa.types.is_large_string(labels.type)
    missing = first_true(pc.is_null(labels))
    if missing is None and is_text:
        missing = first_true(pc.match_substring_regex(labels, BLANK))
    if missing is not None:
        raise DataFileError(f"{path}, line {line_of(path, missing, column)}: no label; give every "
                            "row one, or remove the row")
    if is_text:
        labels = pc.utf8_trim_whitespace(labels)
        nan = first_true(pc.is_in(labels, value_set=pa.array(MISSING_LABELS)))
        if nan is not None:
            raise DataFileError(
                f"{path}, line {line_of(path, nan, column)}: label {labels[nan].as_py()!r} is "
                "how pandas and Python write a missing value, not a class; give the row its "
                "label or remove the row (a class of that name needs another, e.g. 'none')")
        labels = plain_labels(labels, path, column)
    if pa.types.is_floating(labels.type) and (nan := first_true(pc.is_nan(labels))) is not None:
        raise DataFileError(f"{path}, line {line_of(path, nan, column)}: label NaN is how "
                            "json.dumps writes a missing value, not a class; give the row its "
                            "label or remove the row")
    if pa.types.is_floating(labels.type):
        raise DataFileError(f"{path}: column {column!r} holds decimal numbers; labels must be "
                            "class names or whole numbers")
    if pa.types.is_integer(labels.type) or pa.types.is_boolean(labels.type):
        return labels.cast(pa.string())  # JSON's true and false become "true" and "false"
    if not is_text:
        values = dataset[column]
        odd = next((i for i, value in enumerate(values) if isinstance(value, dict | list)), None)
        if odd is not None:
            raise DataFileError(f"{path}, line {line_of(path, odd, column)}: label "
                                f"{values[odd]!r} is {kind_of(values[odd])}, not a class; give "
                                "each row one class name or whole number")
        raise DataFileError(f"{path}: column {column!r} mixes numbers and strings; write every "
                            "label the same way, e.g. all as names")
    decimal = first_true(pc.match_substring_regex(labels, DECIMAL_NUMBER))
    if decimal is not None:
        raise DataFileError(f"{path}, line {line_of(path, decimal, column)}: label "
                            f"{labels[decimal].as_py()!r} is a decimal number; labels must be "
                            "class names or whole numbers")
    numeric = pc.match_substring_regex(labels, WHOLE_NUMBER)
    if pc.any(numeric).as_py() and not pc.all(numeric).as_py():
        odd = first_true(pc.not_equal(numeric, numeric[0]))
        raise DataFileError(f"{path}, line {line_of(path, odd, column)}: label "
                            f"{labels[odd].as_py()!r} mixes with labels like "
                            f"{labels[0].as_py()!r} (numbers and names); write every label the "
                            "same way")
    return labels


def plain(label: str) -> str:
    """Return `label` as labels are compared: NFC, without invisible characters, spaces plain."""
    kept = (" " if char.isspace() else char for char in label
            if char.isspace() or unicodedata.category(char) not in ("Cc", "Cf"))
    return unicodedata.normalize("NFC", "".join(kept)).strip()


def plain_labels(labels, path: Path, column: str):
    """Return the (trimmed) labels in their `plain` spelling; refuse two spellings of one label,
    which print alike but would be two classes."""
    import pyarrow as pa
    import pyarrow.compute as pc

    spellings = pc.unique(labels).to_pylist()
    names = [plain(spelling) for spelling in spellings]
    if names == spellings:  # the usual file: nothing to change
        return labels
    first = {}
    for spelling, name in zip(spellings, names, strict=True):
        if (twin := first.setdefault(name, spelling)) != spelling:
            lines = [line_of(path, first_true(pc.equal(labels, s)), column)
                     for s in (twin, spelling)]
            raise DataFileError(
                f"{path}, lines {lines[0]} and {lines[1]}: labels {ascii(twin)} and "
                f"{ascii(spelling)} print alike but are spelt differently (invisible characters, "
                f"or accents composed another way), so they would be two classes; write both as "
                f"{ascii(name)} (NFC, no invisible characters)")
    return pc.take(pa.array(names), pc.index_in(labels, value_set=pa.array(spellings)))


def class_names(labels) -> list[str]:
    """Return the distinct labels, sorted: numerically when they are whole numbers."""
    import pyarrow.compute as pc

    names = pc.unique(labels).to_pylist()
    numeric = all(name.strip().lstrip("+-").isdigit() for name in names)
    return sorted(names, key=int if numeric else str)


def checked_rows(path, text_column: str, label_column: str, pair_column: str | None = None,
                 scored: bool = False):
    """Return (rows, labels as strings) of a file whose columns, texts and labels pass checks;
    `scored`: a validation or test file."""
    path = Path(path)
    dataset = load_table(path, label_column)
    check_column(dataset, path, text_column, "--text-column")
    if pair_column is not None:
        check_column(dataset, path, pair_column, "--text-pair-column")
    if scored and set(dataset.column_names) == {text_column, pair_column} - {None}:
        raise DataFileError(f"{path}: no column {label_column!r}, only the texts; the model is "
                            "scored against each row's label: add the labels, or leave out "
                            "this file")
    check_column(dataset, path, label_column, "--label-column")
    check_texts(dataset, path, text_column)
    if pair_column is not None:
        check_texts(dataset, path, pair_column)
    check_header_again(dataset, path, text_column, label_column)
    labels = label_strings(dataset, path, label_column)
    if path.suffix.lower() in (".csv", ".tsv"):
        check_swallowed_rows(dataset, path, text_column, labels)
    return dataset, labels


def check_header_again(dataset, path: Path, text_column: str, label_column: str) -> None:
    """Raise `DataFileError` naming a row that repeats the header (CSV files joined with cat)."""
    import pyarrow.compute as pc

    labels = dataset.data.column(label_column)
    if labels.type != dataset.data.column(text_column).type:  # numbers: no header among them
        return
    again = first_true(pc.and_(pc.equal(dataset.data.column(text_column), text_column),
                               pc.equal(labels, label_column)))
    if again is not None:
        raise DataFileError(f"{path}, line {line_of(path, again)}: the header again (files "
                            "joined with cat?); remove that line: when joining CSV files, keep "
                            "the first one's header only (tail -n +2 for the others)")


def check_swallowed_rows(dataset, path: Path, column: str, labels) -> None:
    """Raise `DataFileError` naming a text that spans lines, one of which ends as a row of the
    file does (a separator and a label): a quote left open swallowed the rows after it."""
    import pyarrow.compute as pc

    texts = dataset.data.column(column)
    spanning = pc.indices_nonzero(pc.match_substring(texts, "\n").fill_null(False))
    if not len(spanning):
        return
    sep = LOADERS[path.suffix.lower()][1].get("sep", ",")
    names = "|".join(map(re.escape, sorted(pc.unique(labels).to_pylist(), key=len, reverse=True)))
    row_end = re.compile(rf'{re.escape(sep)}\s*"?(?:{names})"?\s*$', re.MULTILINE)
    for index in spanning.to_pylist():
        text = texts[index].as_py()
        if row_end.search(text):
            line = line_of(path, index)
            last = line + text.count("\n")
            raise quote_left_open(path, line, f"line {last}")


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

    dataset, labels = checked_rows(path, text_column, label_column, pair_column, scored=True)
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
    check_readable(path, "give a .jsonl file or CoNLL columns (.txt, .conll)")
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
            for name, values in ((words_key, words), (tags_key, tags)):
                if not isinstance(values, list):
                    raise DataFileError(f"{path}, line {number}: {name!r} is {values!r}, not a "
                                        f"list; write it as a list of strings, e.g. [\"Paris\"]")
                odd = next((i for i, v in enumerate(values) if not isinstance(v, str)), None)
                if odd is not None:
                    raise DataFileError(f"{path}, line {number}: {name}[{odd}] is {values[odd]!r} "
                                        f"({type(values[odd]).__name__}), not a string; write it "
                                        f"in quotes (\"{values[odd]}\")")
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
