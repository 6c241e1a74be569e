"""The BERT family table: every member builds on the meta device with its published size."""

import pytest
import torch

from bert_tutorial.family import FAMILY, build_on_meta, citations, describe


@pytest.mark.parametrize("name", FAMILY)
def test_each_member_builds_without_weights_and_has_its_published_size(name):
    model = build_on_meta(name)
    assert all(p.device == torch.device("meta") for p in model.parameters())
    row = describe(name)
    assert row["parameters_millions"] == pytest.approx(FAMILY[name].published_millions, rel=0.03)
    assert model.config.model_type == FAMILY[name].model_type


def test_the_table_tells_the_members_apart():
    rows = {name: describe(name) for name in FAMILY}
    assert rows["BERT-large"]["layers"] == 2 * rows["BERT-base"]["layers"] == 24
    assert rows["DistilBERT"]["token_type_ids"] == "not accepted"
    assert rows["ModernBERT-base"]["token_type_ids"] == "not accepted"
    assert rows["BERT-base"]["token_type_ids"] == "used"
    assert rows["RoBERTa-base"]["token_type_ids"] == "accepted, not used"
    assert rows["ALBERT-base"]["parameters_millions"] < rows["BERT-base"]["parameters_millions"] / 8
    assert len({row["class"] for row in rows.values()}) == 7  # BERT base and large share a class


def test_every_member_is_cited_once():
    text = citations()
    assert [line.split(":")[0] for line in text.splitlines()] == list(FAMILY)
