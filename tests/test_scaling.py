"""The data-parallel scaling model of notebook 06 on cases with known answers."""

import math

import pytest

from bert_tutorial.scaling import (
    BACKWARD_SHARE,
    allreduce_seconds,
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
