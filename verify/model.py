r"""The reduced model of a candidate: SVO, IVO and friends as sympy expressions.

For a mechanism :math:`c(x)` and densities :math:`\sigma(x,\theta)` (DESIGN.md):

.. math::
    \lambda(x,\theta) &= w(c(x),\theta) + \sum_i \partial_{x_i}\big[u_i(c(x),\theta)\big]
        \quad\text{(derivative on } c \text{ only)} \\
    \gamma(x,c) &= \sum_\theta w(c,\theta)\sigma(x,\theta)
        - \sum_i\sum_\theta u_i(c,\theta)\,\partial_{x_i}\sigma(x,\theta)

Both are affine in the outcome, so :math:`\gamma = \gamma_0(x) + \sum_k a_k(x) c_k`
and :math:`\max_c \gamma` splits over the factors of the outcome space.

Two builders produce the same :class:`ReducedModel`:

*explicit* (any :class:`~irmd.analytic.environment.Environment`): variables
    ``x_1..x_N``, one coefficient per outcome coordinate.
*symmetric* (:class:`~irmd.analytic.environment.SymmetricEnvironment`): the
    mechanism is affine in the own action, :math:`c_{k,i} = a_k(y) + x_i b_k(y)`,
    and the densities depend on :math:`y = \sum_i x_i` only, so every sum over
    agents is closed-form: :math:`\sum_i c_{k,i} = N a_k + y b_k` and
    :math:`\sum_i \partial_{x_i} c_{k,i} = N(a_k' + b_k) + y b_k'`.  All
    expressions are then functions of ``y`` alone, for any N; integrals over the
    signal space use the slice volume :math:`V(y) = (y - Nl)^{N-1}/(N-1)!` (the
    Erlang structure), never N-dimensional quadrature.  In this model the IVO
    coefficient of a family is the coefficient of *each* agent's coordinate.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import sympy as sp

from irmd.analytic.environment import OWN, TOTAL, Environment, SymmetricEnvironment
from irmd.analytic.outcomes import Interval, Simplex
from irmd.analytic.piecewise import to_piecewise
from irmd.analytic.resolve import Resolution
from irmd.analytic.special import ErlangPDF
from irmd.budget import Budget
from irmd.errors import BudgetExceeded, CandidateError

from .sampling import Box
from .subjects import Condition, Subject


@dataclass(frozen=True)
class OutcomeFactor:
    """A factor of the outcome space as the model sees it.

    ``coordinates`` are model symbols (explicit coordinates, or one family symbol);
    ``multiplicity`` is N for a per-agent family (its maximum counts N times) and
    1 otherwise; ``shared_simplex`` marks an allocation family whose N members form
    one simplex (so its maximum is max(0, a), counted once).
    """

    kind: str                      # "simplex" | "interval"
    coordinates: tuple
    lower: sp.Expr = sp.S.NegativeInfinity
    upper: sp.Expr = sp.S.Infinity
    multiplicity: int = 1

    @property
    def free(self) -> bool:
        return self.kind == "interval" and self.lower == sp.S.NegativeInfinity and self.upper == sp.S.Infinity

    def maximum(self, coefficients: dict) -> sp.Expr:
        """max over the factor of sum_k coefficients[k] * c_k (times multiplicity)."""
        if self.kind == "simplex":
            return sp.Max(sp.S.Zero, *[coefficients.get(c, sp.S.Zero) for c in self.coordinates])
        a = coefficients.get(self.coordinates[0], sp.S.Zero)
        if self.free:
            return sp.S.Zero  # its coefficient must vanish: checked as the transfer PDE
        if self.lower == sp.S.NegativeInfinity:
            return self.multiplicity * self.upper * a  # valid where a >= 0 (checked by the PDE-like claim)
        if self.upper == sp.S.Infinity:
            return self.multiplicity * self.lower * a
        return self.multiplicity * sp.Max(self.lower * a, self.upper * a)


@dataclass
class ReducedModel:
    """Everything the checks need, as expressions in the box variables."""

    kind: str                              # "explicit" | "symmetric"
    agents: int
    states: tuple
    prior: tuple
    action_box: Box
    signal_box: Box
    outcome: dict                          # coordinate -> c(x) (symmetric: family sum C_k(y))
    factors: tuple                         # OutcomeFactor
    density: dict                          # state label -> sigma
    svo: dict                              # state label -> lambda
    ivo_constant: sp.Expr
    ivo_coefficients: dict                 # coordinate -> a_k
    utility_parts: dict                    # state label -> (U0 per agent, {coord: coefficient} per agent)
    feasibility: list = field(default_factory=list)     # Condition: expr >= 0 on box
    participation: list = field(default_factory=list)   # Condition: expr >= 0 on box
    transfers: list = field(default_factory=list)       # Condition: expr must stay bounded
    measure: sp.Expr = sp.S.One                          # slice volume V(y) (symmetric) / 1
    scales: tuple = ()
    notes: list = field(default_factory=list)

    @property
    def ivo_max(self) -> sp.Expr:
        """max over outcomes of gamma(x, .)."""
        return self.ivo_constant + sum((f.maximum(self.ivo_coefficients) for f in self.factors), sp.S.Zero)

    @property
    def ivo_at_mechanism(self) -> sp.Expr:
        """gamma(x, c(x)): the mechanism's own IVO value."""
        return self.ivo_constant + sum(
            (a * self.outcome[c] for c, a in self.ivo_coefficients.items()), sp.S.Zero
        )

    def free_coefficients(self) -> dict:
        """Coefficients of free coordinates (they must vanish: the transfer PDE)."""
        out = {}
        for f in self.factors:
            if f.free:
                out[f.coordinates[0]] = self.ivo_coefficients.get(f.coordinates[0], sp.S.Zero)
        return out

    def half_open_coefficients(self) -> list:
        """(coordinate, coefficient, required sign) for intervals with one infinite end."""
        out = []
        for f in self.factors:
            if f.kind == "interval" and not f.free:
                a = self.ivo_coefficients.get(f.coordinates[0], sp.S.Zero)
                if f.lower == sp.S.NegativeInfinity:
                    out.append((f.coordinates[0], a, 1))    # need a >= 0
                elif f.upper == sp.S.Infinity:
                    out.append((f.coordinates[0], -a, 1))   # need a <= 0
        return out

    @property
    def variables(self):
        return self.signal_box.variables


