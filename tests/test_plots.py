"""Shared plots carry titles, axis labels and the data they are given."""

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

from bert_tutorial.plots import plot_curve, plot_heatmap  # noqa: E402


def test_heatmap_has_labels_title_and_values():
    ax = plot_heatmap(
        [[1.0, 0.2], [0.2, 1.0]], ["a", "b"], ["c", "d"],
        title="Similarity", xlabel="x", ylabel="y", colorbar_label="cosine",
    )  # fmt: skip
    assert ax.get_title() == "Similarity" and ax.get_xlabel() == "x" and ax.get_ylabel() == "y"
    assert [t.get_text() for t in ax.get_xticklabels()] == ["c", "d"]
    assert [t.get_text() for t in ax.texts] == ["1.00", "0.20", "0.20", "1.00"]
    np.testing.assert_array_equal(ax.images[0].get_array(), [[1.0, 0.2], [0.2, 1.0]])
    plt.close("all")


def test_heatmap_rejects_mismatched_labels():
    with pytest.raises(ValueError, match="does not match 3 row labels"):
        plot_heatmap(np.eye(2), ["a", "b", "c"], ["a", "b"], title="t", xlabel="x", ylabel="y",
                     colorbar_label="c")  # fmt: skip
    with pytest.raises(ValueError, match="must be 2-D"):
        plot_heatmap([1, 2], ["a"], ["b"], title="t", xlabel="x", ylabel="y", colorbar_label="c")


def test_curve_draws_raw_and_smoothed_lines():
    ax = plot_curve([4, 3, 2, 1, 1, 1], title="Loss", xlabel="step", ylabel="loss", smooth=3)
    assert len(ax.lines) == 2 and ax.get_title() == "Loss"
    np.testing.assert_allclose(ax.lines[1].get_ydata(), [3, 2, 4 / 3, 1])
    with pytest.raises(ValueError, match="empty"):
        plot_curve([], title="t", xlabel="x", ylabel="y")
    plt.close("all")
