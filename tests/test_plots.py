"""Shared plots carry titles, axis labels and the data they are given."""

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402
from matplotlib.colors import to_rgb  # noqa: E402

from bert_tutorial.plots import plot_curve, plot_heatmap, relative_luminance  # noqa: E402


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


def test_curve_draws_raw_and_smoothed_lines():
    ax = plot_curve([4, 3, 2, 1, 1, 1], title="Loss", xlabel="step", ylabel="loss", smooth=3)
    assert len(ax.lines) == 2 and ax.get_title() == "Loss"
    np.testing.assert_allclose(ax.lines[1].get_ydata(), [3, 2, 4 / 3, 1])
    plt.close("all")


def contrast(first, second) -> float:
    """WCAG contrast ratio of two colours."""
    lighter, darker = sorted(map(relative_luminance, (first, second)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


@pytest.mark.parametrize(
    "cmap", ["viridis", "Blues", "Reds", "coolwarm", "magma", "Blues_r", "viridis_r", "Greys"]
)
def test_every_heatmap_number_is_readable_on_its_cell(cmap):
    values = np.linspace(0, 100, 25).reshape(5, 5)
    labels = list("abcde")
    ax = plot_heatmap(values, labels, labels, title="t", xlabel="x", ylabel="y",
                      colorbar_label="c", cmap=cmap, fmt=".0f")  # fmt: skip
    image = ax.images[0]
    for text, value in zip(ax.texts, values.flat, strict=True):
        background = image.cmap(image.norm(value))
        assert contrast(to_rgb(text.get_color()), background) >= 4.5, (cmap, value)
    plt.close("all")


def test_relative_luminance_of_black_white_and_grey():
    assert relative_luminance((0, 0, 0)) == 0 and relative_luminance((1, 1, 1)) == 1
    assert relative_luminance((0.5, 0.5, 0.5)) == pytest.approx(0.214, abs=1e-3)


def test_heatmaps_given_one_value_range_share_one_colour_scale():
    labels = ["a", "b"]
    narrow = np.array([[0.6, 0.7], [0.8, 1.0]])
    wide = np.array([[0.0, 0.5], [0.5, 1.0]])
    colours = []
    for values in (narrow, wide):
        ax = plot_heatmap(values, labels, labels, title="t", xlabel="x", ylabel="y",
                          colorbar_label="c", value_range=(0, 1))  # fmt: skip
        image = ax.images[0]
        colours.append(image.cmap(image.norm(0.8)))
    assert colours[0] == colours[1]  # 0.8 has one colour in both
    plt.close("all")
