"""A learner's own labelled file: read through datasets, every bad row named with its fix."""


from bert_tutorial.own_data import read_labelled


def write(tmp_path, name, text, encoding="utf-8"):
    path = tmp_path / name
    path.write_bytes(text.encode(encoding) if isinstance(text, str) else text)
    return path


def test_a_three_class_csv_reads_with_sorted_names(tmp_path):
    path = write(tmp_path, "tickets.csv", "text,label\nslow app,bug\nmore colours,feature\n"
                 '"hi, how do I log in?",question\ncrash on start,bug\n')
    dataset, names = read_labelled(path, "text", "label")
    assert names == ["bug", "feature", "question"]
    assert dataset["text"] == ["slow app", "more colours", "hi, how do I log in?", "crash on start"]
    assert dataset["label"] == [0, 1, 2, 0]


def test_tsv_and_json_lines_with_number_labels(tmp_path):
    tsv = write(tmp_path, "a.tsv", "sentence\tstars\ngood\t10\nfine\t2\nbad\t1\n")
    dataset, names = read_labelled(tsv, "sentence", "stars")
    assert names == ["1", "2", "10"] and dataset["label"] == [2, 1, 0]  # numeric order
    jsonl = write(tmp_path, "a.jsonl", '{"t": "good", "y": "pos"}\n{"t": "bad", "y": "neg"}\n')
    assert read_labelled(jsonl, "t", "y")[1] == ["neg", "pos"]
    signed = write(tmp_path, "b.csv", "text,label\ngood,+1\nbad,-1\n")  # not names and numbers
    dataset, names = read_labelled(signed, "text", "label")
    assert names == ["-1", "+1"] and dataset["label"] == [1, 0]


def test_a_byte_order_mark_is_fine(tmp_path):
    path = write(tmp_path, "excel.csv", b"\xef\xbb\xbftext,label\na,x\nb,y\n")
    assert read_labelled(path, "text", "label")[1] == ["x", "y"]


CSV = "text,label\n"
# Bad files, labelled or tagged: the table in tests/test_bad_input.py.


def test_a_test_file_takes_the_training_files_class_ids(tmp_path):
    from bert_tutorial.own_data import read_split

    assert read_split(write(tmp_path, "ok.csv", CSV + "a,feature\nb,bug\n"), "text", "label",
                      ["bug", "feature"])["label"] == [1, 0]


def test_the_validation_split_is_seeded_and_keeps_every_class(tmp_path):
    from bert_tutorial.own_data import split_validation

    rows = "".join(f"s{i},{'abc'[i % 3]}\n" for i in range(60))
    dataset, names = read_labelled(write(tmp_path, "a.csv", CSV + rows), "text", "label")
    train, validation = split_validation(dataset, names, fraction=0.2, seed=1)
    assert len(train) == 48 and len(validation) == 12
    assert sorted(validation["label"]) == [0] * 4 + [1] * 4 + [2] * 4  # stratified
    assert split_validation(dataset, names, 0.2, seed=1)[1]["text"] == validation["text"]


def test_a_small_file_of_many_classes_still_gets_one_validation_row_per_class(tmp_path):
    from bert_tutorial.own_data import split_validation

    rows = "".join(f"s{i},{'abc'[i % 3]}\n" for i in range(20))  # a tenth would be 2 rows
    dataset, names = read_labelled(write(tmp_path, "a.csv", CSV + rows), "text", "label")
    train, validation = split_validation(dataset, names)
    assert sorted(validation["label"]) == [0, 1, 2] and len(train) == 17


def test_cells_are_read_as_written(tmp_path):
    # pandas would read NA, null and None as missing, and True as a boolean. (A label None or
    # nan is refused as a missing value: the table in tests/test_bad_input.py.)
    rows = "NA,null\nnull,NA\nNone,True\nok,False\n"
    dataset, names = read_labelled(write(tmp_path, "a.csv", CSV + rows), "text", "label")
    assert dataset["text"] == ["NA", "null", "None", "ok"]
    assert names == ["False", "NA", "True", "null"] and dataset["label"] == [3, 1, 2, 0]


def test_tokenized_rows_batch_like_a_tokenized_dataset(tmp_path, tokenizer):
    from bert_tutorial.batching import pad_batch
    from bert_tutorial.own_data import tokenize_rows
    from bert_tutorial.training import tokenize_sentences

    dataset, names = read_labelled(write(tmp_path, "a.csv", CSV + "a warm film,pos\ndull,neg\n"),
                                   "text", "label")
    rows = tokenize_rows(dataset, tokenizer)
    lists = tokenize_sentences(["a warm film", "dull"], [1, 0], tokenizer, num_labels=2)
    assert len(rows) == 2 and rows.lengths() == lists.lengths() == [5, 3]
    ours, theirs = (pad_batch([d[0], d[1]], tokenizer.pad_token_id) for d in (rows, lists))
    assert ours.keys() == theirs.keys()
    assert all(ours[key].equal(theirs[key]) for key in ours)


