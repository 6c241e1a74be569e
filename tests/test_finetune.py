"""The launchable fine-tuning script: 2 CPU processes, one-step equivalence, resume, bad input.

Each run trains on a few sentences: two processes under a real `torchrun`, one process through
the script's `main()` in this interpreter (notebook 06's solutions run `python -m` itself).
"""

import json
import os

import pytest
import torch
from safetensors.torch import load_file

from bert_tutorial.finetune import main, parse_args, train_on_cpu
from bert_tutorial.launch import run_finetune
from bert_tutorial.models import model_path

SMALL = "--eval-examples 0 --no-progress"
TWO = "torchrun --standalone --nproc_per_node 2 -m bert_tutorial.finetune"


def weights(folder):
    return load_file(folder / "model.safetensors")


@pytest.fixture(scope="module")
def runs(tmp_path_factory):
    return tmp_path_factory.mktemp("runs")


# Without dropout, so that the same run also checks that two processes take one process's steps
# (dropout masks are drawn per process and would differ).
TWO_FLAGS = "--max-examples 32 --batch-size 8 --eval-examples 16 --no-dropout --no-progress"


@pytest.fixture(scope="module")
def two_process_run(runs):
    return run_finetune(f"{TWO} --output-dir two {TWO_FLAGS}", cwd=runs)


def test_two_cpu_processes_form_one_group_with_identical_weights(two_process_run):
    assert two_process_run["num_processes"] == 2
    assert two_process_run["distributed_type"] == "MULTI_CPU"
    first, second = two_process_run["weights_checksums"]
    assert first == second
    assert two_process_run["steps"] == 4  # 32 examples / global batch 8


def test_each_process_trains_on_a_disjoint_shard_and_together_on_all(two_process_run):
    first, second = (set(shard) for shard in two_process_run["first_epoch_shards"])
    assert len(first) == len(second) == 16
    assert not first & second
    assert first | second == set(range(32))


def test_the_output_loads_with_from_pretrained_and_pipeline(runs, two_process_run):
    from transformers import AutoTokenizer

    from bert_tutorial.modeling import BertSentenceClassifier
    from bert_tutorial.pipelines import task_pipeline

    model = BertSentenceClassifier.from_pretrained(runs / "two")
    tokenizer = AutoTokenizer.from_pretrained(runs / "two")
    classify = task_pipeline("text-classification", model, tokenizer)
    assert classify("a joy to watch")[0]["label"] in {"negative", "positive"}
    assert 0 <= two_process_run["test_accuracy"] <= 1 and two_process_run["test_examples"] == 16


def test_two_processes_with_half_batches_take_the_single_process_steps(runs, two_process_run):
    run_here(f"--output-dir one {TWO_FLAGS}", runs)
    one, two = weights(runs / "one"), weights(runs / "two")
    start = load_file(f"{model_path()}/model.safetensors")
    moved = max((one[k] - start[k[5:]]).abs().max().item() for k in one if k[5:] in start)
    assert moved > 5e-5  # the 4 steps changed the weights ...
    assert max((one[k] - two[k]).abs().max().item() for k in one) < 1e-5  # ... the same way


def run_here(flags: str, runs) -> dict:
    """Run the script's main() in this process (as `python -m` does, without a new interpreter)."""
    previous = os.getcwd()
    os.chdir(runs)
    try:
        main(flags.split())
    finally:
        os.chdir(previous)
    output = runs / flags.split()[flags.split().index("--output-dir") + 1] / "run.json"
    return json.loads(output.read_text()) if output.is_file() else {}


@pytest.fixture(scope="module")
def resumed(runs):
    flags = f"--max-examples 24 --batch-size 8 --epochs 2 {SMALL}"
    whole = run_here(f"--output-dir whole {flags}", runs)
    assert run_here(f"--output-dir parts {flags} --stop-after 4", runs) == {}
    checkpoint = "parts/checkpoints/step-000004"
    parts = run_here(f"--output-dir parts {flags} --resume-from {checkpoint}", runs)
    return whole, parts, flags


def test_a_run_resumed_mid_epoch_ends_with_the_uninterrupted_weights(runs, resumed):
    whole, parts, _ = resumed
    assert parts["losses"] == whole["losses"] and len(whole["losses"]) == 6
    a, b = weights(runs / "whole"), weights(runs / "parts")
    assert all(torch.equal(a[k], b[k]) for k in a)  # dropout masks included


BAD_RUNS = [
    ("--output-dir fresh --model no/such/model/folder", "does not exist"),
    ("--output-dir junk", "exists and is not empty"),
    ("--output-dir whole", "holds an earlier run; resume it with --resume-from"),
    ("--output-dir parts --lr 3e-4 --resume-from parts/checkpoints/step-000004",
     "trained with other settings (recipe: checkpoint"),
    ("--output-dir fresh --resume-from parts/checkpoints/step-000004", "belongs to the run in"),
    ("--output-dir fresh --resume-from whole", "not a checkpoint of this script"),
    ("--output-dir parts --resume-from parts/checkpoints/step-000004", "has finished"),
]


