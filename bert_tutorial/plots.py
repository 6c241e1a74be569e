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
    ax: plt.Axes | None = None,
) -> plt.Axes:
    """Draw `matrix` as a heatmap with tick labels, a title, axis labels and a colour bar."""
    values = np.asarray(matrix, dtype=float)
    if values.ndim != 2:
        raise ValueError(f"matrix must be 2-D, got shape {values.shape}")
    if values.shape != (len(row_labels), len(col_labels)):
        raise ValueError(
            f"matrix shape {values.shape} does not match {len(row_labels)} row labels and "
            f"{len(col_labels)} column labels"
        )
    if ax is None:
        size = (max(4.0, 0.55 * len(col_labels) + 2), max(3.0, 0.45 * len(row_labels) + 1.5))
        _, ax = plt.subplots(figsize=size)
    image = ax.imshow(values, cmap=cmap, aspect="auto")
    ax.figure.colorbar(image, ax=ax, label=colorbar_label)
    ax.set_xticks(range(len(col_labels)), labels=col_labels, rotation=60, ha="right")
    ax.set_yticks(range(len(row_labels)), labels=row_labels)
    ax.set_title(title)
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    if annotate:
        middle = (np.nanmax(values) + np.nanmin(values)) / 2
        for (i, j), value in np.ndenumerate(values):
            color = "black" if value > middle else "white"
            ax.text(j, i, format(value, fmt), ha="center", va="center", color=color, fontsize=8)
    return ax


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
    if len(ys) == 0:
        raise ValueError("nothing to plot: ys is empty")
    if not isinstance(smooth, int) or isinstance(smooth, bool) or smooth < 1:
        raise ValueError(f"smooth must be a positive int (1 = no smoothing), got {smooth!r}")
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
