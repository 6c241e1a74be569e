"""How well would data parallelism scale? A small model of one training step, taught in notebook 06.

With N processes, each computes its own slice of the batch, then all of them average their
gradients with a ring all-reduce: every process sends and receives 2 (N - 1) / N times the
gradients' bytes. PyTorch's DistributedDataParallel starts sending gradient buckets while the
backward pass is still computing the rest, so part of that traffic can hide behind it.
Each message of the ring also waits a fixed latency at each of its 2 (N - 1) hops, and DDP sends
one message per gradient bucket. A link that joins only the GPUs of one box (NVLink, PCIe) hands
larger rings to the network between boxes, which then sets the pace. The model ignores
stragglers, data loading and the optimizer step; its latencies are assumptions.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

BACKWARD_SHARE = 2 / 3  # nothing frozen: the backward pass does twice the forward pass's work
BUCKET_BYTES = 25 * 2**20  # DDP's default bucket_cap_mb: one all-reduce per 25 MiB of gradients


@dataclass(frozen=True)
class Link:
    """A connection between processes and the bytes per second one process can send on it."""

    name: str
    bandwidth: float  # bytes/s, each direction
    latency: float = 0.0  # seconds per hop of one message
    box: int | None = None  # how many GPUs it joins (one box); None: any number
    between_boxes: Link | None = None  # what a larger ring runs on

    def for_ring(self, num_processes: int) -> Link:
        """Return the link a ring of `num_processes` runs at: beyond one box, the network."""
        if self.box is None or num_processes <= self.box:
            return self
        return self.between_boxes


# Nominal bandwidths per direction; real all-reduces reach somewhat less (NCCL's "bus bandwidth").
# Latencies per hop are assumed orders of magnitude, not measurements.
ETHERNET_100 = Link("100 Gb Ethernet", 100e9 / 8, latency=30e-6)
INFINIBAND_200 = Link("200 Gb InfiniBand", 200e9 / 8, latency=5e-6)
LINKS = (
    Link("NVLink (A100)", 300e9, latency=3e-6, box=8, between_boxes=INFINIBAND_200),
    Link("PCIe 4.0 x16", 32e9, latency=5e-6, box=8, between_boxes=ETHERNET_100),
    ETHERNET_100,
    Link("25 Gb Ethernet", 25e9 / 8, latency=50e-6),
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


def backward_share(config, num_frozen_layers: int) -> float:
    """Return the backward pass's share of a training step's FLOPs (frozen layers have none)."""
    layers = config.num_hidden_layers
    trainable = layers - num_frozen_layers
    return 2 * trainable / (layers + 2 * trainable)


def allreduce_seconds(
    num_bytes: float, num_processes: int, bandwidth: float, latency: float = 0.0
) -> float:
    """Return a ring all-reduce's time: 2 (N - 1) / N x bytes / bandwidth, plus 2 (N - 1) hops
    of latency for each of DDP's gradient buckets."""
    assert num_processes >= 1, f"num_processes must be at least 1, got {num_processes}"
    buckets = math.ceil(num_bytes / BUCKET_BYTES)
    hops = 2 * (num_processes - 1)
    return hops / num_processes * num_bytes / bandwidth + hops * buckets * latency


def step_seconds(
    compute_seconds: float,
    num_bytes: float,
    num_processes: int,
    bandwidth: float,
    *,
    latency: float = 0.0,
    share: float = BACKWARD_SHARE,
    overlap: bool = False,
) -> float:
    """Return one data-parallel step's time: compute, then the all-reduce (or what of it shows).

    With `overlap`, the all-reduce runs during the backward pass (`share` of the compute, see
    `backward_share`) and only the part longer than that adds to the step.
    """
    communication = allreduce_seconds(num_bytes, num_processes, bandwidth, latency)
    if overlap:
        return compute_seconds + max(0.0, communication - share * compute_seconds)
    return compute_seconds + communication


def scaling_efficiency(
    compute_seconds: float,
    num_bytes: float,
    num_processes: int,
    bandwidth: float,
    *,
    latency: float = 0.0,
    share: float = BACKWARD_SHARE,
    overlap: bool = False,
) -> float:
    """Return the speed-up over one process divided by N (1 = perfect), per-process batch fixed."""
    step = step_seconds(compute_seconds, num_bytes, num_processes, bandwidth, latency=latency,
                        share=share, overlap=overlap)
    return compute_seconds / step


def link_efficiency(
    compute_seconds: float,
    num_bytes: float,
    num_processes: int,
    link: Link,
    *,
    share: float = BACKWARD_SHARE,
    overlap: bool = False,
) -> float:
    """Return `scaling_efficiency` on the link a ring of `num_processes` GPUs over `link` uses."""
    ring = link.for_ring(num_processes)
    return scaling_efficiency(compute_seconds, num_bytes, num_processes, ring.bandwidth,
                              latency=ring.latency, share=share, overlap=overlap)
