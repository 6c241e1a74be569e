"""Code that notebook 03 writes out by hand agrees with the tested package versions."""

import json
from pathlib import Path

import pytest
import torch

from bert_tutorial import batching, modeling, training
from bert_tutorial.models import model_path
from bert_tutorial.setup import seed_everything

NOTEBOOKS = Path(__file__).resolve().parents[1] / "notebooks"
NOTEBOOK = NOTEBOOKS / "03_finetuning_bert.ipynb"
TEXTS = ["a joy to watch", "dull", "one of the year's best films", "a tedious, overlong mess"]


def notebook_definition(marker: str, namespace: dict, notebook: Path = NOTEBOOK) -> dict:
    """Execute the notebook cell that contains `marker` in `namespace` and return it."""
    cells = json.loads(notebook.read_text())["cells"]
    sources = ["".join(c["source"]) for c in cells if c["cell_type"] == "code"]
    matches = [s for s in sources if marker in s]
    assert len(matches) == 1, f"expected one cell with {marker!r}, found {len(matches)}"
    # The cell up to the block that defines the name: its imports, not the demo lines after it.
    blocks = matches[0].split("\n\n\n")
    end = next(i for i, block in enumerate(blocks) if marker in block)
    source = "\n\n\n".join(blocks[: end + 1])
    exec(compile(source, f"{NOTEBOOK.name}:{marker}", "exec"), namespace)
    return namespace


@pytest.fixture
def features(tokenizer):
    encoded = tokenizer(TEXTS)
    return [{"input_ids": ids, "labels": i % 2} for i, ids in enumerate(encoded["input_ids"])]


def test_notebook_model_class_matches_the_package(tokenizer, features):
    namespace = notebook_definition("class BertSentimentClassifier", {})
    ours = namespace["BertSentimentClassifier"].from_pretrained(model_path(), num_labels=2).eval()
    package = modeling.BertSentenceClassifier.from_pretrained(model_path(), num_labels=2).eval()
    package.load_state_dict(ours.state_dict())
    batch = batching.pad_batch(features, tokenizer.pad_token_id)
    torch.testing.assert_close(ours(**batch).logits, package(**batch).logits)
    torch.testing.assert_close(ours(**batch).loss, package(**batch).loss)


def test_notebook_collate_matches_pad_batch(tokenizer, features):
    namespace = {"tokenizer": tokenizer, "torch": torch}
    collate = notebook_definition("def collate", namespace)["collate"]
    ours, package = collate(features), batching.pad_batch(features, tokenizer.pad_token_id)
    for key in ("input_ids", "attention_mask", "labels"):
        assert torch.equal(ours[key], package[key]), key


def test_notebook_training_loop_matches_the_package(tokenizer, features):
    from tqdm.auto import tqdm

    namespace = {"device": torch.device("cpu"), "max_grad_norm": 1.0, "tqdm": tqdm, "torch": torch}
    notebook_train = notebook_definition("def train_one_epoch", namespace)["train_one_epoch"]
    batches = [batching.pad_batch(features[:2], 0), batching.pad_batch(features[2:], 0)] * 2
    results = []
    for train in (notebook_train, None):
        seed_everything(0)
        model = modeling.BertSentenceClassifier.from_pretrained(model_path(), num_labels=2)
        optimizer, scheduler = training.make_optimizer_and_scheduler(
            model, lr=1e-4, num_training_steps=len(batches)
        )
        if train is None:
            results.append(
                training.train_one_epoch(
                    model, batches, optimizer, scheduler, torch.device("cpu"), progress=False
                )
            )
        else:
            results.append(train(model, batches, optimizer, scheduler))
    assert results[0] == pytest.approx(results[1], rel=1e-6)


def test_notebook_04_token_classifier_matches_the_package(tokenizer):
    notebook = NOTEBOOKS / "04_token_classification.ipynb"
    namespace = notebook_definition("class BertTokenClassifier", {}, notebook)
    ours = namespace["BertTokenClassifier"].from_pretrained(model_path(), num_labels=5).eval()
    package = modeling.BertTokenTagger.from_pretrained(model_path(), num_labels=5).eval()
    package.load_state_dict(ours.state_dict())
    batch = tokenizer(TEXTS, padding=True, return_tensors="pt")
    labels = torch.where(batch["attention_mask"] == 1, 2, -100)
    torch.testing.assert_close(ours(**batch).logits, package(**batch).logits)
    torch.testing.assert_close(
        ours(**batch, labels=labels).loss, package(**batch, labels=labels).loss
    )