@pytest.mark.parametrize("flags, message", BAD_RUNS)
def test_bad_runs_stop_with_a_clear_message_and_touch_nothing(
    runs, resumed, flags, message, monkeypatch
):
    (runs / "junk").mkdir(exist_ok=True)
    (runs / "junk" / "notes.txt").write_text("mine")
    before = {p: p.stat().st_mtime_ns for p in runs.rglob("*") if p.is_file()}
    monkeypatch.chdir(runs)
    with pytest.raises(SystemExit) as error:
        main(f"{flags} {resumed[2]}".split())
    assert str(error.value).startswith("finetune: ") and message in str(error.value)
    assert {p: p.stat().st_mtime_ns for p in runs.rglob("*") if p.is_file()} == before
    assert not (runs / "fresh").exists()


def test_more_processes_than_examples_is_refused(runs):
    with pytest.raises(RuntimeError, match="1 training examples for 2 processes"):
        run_finetune(f"{TWO} --output-dir tiny --max-examples 1 --batch-size 2 {SMALL}", cwd=runs)
    assert not (runs / "tiny").exists()


def test_run_json_records_the_settings(runs, two_process_run):
    saved = json.loads((runs / "two" / "run.json").read_text())
    assert saved["settings"]["recipe"]["batch_size"] == 8
    assert saved["settings"]["max_examples"] == 32


def test_cpu_processes_are_asked_for_where_no_gpu_is_or_cpu_is_given(monkeypatch):
    plain, cpu = parse_args(["--output-dir", "x"]), parse_args(["--output-dir", "x", "--cpu"])
    monkeypatch.setattr(torch.cuda, "is_available", lambda: False)
    assert train_on_cpu(plain, 2) and not train_on_cpu(plain, 1)  # one process needs no group
    monkeypatch.setattr(torch.cuda, "is_available", lambda: True)  # a one-GPU runtime (Colab)
    assert not train_on_cpu(plain, 2)  # DDP on the GPUs
    assert train_on_cpu(cpu, 2) and train_on_cpu(cpu, 1)  # notebook 06's CPU demonstrations


def own_csv(folder, rows: int = 60):
    """A three-class file of the learner's own: movie-review sentences by rating."""
    from bert_tutorial.data import write_mood_csv

    return write_mood_csv(folder / "reviews.csv", rows)


def test_a_learners_csv_trains_and_saves_its_class_names(runs):
    from transformers import pipeline

    path = own_csv(runs)
    summary = run_here(f"--output-dir mine --train-file {path} --text-column sentence "
                       "--label-column mood --batch-size 8 --no-progress", runs)
    assert summary["classes"] == ["negative", "neutral", "positive"]
    assert summary["test_split"].startswith("validation rows of") and summary["test_examples"] == 6
    # A standard checkpoint: the Auto class finds every weight, and pipeline() scores the
    # validation rows as the run did.
    from transformers import AutoModelForSequenceClassification

    from bert_tutorial.own_data import read_labelled, split_validation

    _, info = AutoModelForSequenceClassification.from_pretrained(runs / "mine",
                                                                 output_loading_info=True)
    assert not info["missing_keys"] and not info["unexpected_keys"]
    _, validation = split_validation(*read_labelled(path, "sentence", "mood"), seed=0)
    classify = pipeline("text-classification", model=str(runs / "mine"), device="cpu")
    predicted = [summary["classes"].index(r["label"]) for r in classify(list(validation["text"]))]
    hits = [p == label for p, label in zip(predicted, validation["label"], strict=True)]
    assert sum(hits) / len(hits) == pytest.approx(summary["test_accuracy"])


def test_a_learners_csv_under_torchrun_resumes_to_the_one_process_weights(runs):
    data = f"--train-file {own_csv(runs)} --text-column sentence --label-column mood"
    # 54 training rows in 9 full batches: Accelerate would complete a short last batch with
    # repeated rows on two processes, and that step would differ from one process's
    flags = f"{data} --batch-size 6 --no-dropout --no-progress"
    one = run_here(f"--output-dir csv-one {flags}", runs)
    assert run_finetune(f"{TWO} --output-dir csv-two {flags} --stop-after 4", cwd=runs) == {}
    checkpoint = "csv-two/checkpoints/step-000004"
    two = run_finetune(f"{TWO} --output-dir csv-two {flags} --resume-from {checkpoint}", cwd=runs)
    assert two["num_processes"] == 2 and two["steps"] == 9
    assert two["losses"] == pytest.approx(one["losses"], abs=1e-5)
    one, both = weights(runs / "csv-one"), weights(runs / "csv-two")
    assert max((one[k] - both[k]).abs().max().item() for k in one) < 1e-5


