r"""Singular terms from jumps across a surface :math:`\{\varphi = 0\}`.

*Density jumps* (DESIGN.md).  With :math:`\sigma^-` on the side
:math:`\varphi < 0` and :math:`\sigma^+` on :math:`\varphi > 0`,
:math:`\partial_i \sigma` carries :math:`(\sigma^+ - \sigma^-)\,\partial_i\varphi\,
\delta(\varphi)`, so the IVO gains the singular density

.. math:: \gamma_{sing}(x, c) = \sum_\theta \sum_i u_i(c,\theta)
          (\sigma^- - \sigma^+)(x,\theta)\, \partial_i\varphi(x)

(per unit of :math:`\delta(\varphi)`): affine in ``c`` like the IVO itself.  Its
maximum over outcomes, integrated over the surface, is part of the potential
bound (the line :math:`x_1 + x_2 = \bar y` in bilateral trade gives
:math:`(\bar y - \epsilon)\bar\rho(\bar y) g`), and complementary slackness (25)
asks the mechanism to attain that maximum on the surface.

*Mechanism jumps*.  If :math:`c` jumps, :math:`\lambda(\cdot,\theta)` gains
:math:`\sum_i [u_i(c^+,\theta) - u_i(c^-,\theta)]\,\partial_i\varphi\,\delta(\varphi)`;
a negative coefficient sends :math:`\inf_x \lambda` to :math:`-\infty`, so it must be
non-negative.
"""
from __future__ import annotations

import sympy as sp

from irmd.analytic.environment import TOTAL

from .model import ReducedModel
from .regions import Surface, side_limit


def gradient(model: ReducedModel, surface: Surface) -> list:
    if model.kind == "symmetric":
        return [sp.diff(surface.phi, TOTAL)]
    return [sp.diff(surface.phi, x) for x in model.signal_box.variables]


def density_jump(model: ReducedModel, surface: Surface, sides: dict) -> tuple[sp.Expr, dict]:
    """(constant, {coordinate: coefficient}) of gamma_sing on ``surface``."""
    grad = gradient(model, surface)
    const = sp.S.Zero
    coefficients = {c: sp.S.Zero for c in model.ivo_coefficients}
    for state in model.states:
        sigma = model.density[state.label]
        delta = side_limit(sigma, surface, -1, sides) - side_limit(sigma, surface, 1, sides)
        if delta == 0:
            continue
        parts = model.utility_parts[state.label]
        if model.kind == "symmetric":
            U0, U = parts
            const += model.agents * U0 * delta * grad[0]
            for c in coefficients:
                coefficients[c] += U.get(c, 0) * delta * grad[0]
        else:
            for i, (U0, U) in enumerate(parts):
                const += U0 * delta * grad[i]
                for c in coefficients:
                    coefficients[c] += U.get(c, 0) * delta * grad[i]
    return const, coefficients


def mechanism_jump(model: ReducedModel, surface: Surface, label: str, sides: dict) -> sp.Expr:
    """Coefficient of delta(phi) in lambda(., theta=label) from jumps of the mechanism."""
    grad = gradient(model, surface)
    parts = model.utility_parts[label]
    total = sp.S.Zero
    for c, expr in model.outcome.items():
        jump = side_limit(expr, surface, 1, sides) - side_limit(expr, surface, -1, sides)
        if jump == 0:
            continue
        if model.kind == "symmetric":
            total += parts[1].get(c, 0) * jump * grad[0]
        else:
            for i, (_, U) in enumerate(parts):
                total += U.get(c, 0) * jump * grad[i]
    return total


def singular_maximum(model: ReducedModel, const: sp.Expr, coefficients: dict) -> sp.Expr:
    return const + sum((f.maximum(coefficients) for f in model.factors), sp.S.Zero)


def singular_at_mechanism(model: ReducedModel, const: sp.Expr, coefficients: dict, outcome: dict) -> sp.Expr:
    return const + sum((a * outcome[c] for c, a in coefficients.items()), sp.S.Zero)
