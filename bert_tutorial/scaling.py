"""How well would data parallelism scale? A small model of one training step, taught in notebook 06.

With N processes, each computes its own slice of the batch, then all of them average their
gradients with a ring all-reduce: every process sends and receives 2 (N - 1) / N times the
gradients' bytes. PyTorch's DistributedDataParallel starts sending gradient buckets while the
backward pass is still computing the rest, so part of that traffic can hide behind it.
The model ignores latency per message, stragglers, data loading, and links of different speeds
inside one ring (beyond one box, the network between boxes sets the pace).
"""

from __future__ import annotations

from dataclasses import dataclass

BACKWARD_SHARE = 2 / 3  # the backward pass does twice the forward pass's work


@dataclass(frozen=True)
class Link:
    """A connection between processes and the bytes per second one process can send on it."""

    name: str
    bandwidth: float  # bytes/s, each direction


# Nominal bandwidths per direction; real all-reduces reach somewhat less (NCCL's "bus bandwidth").
LINKS = (
    Link("NVLink (A100)", 300e9),
    Link("PCIe 4.0 x16", 32e9),
    Link("100 Gb Ethernet", 100e9 / 8),
    Link("25 Gb Ethernet", 25e9 / 8),
)


def training_flops(processed_tokens: int, seq_len: float, config, num_frozen_layers: int) -> float:
    """Count the floating-point operations of training on `processed_tokens` from the shapes.

    Per token and layer, the forward pass does 2 * (4 h^2 + 2 h i) for the linear layers and
    4 * seq_len * h for the attention scores and weighted sum. The backward pass costs twice
    the forward pass for trainable layers and nothing for the frozen ones below them.
    """
    h, i = config.hidden_size, config.intermediate_size
    per_layer = 2 * (4 * h * h + 2 * h * i) + 4 * seq_len * h
    layers = config.num_hidden_layers
    trainable = layers - num_frozen_layers
    return processed_tokens * per_layer * (layers + 2 * trainable)


def allreduce_seconds(num_bytes: float, num_processes: int, bandwidth: float) -> float:
    """Return the time of a ring all-reduce of `num_bytes`: 2 (N - 1) / N x bytes / bandwidth."""
    assert num_processes >= 1, f"num_processes must be at least 1, got {num_processes}"
    return 2 * (num_processes - 1) / num_processes * num_bytes / bandwidth


def step_seconds(
    compute_seconds: float,
    num_bytes: float,
    num_processes: int,
    bandwidth: float,
    *,
    overlap: bool = False,
) -> float:
    """Return one data-parallel step's time: compute, then the all-reduce (or what of it shows).

    With `overlap`, the all-reduce runs during the backward pass (2/3 of the compute) and only
    the part longer than that adds to the step.
    """
    communication = allreduce_seconds(num_bytes, num_processes, bandwidth)
    if overlap:
        return compute_seconds + max(0.0, communication - BACKWARD_SHARE * compute_seconds)
    return compute_seconds + communication


def scaling_efficiency(
    compute_seconds: float,
    num_bytes: float,
    num_processes: int,
    bandwidth: float,
    *,
    overlap: bool = False,
) -> float:
    """Return the speed-up over one process divided by N (1 = perfect), per-process batch fixed."""
    step = step_seconds(compute_seconds, num_bytes, num_processes, bandwidth, overlap=overlap)
    return compute_seconds / step
