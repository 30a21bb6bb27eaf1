"""Pictures of the bounding programs: convergence in 1/k and heatmaps on the grid.

Both functions draw on a matplotlib Figure (its Agg canvas; the global backend is left alone), write a PNG and
return the path.  Heatmaps show two agents' axes; with N > 2 agents the slice
``x_3 = ... = x_N = 0`` is drawn (and said so in the title); with one agent,
curves replace the heatmaps.
"""
from __future__ import annotations

import numpy as np
from matplotlib.figure import Figure


def plot_sweep(sweep, path: str, title: str = "") -> str:
    """Both bounds against 1/k, with the analytic value and the extrapolated limits."""
    fig = Figure(figsize=(6.4, 4.4))
    ax = fig.subplots()
    ks = np.array([r.grid.k for r in sweep.results], dtype=float)
    lower = np.array([np.nan if r.lower is None else r.lower for r in sweep.results])
    upper = np.array([np.nan if r.upper is None else r.upper for r in sweep.results])
    ax.plot(1 / ks, lower, "o-", color="tab:blue", label="guarantee bound (19), lower")
    ax.plot(1 / ks, upper, "s-", color="tab:red", label="potential bound (18), upper")
    if sweep.analytic is not None:
        ax.axhline(sweep.analytic, color="black", lw=1, ls="--", label=f"analytic value {sweep.analytic:.6g}")
    for limit, color in ((sweep.lower_limit, "tab:blue"), (sweep.upper_limit, "tab:red")):
        if limit.richardson is not None:
            ax.plot([0], [limit.richardson], marker="*", ms=12, color=color, ls="none")
    ax.plot([], [], marker="*", ms=10, color="gray", ls="none", label="Richardson (order 1) at 1/k = 0")
    ax.set_xlabel("1/k")
    ax.set_ylabel("value")
    ax.set_xlim(left=-0.01)
    ax.set_title(title or "Bounding programs against 1/k")
    ax.legend(fontsize=8)
    ax.grid(alpha=0.3)
    fig.tight_layout()
    fig.savefig(path, dpi=120)
    return path


def _slice(array: np.ndarray) -> np.ndarray:
    """A 2-D slice (first two agents, the others at 0) of an N-D grid array."""
    while array.ndim > 2:
        array = array[..., 0]
    return array


def plot_heatmaps(result, path: str, title: str = "") -> str:
    """q(x), t(x) of the guarantee solution and σ(x, θ) densities of the potential solution."""
    grid = result.grid
    panels = []
    if result.guarantee is not None and result.guarantee.ok:
        outcome = result.guarantee.outcome
        names = list(outcome)
        alloc = [n for n in names if n.startswith("q")][:1]
        transfer = [n for n in names if n.startswith("t")][:1]
        for n in alloc + transfer:
            panels.append((f"{n}(x), guarantee LP", outcome[n]))
    if result.potential is not None and result.potential.ok:
        sigma = result.potential.sigma / grid.cell
        labels = getattr(result, "state_labels", ()) or tuple(str(s) for s in range(sigma.shape[0]))
        for s in range(sigma.shape[0]):
            label = labels[s]
            panels.append((f"k^N sigma(x, theta={label}), potential LP", sigma[s]))
    if not panels:
        raise ValueError("nothing to plot: neither program has a solution")
    fig = Figure(figsize=(4.2 * len(panels), 3.8))
    axes = fig.subplots(1, len(panels), squeeze=False)
    axis = grid.axis()
    extent = [axis[0], axis[-1], axis[0], axis[-1]]
    for ax, (label, values) in zip(axes[0], panels):
        if grid.agents == 1:
            ax.plot(axis, values)
            ax.set_xlabel("x_1")
        else:
            image = ax.imshow(_slice(values).T, origin="lower", extent=extent, aspect="auto", cmap="viridis")
            fig.colorbar(image, ax=ax, shrink=0.85)
            ax.set_xlabel("x_1")
            ax.set_ylabel("x_2")
        ax.set_title(label, fontsize=9)
    suffix = " (slice x_3 = ... = 0)" if grid.agents > 2 else ""
    fig.suptitle((title or f"Bounding programs, k = {grid.k}") + suffix, fontsize=10)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    return path