def build_model(resolution: Resolution, budget: Budget) -> ReducedModel:
    candidate = resolution.candidate
    if candidate.symmetric:
        return _symmetric_model(resolution, budget)
    return _explicit_model(resolution, budget)


def _prepared(resolution: Resolution, expr: sp.Expr) -> sp.Expr:
    return to_piecewise(resolution.apply(expr))


def _scales(resolution: Resolution, agents: int) -> tuple:
    """Characteristic radii: every constant's value is a candidate position; the
    Erlang bulk sits at N +- k sqrt(N)."""
    scales = list(resolution.candidate.constant_symbols)
    if agents > 1:
        root = sp.sqrt(agents)
        scales += [sp.Integer(agents) + k * root for k in (-8, -4, -2, -1, 0, 1, 2, 4, 8, 16)]
    return tuple(scales)


# ---------------------------------------------------------------------- symmetric
def _symmetric_model(resolution: Resolution, budget: Budget) -> ReducedModel:
    candidate = resolution.candidate
    env: SymmetricEnvironment = candidate.environment
    n = env.agents
    y, s = TOTAL, OWN
    lm, li = candidate.mechanism.lower, candidate.information.lower
    action_box = Box((y,), (n * lm,))
    signal_box = Box((y,), (n * li,))

    a, b, C, D = {}, {}, {}, {}
    for family in env.families:
        expr = _prepared(resolution, candidate.mechanism.mapping[family.symbol])
        _require_affine_in_own(expr, family.symbol, budget)
        b[family.symbol] = sp.diff(expr, s)
        a[family.symbol] = expr.xreplace({s: sp.S.Zero})
        C[family.symbol] = n * a[family.symbol] + y * b[family.symbol]
        D[family.symbol] = n * (sp.diff(a[family.symbol], y) + b[family.symbol]) + y * sp.diff(b[family.symbol], y)

    density = {label: _prepared(resolution, expr) for label, expr in candidate.information.density}
    svo, parts = {}, {}
    gamma0 = sp.S.Zero
    coefficients = {f.symbol: sp.S.Zero for f in env.families}
    for state in env.states:
        U0, U = env.utility_parts(state)
        W0, W, w0 = env.objective_parts(state)
        parts[state.label] = (U0, U)
        svo[state.label] = (w0 + n * W0 + sum((W.get(k, 0) * C[k] for k in C), sp.S.Zero)
                            + sum((U.get(k, 0) * D[k] for k in D), sp.S.Zero))
        sigma = density[state.label]
        dsigma = sp.diff(sigma, y)
        gamma0 += sigma * (w0 + n * W0) - n * U0 * dsigma
        for k in coefficients:
            coefficients[k] += W.get(k, 0) * sigma - U.get(k, 0) * dsigma

    factors = []
    for f in env.families:
        if f.kind == "allocation":
            factors.append(OutcomeFactor("simplex", (f.symbol,), multiplicity=1))
        else:
            factors.append(OutcomeFactor("interval", (f.symbol,), f.lower, f.upper, multiplicity=n))

    own_range = _own_range(n, lm)
    feasibility, transfers = [], []
    for f in env.families:
        expr = a[f.symbol] + s * b[f.symbol]
        at = [(f"{f.symbol}_i at x_i = {point}", expr.xreplace({s: point}), point) for point in own_range]
        coordinate = f"{f.symbol}_i"

        def condition(label, e, point, bound, quantity="feasibility"):
            return Condition(label, e, action_box, Subject(quantity, coordinate=coordinate, agent="i",
                                                           action=sp.Symbol("x_i"), at=point, bound=bound))
        if f.kind == "allocation":
            for label, e, point in at:
                feasibility.append(condition(f"{label}: {f.symbol}_i >= 0", e, point, ">= 0"))
            feasibility.append(Condition(f"1 - sum_i {f.symbol}_i >= 0", 1 - C[f.symbol], action_box,
                                         Subject("feasibility", coordinate=f"sum_i {f.symbol}_i", bound="<= 1")))
        else:
            for label, e, point in at:
                if f.lower.is_finite:
                    feasibility.append(condition(f"{label}: {f.symbol}_i >= {f.lower}", e - f.lower, point,
                                                 f">= {f.lower}"))
                if f.upper.is_finite:
                    feasibility.append(condition(f"{label}: {f.symbol}_i <= {f.upper}", f.upper - e, point,
                                                 f"<= {f.upper}"))
                if not (f.lower.is_finite and f.upper.is_finite):
                    transfers.append(condition(label, e, point, None, "transfer"))

    participation = []
    # With one agent the own action is the total: the secure action x_1 = l is the
    # single point y = l (the outcome there is the limit y -> l+ of a + y b).
    secure = {k: a[k] + (y if n == 1 else lm) * b[k] for k in a}
    for state in env.states:
        U0, U = parts[state.label]
        u = U0 + sum((U.get(k, 0) * secure[k] for k in secure), sp.S.Zero)
        if n == 1:
            u = _limit_from_above(u, y, lm, budget)
        participation.append(Condition(f"agent i at x_i = {lm}, state {state.label}", u, action_box,
                                       Subject("participation", state=state.label, agent="i",
                                               action=sp.Symbol("x_i"), at=lm)))

    offset = y - n * li
    measure = ErlangPDF(n, offset) * sp.exp(offset) if n > 1 else sp.S.One
    return ReducedModel(
        kind="symmetric", agents=n, states=env.states, prior=env.prior,
        action_box=action_box, signal_box=signal_box, outcome=C, factors=tuple(factors),
        density=density, svo=svo, ivo_constant=gamma0, ivo_coefficients=coefficients,
        utility_parts=parts, feasibility=feasibility, participation=participation, transfers=transfers,
        measure=measure, scales=_scales(resolution, n),
    )


