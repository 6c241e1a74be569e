"""Plots the notebooks share: labelled heatmaps (similarity, attention, confusion) and curves."""

from __future__ import annotations

from collections.abc import Sequence

import matplotlib.pyplot as plt
import numpy as np


def plot_heatmap(
    matrix,
    row_labels: Sequence[str],
    col_labels: Sequence[str],
    *,
    title: str,
    xlabel: str,
    ylabel: str,
    colorbar_label: str,
    annotate: bool = True,
    fmt: str = ".2f",
    cmap: str = "viridis",
    fontsize: float = 8,
    value_range: tuple[float, float] | None = None,
    ax: plt.Axes | None = None,
) -> plt.Axes:
    """Draw `matrix` as a heatmap with tick labels, a title, axis labels and a colour bar.

    `value_range` fixes the colour scale (low, high), so that side-by-side heatmaps compare.
    """
    values = np.asarray(matrix, dtype=float)
    assert values.shape == (len(row_labels), len(col_labels)), (
        f"matrix shape {values.shape} does not match {len(row_labels)} x {len(col_labels)} labels"
    )
    if ax is None:
        size = (max(4.0, 0.55 * len(col_labels) + 2), max(3.0, 0.45 * len(row_labels) + 1.5))
        _, ax = plt.subplots(figsize=size)
    low, high = value_range or (None, None)
    image = ax.imshow(values, cmap=cmap, aspect="auto", vmin=low, vmax=high)
    ax.figure.colorbar(image, ax=ax, label=colorbar_label)
    ax.set_xticks(range(len(col_labels)), labels=col_labels, rotation=60, ha="right")
    ax.set_yticks(range(len(row_labels)), labels=row_labels)
    ax.set_title(title)
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    if annotate:
        for (i, j), value in np.ndenumerate(values):
            color = text_color(image.cmap(image.norm(value)))  # against the cell's own colour
            ax.text(j, i, format(value, fmt), ha="center", va="center", color=color,
                    fontsize=fontsize)
    return ax


def relative_luminance(rgb: Sequence[float]) -> float:
    """Return the WCAG relative luminance of an sRGB colour with channels in [0, 1]."""
    r, g, b = (c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in rgb[:3])
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def text_color(background: Sequence[float]) -> str:
    """Return "black" or "white", whichever contrasts more with `background` (WCAG ratio)."""
    luminance = relative_luminance(background)
    # Contrast with black is (L + 0.05) / 0.05, with white 1.05 / (L + 0.05).
    return "black" if (luminance + 0.05) ** 2 > 0.05 * 1.05 else "white"


def plot_curve(
    ys: Sequence[float],
    *,
    title: str,
    xlabel: str,
    ylabel: str,
    label: str | None = None,
    smooth: int = 1,
    ax: plt.Axes | None = None,
) -> plt.Axes:
    """Plot a curve (e.g. loss per step), optionally with a moving average over `smooth` points."""
    assert smooth >= 1, f"smooth is a window of points (1 = no smoothing), got {smooth}"
    if ax is None:
        _, ax = plt.subplots(figsize=(7, 3.5))
    values = np.asarray(ys, dtype=float)
    ax.plot(values, alpha=0.35 if smooth > 1 else 1.0, label=label)
    if smooth > 1 and len(values) >= smooth:
        kernel = np.ones(smooth) / smooth
        averaged = np.convolve(values, kernel, mode="valid")
        ax.plot(np.arange(smooth - 1, len(values)), averaged, label=f"moving average ({smooth})")
    ax.set_title(title)
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    ax.grid(alpha=0.3)
    if label or smooth > 1:
        ax.legend()
    return ax
