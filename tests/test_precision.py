"""The precision option: autocast around the forward pass only, and refusals that name the fix."""

import math
import warnings

import pytest
import torch
from transformers import BertConfig

from bert_tutorial import precision
from bert_tutorial.modeling import BertSentenceClassifier
from bert_tutorial.precision import autocast, bf16_matmul_ratio, check_precision
from bert_tutorial.training import make_optimizer_and_scheduler, train_one_epoch, train_step

TINY = BertConfig(vocab_size=50, hidden_size=32, num_hidden_layers=2, num_attention_heads=2,
                  intermediate_size=64, num_labels=2, hidden_dropout_prob=0.0,
                  attention_probs_dropout_prob=0.0)


def tiny_model(seed=0):
    torch.manual_seed(seed)
    return BertSentenceClassifier(TINY)


def batches(count=6):
    generator = torch.Generator().manual_seed(1)
    return [{"input_ids": torch.randint(1, 50, (8, 12), generator=generator),
             "attention_mask": torch.ones(8, 12, dtype=torch.long),
             "labels": torch.randint(0, 2, (8,), generator=generator)} for _ in range(count)]


@pytest.mark.parametrize("value, message", [
    ("float16", "precision must be one of"),
    ("fp16", "fp16 autocast is for GPUs"),
])
def test_bad_precisions_on_a_cpu_are_refused(value, message):
    with pytest.raises(ValueError, match=message):
        check_precision(value, "cpu")


def test_bf16_on_a_cpu_without_bf16_instructions_is_refused(monkeypatch):
    monkeypatch.setattr(precision, "cpu_has_bf16", lambda: False)
    with pytest.raises(ValueError, match="emulated, slower than fp32; use precision='fp32'"):
        autocast("bf16", "cpu")


def test_fp32_enters_no_autocast_and_bf16_does(monkeypatch):
    monkeypatch.setattr(precision, "cpu_has_bf16", lambda: True)
    with autocast("fp32", "cpu"):
        assert not torch.is_autocast_enabled("cpu")
    with autocast("bf16", "cpu"):
        assert torch.is_autocast_enabled("cpu")
        assert torch.get_autocast_dtype("cpu") == torch.bfloat16


def test_bf16_steps_keep_fp32_weights_and_optimizer_state(monkeypatch):
    monkeypatch.setattr(precision, "cpu_has_bf16", lambda: True)
    model = tiny_model()
    optimizer, scheduler = make_optimizer_and_scheduler(model, lr=1e-3, num_training_steps=6)
    model.train()
    for batch in batches():
        train_step(model, batch, optimizer, scheduler, "cpu", precision="bf16")
    assert all(p.dtype == torch.float32 for p in model.parameters())
    state = optimizer.state[model.classifier.weight]
    assert state["exp_avg"].dtype == torch.float32


def test_bf16_training_follows_fp32_training(monkeypatch):
    monkeypatch.setattr(precision, "cpu_has_bf16", lambda: True)
    losses = {}
    for name in ("fp32", "bf16"):
        model = tiny_model()
        optimizer, scheduler = make_optimizer_and_scheduler(model, lr=1e-3, num_training_steps=6)
        losses[name] = train_one_epoch(model, batches(), optimizer, scheduler, "cpu",
                                       progress=False, precision=name)
    assert max(abs(a - b) for a, b in zip(losses["fp32"], losses["bf16"], strict=True)) < 0.05


def test_the_loop_refuses_to_run_inside_an_outer_autocast():
    model = tiny_model()
    optimizer, scheduler = make_optimizer_and_scheduler(model, lr=1e-3, num_training_steps=6)
    with torch.autocast("cpu", dtype=torch.bfloat16):
        with pytest.raises(RuntimeError, match="pass precision='bf16' instead"):
            train_one_epoch(model, batches(), optimizer, scheduler, "cpu", progress=False)


def test_one_autocast_region_over_several_steps_reuses_the_first_weights():
    """The mistake `refuse_outer_autocast` prevents: the forward pass sees stale weights."""
    model = tiny_model()
    batch = batches(1)[0]
    with torch.autocast("cpu", dtype=torch.bfloat16):
        before = model(**batch).logits.detach()
        with torch.no_grad():
            model.classifier.weight.add_(1.0)  # an optimizer step, made large
        stale = model(**batch).logits.detach()
    with torch.autocast("cpu", dtype=torch.bfloat16):
        fresh = model(**batch).logits.detach()
    assert torch.equal(before, stale) and not torch.equal(before, fresh)


def test_the_matmul_ratio_is_measured():
    ratio = bf16_matmul_ratio(size=256, rounds=1)
    assert math.isfinite(ratio) and ratio > 0