def _limit_from_above(expr: sp.Expr, variable: sp.Symbol, point, budget: Budget) -> sp.Expr:
    """lim_{variable -> point+} expr (plain substitution where that is defined)."""
    direct = expr.xreplace({variable: point})
    if not direct.has(sp.nan, sp.zoo, sp.oo, -sp.oo):
        return direct
    try:
        with budget.step("limit at the secure action"):
            return sp.limit(expr, variable, point, "+")
    except BudgetExceeded:
        return direct


def _own_range(n: int, lower):
    """Own action endpoints for a total y: [l, y - (N-1) l] (a single point when N = 1)."""
    if n == 1:
        return (TOTAL,)
    return (lower, TOTAL - (n - 1) * lower)


def _require_affine_in_own(expr: sp.Expr, family: sp.Symbol, budget: Budget):
    second = sp.diff(expr, OWN, 2)
    if second == 0:
        return
    try:
        with budget.step("affinity in the own action"):
            if sp.simplify(second) == 0:
                return
    except BudgetExceeded:
        pass
    raise CandidateError(
        f"symmetric mechanism: {family} must be affine in the own action s (as in s / max(y, ybar)); "
        f"its second derivative in s is {second}"
    )


# ---------------------------------------------------------------------- explicit
def _explicit_model(resolution: Resolution, budget: Budget) -> ReducedModel:
    candidate = resolution.candidate
    env: Environment = candidate.environment
    n = env.agents
    xs = env.actions
    lm, li = candidate.mechanism.lower, candidate.information.lower
    action_box = Box(xs, tuple(lm for _ in xs))
    signal_box = Box(xs, tuple(li for _ in xs))
    outcome = {c: _prepared(resolution, e) for c, e in candidate.mechanism.outcome}
    density = {label: _prepared(resolution, e) for label, e in candidate.information.density}
    coords = env.coordinates

    svo, parts = {}, {}
    gamma0 = sp.S.Zero
    coefficients = {c: sp.S.Zero for c in coords}
    for state in env.states:
        W0, W = env.objective_parts(state)
        agent_parts = [env.utility_parts(i, state) for i in range(n)]
        parts[state.label] = agent_parts
        lam = W0 + sum((W.get(c, 0) * outcome[c] for c in coords), sp.S.Zero)
        for i, (_U0, U) in enumerate(agent_parts):
            lam += sum((U.get(c, 0) * sp.diff(outcome[c], xs[i]) for c in coords), sp.S.Zero)
        svo[state.label] = lam
        sigma = density[state.label]
        grads = [sp.diff(sigma, x) for x in xs]
        gamma0 += W0 * sigma - sum((agent_parts[i][0] * grads[i] for i in range(n)), sp.S.Zero)
        for c in coords:
            coefficients[c] += W.get(c, 0) * sigma - sum(
                (agent_parts[i][1].get(c, 0) * grads[i] for i in range(n)), sp.S.Zero
            )

    factors = []
    feasibility, transfers = [], []
    for f in env.factors:
        if isinstance(f, Simplex):
            factors.append(OutcomeFactor("simplex", f.coordinates))
            for c in f.coordinates:
                feasibility.append(Condition(f"{c} >= 0", outcome[c], action_box,
                                             Subject("feasibility", coordinate=str(c), bound=">= 0")))
            total = " + ".join(map(str, f.coordinates))
            feasibility.append(Condition(f"1 - ({total}) >= 0", 1 - sum(outcome[c] for c in f.coordinates),
                                         action_box, Subject("feasibility", coordinate=total, bound="<= 1")))
        elif isinstance(f, Interval):
            factors.append(OutcomeFactor("interval", f.coordinates, f.lower, f.upper))
            c = f.coordinate
            if f.lower.is_finite:
                feasibility.append(Condition(f"{c} >= {f.lower}", outcome[c] - f.lower, action_box,
                                             Subject("feasibility", coordinate=str(c), bound=f">= {f.lower}")))
            if f.upper.is_finite:
                feasibility.append(Condition(f"{c} <= {f.upper}", f.upper - outcome[c], action_box,
                                             Subject("feasibility", coordinate=str(c), bound=f"<= {f.upper}")))
            if not (f.lower.is_finite and f.upper.is_finite):
                transfers.append(Condition(str(c), outcome[c], action_box, Subject("transfer", coordinate=str(c))))

    participation = []
    for i in range(n):
        rest = tuple(x for j, x in enumerate(xs) if j != i)
        box = Box(rest, tuple(lm for _ in rest)) if rest else Box((xs[i],), (lm,))
        for state in env.states:
            U0, U = parts[state.label][i]
            u = U0 + sum((U.get(c, 0) * outcome[c] for c in coords), sp.S.Zero)
            u = u.xreplace({xs[i]: lm})
            participation.append(Condition(f"agent {i + 1} at x_{i + 1} = {lm}, state {state.label}", u, box,
                                           Subject("participation", state=state.label, agent=str(i + 1),
                                                   action=xs[i], at=lm)))

    return ReducedModel(
        kind="explicit", agents=n, states=env.states, prior=env.prior,
        action_box=action_box, signal_box=signal_box, outcome=outcome, factors=tuple(factors),
        density=density, svo=svo, ivo_constant=gamma0, ivo_coefficients=coefficients,
        utility_parts=parts, feasibility=feasibility, participation=participation, transfers=transfers,
        measure=sp.S.One, scales=_scales(resolution, n),
    )