def test_a_bad_own_file_stops_before_anything_is_written(runs, monkeypatch):
    path = own_csv(runs)
    monkeypatch.chdir(runs)
    with pytest.raises(SystemExit, match=r"finetune: .*reviews.csv: no column 'text'; the "
                       r"columns are 'sentence', 'mood'"):
        main(f"--output-dir never --train-file {path} --label-column mood".split())
    with pytest.raises(SystemExit, match="need --train-file"):
        main("--output-dir never --test-file x.csv".split())
    assert not (runs / "never").exists()


def test_word_tagged_conll_columns_train_a_tagger_scored_by_entities(runs):
    from transformers import pipeline

    from bert_tutorial.data import read_wnut16

    path = runs / "tweets.conll"
    blocks = ["\n".join(f"{w}\t{t}" for w, t in zip(s.words, s.tags, strict=True))
              for s in read_wnut16()[:40]]
    path.write_text("\n\n".join(blocks) + "\n")
    summary = run_here(f"--output-dir tagger --task token-classification --train-file {path} "
                       "--epochs 1 --batch-size 8 --no-progress", runs)
    assert summary["classes"][0] == "O" and "B-person" in summary["classes"]
    assert summary["test_examples"] == 4 and 0 <= summary["test_entity_f1"] <= 1
    tagger = pipeline("token-classification", model=str(runs / "tagger"), device="cpu")
    assert all(t["entity"] in summary["classes"] for t in tagger("Paris is lovely"))
    test = runs / "tweets-test.conll"
    test.write_text("Zorg\tB-alien\nlands\tO\n")
    with pytest.raises(SystemExit, match=r"have tags \['B-alien'\] that training never saw"):
        run_here(f"--output-dir never --task token-classification --train-file {path} "
                 f"--test-file {test}", runs)


def test_token_classification_without_a_file_is_refused():
    with pytest.raises(SystemExit, match="token-classification needs --train-file"):
        parse_args("--output-dir x --task token-classification".split())


def pairs_csv(folder, rows: int = 48, empty_row: int | None = None):
    """A learner's file of sentence pairs: QNLI-style question/sentence rows of notebook 09."""
    import csv

    from bert_tutorial.pairs import QNLI_NAMES, qnli_pairs, squad_article_split

    path = folder / ("pairs.csv" if empty_row is None else "pairs-empty.csv")
    with path.open("w", newline="", encoding="utf-8") as file:
        writer = csv.writer(file)
        writer.writerow(["question", "sentence", "label"])
        for i, pair in enumerate(qnli_pairs(squad_article_split()["train"])[:rows]):
            second = "  " if i == empty_row else pair.text_pair
            writer.writerow([pair.text, second, QNLI_NAMES[pair.label]])
    return path


@pytest.mark.needs_asset("bigbench")
def test_a_learners_pairs_train_a_cross_encoder_that_pipeline_reads_as_pairs(runs):
    from transformers import pipeline

    from bert_tutorial.own_data import read_labelled, split_validation

    path = pairs_csv(runs)
    summary = run_here(f"--output-dir pairs --train-file {path} --text-column question "
                       "--text-pair-column sentence --batch-size 8 --no-progress", runs)
    assert summary["classes"] == ["entailment", "not_entailment"]
    _, validation = split_validation(*read_labelled(path, "question", "label", "sentence"), seed=0)
    assert validation.column_names == ["text", "text_pair", "label"]
    classify = pipeline("text-classification", model=str(runs / "pairs"), device="cpu")
    inputs = [{"text": r["text"], "text_pair": r["text_pair"]} for r in validation]
    predicted = [summary["classes"].index(r["label"]) for r in classify(inputs)]
    hits = [p == label for p, label in zip(predicted, validation["label"], strict=True)]
    # The run scored pairs: pipeline() agrees only if both read the second text.
    assert sum(hits) / len(hits) == pytest.approx(summary["test_accuracy"])


@pytest.mark.needs_asset("bigbench")
def test_bad_pair_columns_are_refused_with_the_line_or_the_flag(runs):
    path = pairs_csv(runs, rows=8, empty_row=3)
    with pytest.raises(SystemExit, match=r"pairs-empty.csv, line 5: the text is empty"):
        run_here(f"--output-dir never --train-file {path} --text-column question "
                 "--text-pair-column sentence", runs)
    with pytest.raises(SystemExit, match=r"no column 'sentnce'; did you mean 'sentence'"):
        run_here(f"--output-dir never --train-file {path} --text-column question "
                 "--text-pair-column sentnce", runs)
    with pytest.raises(SystemExit, match="column 'question' is given twice"):
        parse_args(f"--output-dir x --train-file {path} --text-column question "
                   "--text-pair-column question".split())
    with pytest.raises(SystemExit, match="--text-pair-column needs --train-file"):
        parse_args("--output-dir x --text-pair-column sentence".split())
    assert not (runs / "never").exists()
