"""The data-parallel scaling model of notebook 06 on cases with known answers."""

import math

import pytest

from bert_tutorial.scaling import (
    BACKWARD_SHARE,
    BUCKET_BYTES,
    LINKS,
    allreduce_seconds,
    backward_share,
    link_efficiency,
    scaling_efficiency,
    step_seconds,
    training_flops,
)


def test_one_process_communicates_nothing():
    assert allreduce_seconds(4e8, 1, 1e9) == 0
    assert scaling_efficiency(0.3, 4e8, 1, 1e9) == 1


def test_ring_allreduce_sends_two_n_minus_one_over_n_of_the_bytes():
    assert allreduce_seconds(1e9, 2, 1e9) == pytest.approx(1.0)
    assert allreduce_seconds(1e9, 4, 1e9) == pytest.approx(1.5)
    assert allreduce_seconds(1e9, 10**6, 1e9) == pytest.approx(2.0, rel=1e-5)  # tends to 2x


def test_doubling_the_bytes_doubles_the_communication_time():
    assert allreduce_seconds(8e8, 8, 1e10) == pytest.approx(2 * allreduce_seconds(4e8, 8, 1e10))


@pytest.mark.parametrize("overlap", [False, True])
def test_infinite_bandwidth_scales_linearly(overlap):
    for n in (1, 2, 8, 64):
        assert scaling_efficiency(0.2, 4e8, n, math.inf, overlap=overlap) == 1


def test_overlap_hides_what_fits_behind_the_backward_pass():
    compute = 0.3
    hidden = BACKWARD_SHARE * compute
    bandwidth = 1e9
    fits = hidden * bandwidth / (2 * 7 / 8) * 0.5  # an all-reduce half as long as the backward
    assert step_seconds(compute, fits, 8, bandwidth, overlap=True) == compute
    assert step_seconds(compute, fits, 8, bandwidth) > compute
    big = 1e10  # far longer than the backward: only the excess shows
    comm = allreduce_seconds(big, 8, bandwidth)
    assert step_seconds(compute, big, 8, bandwidth, overlap=True) == pytest.approx(
        compute + comm - hidden
    )


def test_efficiency_falls_with_more_processes_on_a_finite_link():
    values = [scaling_efficiency(0.1, 4e8, n, 12.5e9) for n in (2, 4, 8, 64)]
    assert values == sorted(values, reverse=True) and values[-1] < 1


def test_training_flops_count_backward_only_for_trainable_layers():
    class Config:
        hidden_size, intermediate_size, num_hidden_layers = 4, 16, 3

    per_layer = 2 * (4 * 16 + 2 * 4 * 16) + 4 * 10 * 4
    assert training_flops(1, 10, Config, 0) == per_layer * 9
    assert training_flops(1, 10, Config, 3) == per_layer * 3


def test_every_hop_of_every_bucket_waits_the_latency():
    one_bucket, three_buckets = BUCKET_BYTES / 2, 2.5 * BUCKET_BYTES
    assert allreduce_seconds(one_bucket, 4, math.inf, latency=1e-5) == pytest.approx(6e-5)
    assert allreduce_seconds(three_buckets, 4, math.inf, latency=1e-5) == pytest.approx(18e-5)
    assert allreduce_seconds(three_buckets, 1, 1e9, latency=1e-5) == 0


def test_a_ring_larger_than_one_box_runs_at_the_network_between_boxes():
    nvlink = next(link for link in LINKS if link.name.startswith("NVLink"))
    assert nvlink.for_ring(8) is nvlink
    assert nvlink.for_ring(16).bandwidth < nvlink.bandwidth / 10
    compute, num_bytes = 0.02, 3e8
    assert link_efficiency(compute, num_bytes, 16, nvlink) < link_efficiency(
        compute, num_bytes, 8, nvlink
    ) - 0.2


def test_frozen_layers_shrink_the_backward_pass_that_hides_communication():
    class Config:
        num_hidden_layers = 6

    assert backward_share(Config, 0) == pytest.approx(BACKWARD_SHARE)
    assert backward_share(Config, 2) == pytest.approx(8 / 14)
    assert backward_share(Config, 6) == 0
    compute, bandwidth = 0.1, 1e9
    num_bytes = 0.6 * compute * bandwidth / (2 * 7 / 8)  # as long as 60% of the compute
    hidden_all = step_seconds(compute, num_bytes, 8, bandwidth, overlap=True)
    hidden_less = step_seconds(compute, num_bytes, 8, bandwidth, share=backward_share(Config, 2),
                               overlap=True)
    assert hidden_all == compute < hidden_less
