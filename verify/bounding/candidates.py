r"""A candidate's shapes on grid points, from its own expressions.

The shape comparison (:mod:`.shapes`) needs a few vectorised functions of the
points ``X`` (shape ``(P, N)``), bundled as an :class:`~irmd.analytic.shapes.ShapeModel`.
:func:`candidate_shapes` makes one for any candidate from the expressions the
verifier checks (constants solved, defined functions by their closed forms); the
built-ins' hand-written shapes (their :class:`~irmd.analytic.shapes.ClosedForms`)
are the independent cross-check.
"""
from __future__ import annotations

import numpy as np
import sympy as sp
from scipy.special import gammainc, gammaincc, gammaln, hyp1f1

from irmd.analytic.constants import solve_constants
from irmd.analytic.environment import OWN, TOTAL
from irmd.analytic.resolve import resolve
from irmd.analytic.shapes import ShapeModel, safe_ratio
from irmd.budget import Budget


def _numpy_modules():
    """numpy implementations of irmd's special functions for lambdify."""
    def erlang_pdf(n, y):
        n = int(n)
        if n == 0:
            return np.zeros_like(np.asarray(y, dtype=float))
        y = np.asarray(y, dtype=float)
        with np.errstate(divide="ignore", invalid="ignore"):
            return np.where(y > 0, np.exp((n - 1) * np.log(np.where(y > 0, y, 1.0)) - y - gammaln(n)),
                            1.0 if n == 1 else 0.0)

    def hyper(ap, bq, z):
        if len(ap) == 1 and len(bq) == 1:
            return hyp1f1(float(ap[0]), float(bq[0]), z)
        raise NotImplementedError("only 1F1 hypergeometric functions are evaluated on grids")

    return {"ErlangPDF": erlang_pdf,
            "ErlangCDF": lambda n, y: gammainc(int(n), y) if int(n) > 0 else np.ones_like(y),
            "ErlangSF": lambda n, y: gammaincc(int(n), y) if int(n) > 0 else np.zeros_like(y),
            "hyper": hyper}


def candidate_shapes(candidate, dps: int = 20) -> ShapeModel:
    """The :class:`ShapeModel` of any irmd candidate, evaluated from its own expressions.

    The same resolved expressions the verifier checks (constants solved at ``dps``,
    defined functions by their closed forms), vectorised with numpy; so a user's
    conjecture is compared with the grid solutions exactly as the built-ins are.
    """
    values = solve_constants(candidate.constants, dps)
    numbers = {s: sp.Float(v, dps) for s, v in values.items()}
    resolution = resolve(candidate, Budget(30, 10))
    modules = [_numpy_modules(), "numpy"]

    def compile_(expr, variables):
        expr = resolution.apply(expr).xreplace(numbers)
        fn = sp.lambdify(variables, expr, modules=modules)

        def call(*args):
            with np.errstate(all="ignore"):
                return np.asarray(fn(*args), dtype=float) * np.ones_like(args[0], dtype=float)
        return call

    labels = tuple(candidate.environment.state_labels)   # rows in the environment's state order
    by_label = candidate.information.mapping
    if candidate.symmetric:
        env = candidate.environment
        outcome_fns = {f: compile_(candidate.mechanism.mapping[f.symbol], (OWN, TOTAL)) for f in env.families}
        density_fns = [compile_(by_label[label], (TOTAL,)) for label in labels]

        def outcome(X):
            total = X.sum(axis=1)
            return {str(f.member(i + 1)): np.nan_to_num(fn(X[:, i], total))
                    for f, fn in outcome_fns.items() for i in range(X.shape[1])}

        def densities(X):
            total = X.sum(axis=1)
            return np.stack([fn(total) for fn in density_fns])
    else:
        xs = candidate.environment.actions
        outcome_fns = {str(c): compile_(e, xs) for c, e in candidate.mechanism.outcome}
        density_fns = [compile_(by_label[label], xs) for label in labels]

        def outcome(X):
            return {c: np.nan_to_num(fn(*X.T)) for c, fn in outcome_fns.items()}

        def densities(X):
            return np.stack([fn(*X.T) for fn in density_fns])

    def density(X):
        return densities(X).sum(axis=0)

    def posterior(X):
        d = densities(X)
        return np.stack([safe_ratio(row, d.sum(axis=0)) for row in d])

    ybar = next((float(values[c.symbol]) for c in candidate.constants if c.symbol.name == "ybar"), None)
    return ShapeModel(candidate.name, outcome, density, posterior, ybar, labels)