def test_tagged_sentences_from_json_lines_and_conll_columns(tmp_path):
    from bert_tutorial.own_data import read_tagged

    jsonl = write(tmp_path, "a.jsonl", '{"words": ["Paris", "rocks"], "tags": ["B-loc", "O"]}\n'
                  '{"words": ["in", "New", "York"], "tags": ["O", "I-loc", "I-loc"]}\n')
    sentences, notes = read_tagged(jsonl)
    assert [s.words for s in sentences] == [("Paris", "rocks"), ("in", "New", "York")]
    assert notes == ["1 entities open with I- instead of B- (first in the sentence at line 2); "
                     "they are read as entities"]
    conll = write(tmp_path, "a.conll", "Paris\tB-loc\nrocks O\n\n\nhi O\n")
    sentences, notes = read_tagged(conll)
    assert [s.tags for s in sentences] == [("B-loc", "O"), ("O",)] and notes == []


def test_conll_2003_files_read_their_last_column_and_skip_document_markers(tmp_path):
    from bert_tutorial.own_data import read_tagged

    conll = ("-DOCSTART- -X- -X- O\n\nEU NNP B-NP B-ORG\nrejects VBZ B-VP O\n\n"
             "-DOCSTART- -X- -X- O\nPeter NNP B-NP B-PER\n")
    sentences, _ = read_tagged(write(tmp_path, "eng.train", conll))
    assert [(s.words, s.tags) for s in sentences] == [
        (("EU", "rejects"), ("B-ORG", "O")), (("Peter",), ("B-PER",))]


def test_a_file_name_is_a_path_not_a_pattern(tmp_path):
    # datasets globs data_files: unescaped, "reviews [v2].csv" matches "reviews v.csv" instead
    write(tmp_path, "reviews v.csv", CSV + "wrong,p\nfile,q\n")
    path = write(tmp_path, "reviews [v2].csv", CSV + "right,x\nfile,y\n")
    assert read_labelled(path, "text", "label")[0]["text"] == ["right", "file"]
    write(tmp_path, "aXbY.csv", CSV + "wrong,p\nfile,q\n")
    path = write(tmp_path, "a*b?.csv", CSV + "stars,x\nkept,y\n")
    assert read_labelled(path, "text", "label")[0]["text"] == ["stars", "kept"]


def test_labels_are_compared_in_nfc_without_invisible_characters(tmp_path):
    from bert_tutorial.own_data import read_split

    rows = CSV + "a,caf\u00e9\u200b\nb,th\u00e9\u200b\n"  # every label with a zero-width space
    dataset, names = read_labelled(write(tmp_path, "a.csv", rows), "text", "label")
    assert names == ["caf\u00e9", "th\u00e9"]
    mac = write(tmp_path, "valid.csv", CSV + "c,the\u0301\nd,cafe\u0301\n")  # NFD, as Macs write
    assert read_split(mac, "text", "label", names)["label"] == [1, 0]


def test_a_quoted_text_over_several_lines_still_reads(tmp_path):
    path = write(tmp_path, "a.csv", CSV + '"first, part\nsecond part",pos\nb,neg\n')
    assert read_labelled(path, "text", "label")[0]["text"] == ["first, part\nsecond part", "b"]


def test_utf8_copy_converts_only_the_lines_that_are_not_utf8(tmp_path):
    from bert_tutorial.own_data import utf8_copy

    mixed = "caf\u00e9\n".encode() + "na\u00efve\n".encode("cp1252") + "s\u00fc\u00df\n".encode()
    fixed = utf8_copy(write(tmp_path, "a.csv", mixed))
    assert fixed.name == "utf8-a.csv"
    assert fixed.read_text(encoding="utf-8") == "caf\u00e9\nna\u00efve\ns\u00fc\u00df\n"


def test_a_tagged_sentence_longer_than_the_window_is_cut_between_words_and_said(tmp_path,
                                                                               tokenizer):
    from bert_tutorial.finetune import parse_args
    from bert_tutorial.run_data import read_run_data

    # a CoNLL file without blank lines: one "sentence" of 300 one-token words; [CLS], 126
    # words and [SEP] fill 128 tokens, so truncation would never train on 174 of them
    long = "".join(f"film {'B-x' if i % 10 == 0 else 'O'}\n" for i in range(300))
    train, valid = write(tmp_path, "a.conll", long), write(tmp_path, "b.conll", "Paris B-x\n")
    args = parse_args(["--output-dir", "x", "--task", "token-classification", "--train-file",
                       str(train), "--validation-file", str(valid)])
    said = []
    data = read_run_data(args, tokenizer, 128, say=said.append)
    assert said == ["finetune: 1 training sentence longer than the 128-token window, each cut "
                    "between words into pieces that fit, so that every word is trained on (in "
                    "CoNLL columns, a blank line ends a sentence)"]
    lengths = [len(row["input_ids"]) for row in data.train]
    assert lengths == [128, 128, 50]  # 126 + 126 + 48 words, each with [CLS] and [SEP]
    tagged = [sum(label != -100 for label in row["labels"]) for row in data.train]
    assert sum(tagged) == 300  # every word has its label
