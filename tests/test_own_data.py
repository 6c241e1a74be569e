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
    # pandas would read NA, null and None as missing, and True as a boolean.
    rows = "NA,None\nnull,NA\nNone,True\nok,False\n"
    dataset, names = read_labelled(write(tmp_path, "a.csv", CSV + rows), "text", "label")
    assert dataset["text"] == ["NA", "null", "None", "ok"]
    assert names == ["False", "NA", "None", "True"] and dataset["label"] == [2, 1, 3, 0]


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
