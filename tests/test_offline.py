"""The offline proof: under `scripts/offline` (as `make test` runs the suite) the network is
really gone, and the tutorial still loads its model and data from the verified cache."""

import os
import socket
import subprocess
import sys

import pytest

from bert_tutorial import assets, models
from bert_tutorial.data import read_wnut16
from bert_tutorial.models import load_tokenizer_and_model

pytestmark = pytest.mark.skipif(
    os.environ.get("BERT_TUTORIAL_EXPECT_OFFLINE") != "1",
    reason="the network is on; `make test` runs this under scripts/offline",
)


@pytest.mark.parametrize("address", [("1.1.1.1", 443), ("pypi.org", 443), ("huggingface.co", 443)])
def test_no_host_outside_this_machine_can_be_reached(address):
    with pytest.raises(OSError):
        socket.create_connection(address, timeout=3).close()


def test_the_hugging_face_libraries_are_in_offline_mode():
    from huggingface_hub import constants

    assert constants.HF_HUB_OFFLINE


def test_model_and_data_load_without_a_network():
    tokenizer, model = load_tokenizer_and_model()
    assert tokenizer("offline")["input_ids"][0] == tokenizer.cls_token_id
    assert model.config.hidden_size == 384
    assert len(read_wnut16()) == 2394


def test_a_missing_asset_says_what_to_do(tmp_path, monkeypatch):
    monkeypatch.setenv(assets.CACHE_ENV, str(tmp_path / "empty-cache"))
    with pytest.raises(assets.AssetError, match="make assets"):
        assets.fetch("wnut16")


NOTEBOOK_CALL = """
import time
from transformers import BertTokenizer
from bert_tutorial.models import ModelNotAvailableError, model_path
start = time.monotonic()
try:
    tokenizer = BertTokenizer.from_pretrained(model_path())  # as notebook 01 loads it
    print("loaded", len(tokenizer))
except ModelNotAvailableError as error:
    print("refused", round(time.monotonic() - start, 1), "while online" in str(error))
"""


def test_a_hub_name_without_network_fails_within_seconds_with_the_fix(tmp_path):
    environment = {
        **os.environ, models.MODEL_ENV: "bert-base-uncased", "HF_HOME": str(tmp_path / "hub"),
    }  # fmt: skip
    for switch in ("HF_HUB_OFFLINE", "TRANSFORMERS_OFFLINE"):  # a learner who set neither
        environment.pop(switch, None)
    result = subprocess.run([sys.executable, "-c", NOTEBOOK_CALL], env=environment,
                            capture_output=True, text=True, timeout=120)  # fmt: skip
    verdict, seconds, names_the_fix = result.stdout.split()
    assert verdict == "refused" and names_the_fix == "True", result.stdout + result.stderr
    assert float(seconds) < 10
