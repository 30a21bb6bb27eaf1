r"""Comparing a grid solution with a candidate's closed forms.

The LP solutions live on the grid as probability masses (σ) and outcome
coordinates (c); a :class:`~irmd.analytic.shapes.ShapeModel` gives the candidate's
density, posterior and outcome at the same points.  Each comparison reports the
sup distance and the L¹ distance (a Riemann sum, cell volume ``k**-N``) over a
region, by default :math:`\Sigma x \le \min(Y/2, 2\bar y)`: away from the top of
the grid, where truncation distorts both programs.

* marginal density :math:`k^N \rho(x)` vs :math:`\bar\rho(x)`;
* posterior :math:`\sigma(x, \theta)/\rho(x)` vs the candidate's, where the LP's
  marginal density exceeds ``floor`` (elsewhere the posterior is not determined);
* every outcome coordinate of the guarantee LP's mechanism vs the candidate's.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from irmd.analytic.shapes import ShapeModel

from .common import number
from .grid import Grid


@dataclass(frozen=True)
class Distance:
    """sup and L¹ distances of one compared quantity over ``points`` grid points."""

    quantity: str
    sup: float
    l1: float
    points: int
    sup_at: tuple[float, ...]

    def to_dict(self, dps: int = 6) -> dict:
        return {"quantity": self.quantity, "sup": number(self.sup, dps), "l1": number(self.l1, dps),
                "points": self.points, "sup_at": [number(v, dps) for v in self.sup_at]}


@dataclass(frozen=True)
class ShapeComparison:
    candidate: str
    region: str
    distances: tuple[Distance, ...]

    def to_dict(self, dps: int = 6) -> dict:
        return {"candidate": self.candidate, "region": self.region,
                "distances": [d.to_dict(dps) for d in self.distances]}

    def get(self, quantity: str) -> Distance:
        return next(d for d in self.distances if d.quantity == quantity)


def default_region(grid: Grid, ybar: float | None) -> tuple[np.ndarray, str]:
    limit = float(grid.top) / 2
    if ybar is not None:
        limit = min(limit, 2 * float(ybar))
    return grid.totals() <= limit + 1e-12, f"sum(x) <= {limit:.4g}"


def _distance(name: str, lp: np.ndarray, model: np.ndarray, mask: np.ndarray, X: np.ndarray,
              cell: float) -> Distance | None:
    ok = mask & np.isfinite(model) & np.isfinite(lp)
    if not ok.any():
        return None
    diff = np.abs(lp[ok] - model[ok])
    j = int(np.argmax(diff))
    return Distance(name, float(diff[j]), float(diff.sum() * cell), int(ok.sum()), tuple(X[ok][j]))


def compare(grid: Grid, model: ShapeModel, state_labels, guarantee=None, potential=None,
            region: np.ndarray | None = None, floor: float = 1e-3) -> ShapeComparison:
    """Distances between the grid solutions and ``model`` (either result may be None)."""
    X = grid.coordinates()
    if region is None:
        region, text = default_region(grid, model.ybar)
    else:
        text = "given"
    cell = grid.cell
    out = []
    if potential is not None and potential.ok:
        sigma = potential.sigma.reshape(potential.sigma.shape[0], -1)
        rho = sigma.sum(axis=0) / cell
        out.append(_distance("density", rho, model.density(X), region, X, cell))
        post = model.posterior(X)
        with np.errstate(invalid="ignore", divide="ignore"):
            lp_post = sigma / (rho * cell)
        for s, label in enumerate(state_labels):
            if label in model.labels:  # states are matched by label, never by position
                row = post[model.labels.index(label)]
                out.append(_distance(f"posterior[{label}]", lp_post[s], row, region & (rho > floor), X, cell))
    if guarantee is not None and guarantee.ok:
        model_outcome = model.outcome(X)
        for name, values in guarantee.outcome.items():
            if name in model_outcome:
                out.append(_distance(name, values.ravel(), model_outcome[name], region, X, cell))
    return ShapeComparison(model.name, text, tuple(d for d in out if d is not None))