def fake_gpu(monkeypatch, capability):
    """Fake a CUDA GPU of `capability` (major, minor) for the precision queries."""
    native = capability >= (8, 0)
    monkeypatch.setattr(torch.cuda, "is_available", lambda: True)
    monkeypatch.setattr(torch.cuda, "get_device_capability", lambda device=None: capability)
    # torch counts emulated bf16 as supported unless told not to: a T4 says True by default.
    monkeypatch.setattr(torch.cuda, "is_bf16_supported",
                        lambda including_emulation=True: native or including_emulation)


@pytest.mark.parametrize("capability, fastest", [((7, 5), "fp16"), ((7, 0), "fp16"),
                                                 ((8, 0), "bf16"), ((9, 0), "bf16")])
def test_gpus_get_bf16_only_where_it_is_native(monkeypatch, capability, fastest):
    fake_gpu(monkeypatch, capability)
    assert precision.fastest_precision("cuda") == fastest
    if fastest == "fp16":  # a T4 or V100
        with pytest.raises(ValueError, match="no native bf16 .* use precision='fp16'"):
            check_precision("bf16", "cuda")
    else:
        check_precision("bf16", "cuda")
    check_precision("fp16", "cuda")


@pytest.mark.parametrize("capability", [(7, 5), (8, 0)])
def test_gpu_inference_times_bf16_weights_only_where_native(monkeypatch, capability):
    fake_gpu(monkeypatch, capability)  # a T4, an A100
    expected = ["fp32", "fp16"] + (["bf16"] if capability >= (8, 0) else [])
    assert list(precision.cuda_inference_dtypes()) == expected


@pytest.mark.parametrize("dtype", [torch.float16, torch.bfloat16])
def test_half_precision_weights_with_sdpa_load_and_predict(tmp_path, dtype):
    # Notebook 07's GPU section loads the saved model this way; the CPU runs it too, slowly.
    from bert_tutorial.inference import torch_path

    model = tiny_model().eval()
    model.save_pretrained(tmp_path)
    half = BertSentenceClassifier.from_pretrained(tmp_path, dtype=dtype, attn_implementation="sdpa")
    assert half.config._attn_implementation == "sdpa"
    assert {p.dtype for p in half.parameters()} == {dtype}
    batch = batches(1)[0]
    logits = torch_path(half.eval())(batch)
    assert logits.dtype == torch.float32
    assert torch.allclose(logits, torch_path(model)(batch), atol=0.05)


def test_of_the_cpus_with_bf16_instructions_only_amx_trains_faster_in_bf16(monkeypatch):
    monkeypatch.setattr(torch.backends.cpu, "get_cpu_capability", lambda: "AVX512")
    monkeypatch.setattr(torch.cpu, "_is_avx512_bf16_supported", lambda: True)
    for amx, fastest in [(True, "bf16"), (False, "fp32")]:  # False: AMD Zen 4, AVX512-BF16 only
        monkeypatch.setattr(torch.cpu, "_is_amx_tile_supported", lambda amx=amx: amx)
        assert precision.cpu_has_bf16() and precision.fastest_precision("cpu") == fastest


def test_an_outer_autocast_of_either_device_type_is_refused(monkeypatch):
    model = tiny_model()
    optimizer, scheduler = make_optimizer_and_scheduler(model, lr=1e-3, num_training_steps=1)
    # A "cuda" autocast around a CPU loop (or "cpu" around a GPU one) is the same mistake.
    monkeypatch.setattr(torch, "is_autocast_enabled", lambda kind: kind == "cuda")
    with pytest.raises(RuntimeError, match="called inside torch.autocast"):
        train_one_epoch(model, batches(1), optimizer, scheduler, "cpu", progress=False)


def test_fp16_steps_scale_the_loss_and_skip_a_step_whose_gradients_overflow(monkeypatch):
    monkeypatch.setattr(precision, "check_precision", lambda value, device: None)  # fp16 on a CPU
    model = tiny_model()
    optimizer, scheduler = make_optimizer_and_scheduler(model, lr=1e-3, num_training_steps=4)
    model.train()
    before = {k: v.clone() for k, v in model.state_dict().items()}
    assert precision.grad_scaler("fp16", "cpu").is_enabled()
    assert not precision.grad_scaler("bf16", "cpu").is_enabled()
    scaler = torch.amp.GradScaler("cpu", init_scale=2.0**120)  # the fp16 gradients overflow
    with warnings.catch_warnings():  # a schedule stepped without its optimizer step warns
        warnings.simplefilter("error")
        train_step(model, batches(1)[0], optimizer, scheduler, "cpu", precision="fp16",
                   scaler=scaler)
    assert all(torch.equal(before[k], v) for k, v in model.state_dict().items())  # skipped
    assert scaler.get_scale() < 2.0**120  # and the scale came down
    assert scheduler.last_epoch == 0  # the schedule waits for the first real step
    scaler = torch.amp.GradScaler("cpu", init_scale=2.0**8)
    train_step(model, batches(1)[0], optimizer, scheduler, "cpu", precision="fp16", scaler=scaler)
    assert not all(torch.equal(before[k], v) for k, v in model.state_dict().items())
    assert scheduler.last_epoch == 1
