r"""Environments in reduced form.

An environment has N agents, finitely many states :math:`\theta` with a prior
:math:`\mu`, and outcome coordinates :math:`c` ranging over a product of simple
factors (:mod:`irmd.analytic.outcomes`).  For each state, agent i's utility
:math:`u_i(c, \theta)` and the designer's objective :math:`w(c, \theta)` are affine
in :math:`c`.

Two forms share this module:

:class:`Environment`
    explicit: every coordinate is a symbol (``q_1, t_1, q_2, ...``) and every
    agent's utility is written out.  General; used for small N.
:class:`SymmetricEnvironment`
    exchangeable agents: per-agent coordinate *families* (an allocation family is
    one simplex across agents, a transfer family is one interval per agent), one
    representative utility :math:`U(c_{own}, \theta)` and an objective
    :math:`w_0(\theta) + \sum_i W(c_i, \theta)`.  N may be huge (10,000); the
    verifier then works with sums over agents in closed form.  ``expand()`` gives
    the explicit form for small N.

States carry the values of the *state variables* (``theta`` in the auction,
``theta_1, theta_2`` in bilateral trade); utilities are written in those
variables.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Mapping, Sequence

import numpy as np
import sympy as sp

from irmd.errors import CandidateError

from .outcomes import Factor, Interval, Simplex

#: Largest N for which a symmetric environment is expanded into explicit symbols.
EXPLICIT_AGENTS_MAX = 64


def action_symbols(agents: int) -> tuple[sp.Symbol, ...]:
    """The action (= signal) variables ``x_1, ..., x_N`` shared by all of irmd."""
    return tuple(sp.Symbol(f"x_{i}", real=True, nonnegative=True) for i in range(1, agents + 1))


#: Representative agent's own action and the total action in symmetric candidates.
OWN = sp.Symbol("s", real=True, nonnegative=True)
TOTAL = sp.Symbol("y", real=True, nonnegative=True)


def check_agents(agents) -> int:
    if isinstance(agents, bool) or not isinstance(agents, (int, sp.Integer)):
        raise CandidateError(f"number of agents must be an integer >= 1, got {agents!r}")
    agents = int(agents)
    if agents < 1:
        raise CandidateError(f"number of agents must be an integer >= 1, got {agents}")
    return agents


@dataclass(frozen=True)
class State:
    """A state of the world: a label and the values of the state variables."""

    label: str
    values: tuple[tuple[sp.Symbol, sp.Expr], ...] = ()

    @staticmethod
    def make(label, values: Mapping | None = None) -> "State":
        pairs = tuple((sp.sympify(k), sp.sympify(v)) for k, v in (values or {}).items())
        for k, _ in pairs:
            if not isinstance(k, sp.Symbol):
                raise CandidateError(f"state {label}: state variable {k} is not a symbol")
        return State(str(label), pairs)

    @property
    def substitution(self) -> dict:
        return dict(self.values)


def _check_prior(states: Sequence[State], prior: Sequence) -> tuple[sp.Expr, ...]:
    if len(states) == 0:
        raise CandidateError("an environment needs at least one state")
    labels = [s.label for s in states]
    if len(set(labels)) != len(labels):
        raise CandidateError(f"state labels must be distinct, got {labels}")
    if len(prior) != len(states):
        raise CandidateError(f"prior has {len(prior)} entries for {len(states)} states")
    prior = tuple(sp.nsimplify(sp.sympify(p), rational=True) if isinstance(p, float) else sp.sympify(p) for p in prior)
    for state, p in zip(states, prior):
        if p.free_symbols:
            raise CandidateError(f"prior of state {state.label} must be a number, got {p}")
        if p.is_negative or (p - 1).is_positive:
            raise CandidateError(f"prior of state {state.label} must lie in [0, 1], got {p}")
    total = sp.nsimplify(sum(prior))
    if sp.simplify(total - 1) != 0:
        raise CandidateError(f"prior sums to {total}, not 1")
    return prior


def _affine_parts(expr: sp.Expr, coordinates: Sequence[sp.Symbol], what: str):
    """Split ``expr`` into (constant, {coordinate: coefficient}); reject non-affine input."""
    expr = sp.expand(sp.sympify(expr))
    coefficients = {}
    for c in coordinates:
        a = sp.diff(expr, c)
        if a.has(*coordinates):
            raise CandidateError(f"{what} is not affine in the outcome coordinates: {expr}")
        if a != 0:
            coefficients[c] = a
    constant = sp.expand(expr.subs({c: 0 for c in coordinates}))
    return constant, coefficients


@dataclass(frozen=True)
class Environment:
    """Explicit environment: N agents, states with prior, factors, u_i and w.

    Parameters
    ----------
    agents : int
        N >= 1.
    states : sequence of State
    prior : sequence of numbers, one per state, summing to one.
    factors : sequence of Simplex / Interval
        Every outcome coordinate belongs to exactly one factor.
    utilities : sequence of N sympy expressions in coordinates and state variables.
    objective : sympy expression (the designer's w).
    """

    agents: int
    states: tuple[State, ...]
    prior: tuple[sp.Expr, ...]
    factors: tuple[Factor, ...]
    utilities: tuple[sp.Expr, ...]
    objective: sp.Expr
    families: tuple[tuple[str, tuple[sp.Symbol, ...]], ...] = field(default=(), compare=False)

    def __post_init__(self):
        object.__setattr__(self, "agents", check_agents(self.agents))
        object.__setattr__(self, "states", tuple(self.states))
        object.__setattr__(self, "prior", _check_prior(self.states, tuple(self.prior)))
        object.__setattr__(self, "factors", tuple(self.factors))
        object.__setattr__(self, "utilities", tuple(sp.sympify(u) for u in self.utilities))
        object.__setattr__(self, "objective", sp.sympify(self.objective))
        if len(self.utilities) != self.agents:
            raise CandidateError(f"{len(self.utilities)} utilities given for {self.agents} agents")
        seen = set()
        for factor in self.factors:
            for c in factor.coordinates:
                if c in seen:
                    raise CandidateError(f"outcome coordinate {c} appears in two factors")
                seen.add(c)
        allowed = set(self.coordinates) | set(self.state_variables)
        for i, u in enumerate(self.utilities, start=1):
            unknown = u.free_symbols - allowed
            if unknown:
                raise CandidateError(f"utility of agent {i} uses unknown symbols {sorted(map(str, unknown))}")
            _affine_parts(u, self.coordinates, f"utility of agent {i}")
        unknown = self.objective.free_symbols - allowed
        if unknown:
            raise CandidateError(f"objective uses unknown symbols {sorted(map(str, unknown))}")
        _affine_parts(self.objective, self.coordinates, "objective")

    # -- structure ---------------------------------------------------------
    @property
    def coordinates(self) -> tuple[sp.Symbol, ...]:
        return tuple(c for f in self.factors for c in f.coordinates)

    @property
    def state_variables(self) -> tuple[sp.Symbol, ...]:
        out = []
        for s in self.states:
            for k, _ in s.values:
                if k not in out:
                    out.append(k)
        return tuple(out)

    @property
    def actions(self) -> tuple[sp.Symbol, ...]:
        return action_symbols(self.agents)

    @property
    def state_labels(self) -> tuple[str, ...]:
        return tuple(s.label for s in self.states)

    def state(self, label) -> State:
        for s in self.states:
            if s.label == str(label):
                return s
        raise CandidateError(f"unknown state {label!r}; states are {list(self.state_labels)}")

    def free_coordinates(self) -> tuple[sp.Symbol, ...]:
        return tuple(f.coordinate for f in self.factors if isinstance(f, Interval) and f.free)

    # -- values in a state ---------------------------------------------------
    def utility(self, agent: int, state: State) -> sp.Expr:
        """u_i(c, theta) for agent index ``agent`` (0-based) in ``state``."""
        return self.utilities[agent].xreplace(state.substitution)

    def objective_in(self, state: State) -> sp.Expr:
        return self.objective.xreplace(state.substitution)

    def utility_parts(self, agent: int, state: State):
        """(constant, {coordinate: coefficient}) of u_i(., theta)."""
        return _affine_parts(self.utility(agent, state), self.coordinates, f"utility of agent {agent + 1}")

    def objective_parts(self, state: State):
        return _affine_parts(self.objective_in(state), self.coordinates, "objective")

    def coefficient_arrays(self):
        """Numeric (float) coefficient arrays for linear programs.

        Returns ``U0[i, s]``, ``U[i, s, k]``, ``W0[s]``, ``W[s, k]`` with coordinates
        ordered as :attr:`coordinates` and states as :attr:`states`, so that
        ``u_i(c, theta_s) = U0[i, s] + U[i, s] @ c`` and ``w(c, theta_s) = W0[s] + W[s] @ c``.
        """
        coords = self.coordinates
        n, m, d = self.agents, len(self.states), len(coords)
        U0 = np.zeros((n, m))
        U = np.zeros((n, m, d))
        W0 = np.zeros(m)
        W = np.zeros((m, d))
        for s, state in enumerate(self.states):
            const, coef = self.objective_parts(state)
            W0[s] = float(const)
            for k, c in enumerate(coords):
                W[s, k] = float(coef.get(c, 0))
            for i in range(n):
                const, coef = self.utility_parts(i, state)
                U0[i, s] = float(const)
                for k, c in enumerate(coords):
                    U[i, s, k] = float(coef.get(c, 0))
        return U0, U, W0, W

    @property
    def symmetric(self) -> bool:
        """True when the environment was expanded from a :class:`SymmetricEnvironment`."""
        return bool(self.families)


@dataclass(frozen=True)
class Family:
    """A per-agent outcome coordinate family of a symmetric environment.

    ``kind`` is ``"allocation"`` (the N coordinates form one simplex) or
    ``"interval"`` (each agent's coordinate lies in ``[lower, upper]``; both ends
    infinite means a free transfer).
    """

    symbol: sp.Symbol
    kind: str = "interval"
    lower: sp.Expr = sp.S.NegativeInfinity
    upper: sp.Expr = sp.S.Infinity

    def __post_init__(self):
        if self.kind not in ("allocation", "interval"):
            raise CandidateError(f"family {self.symbol}: kind must be 'allocation' or 'interval', got {self.kind!r}")
        object.__setattr__(self, "lower", sp.sympify(self.lower))
        object.__setattr__(self, "upper", sp.sympify(self.upper))

    @property
    def free(self) -> bool:
        return self.kind == "interval" and self.lower == sp.S.NegativeInfinity and self.upper == sp.S.Infinity

    def member(self, agent: int) -> sp.Symbol:
        """The coordinate of agent ``agent`` (1-based), e.g. ``q_3``."""
        return sp.Symbol(f"{self.symbol.name}_{agent}", real=True)


def allocation(name: str = "q") -> Family:
    return Family(sp.Symbol(name, real=True), "allocation")


def transfers(name: str = "t", lower=sp.S.NegativeInfinity, upper=sp.S.Infinity) -> Family:
    return Family(sp.Symbol(name, real=True), "interval", lower, upper)


@dataclass(frozen=True)
class SymmetricEnvironment:
    """Exchangeable agents with per-agent coordinate families.

    ``utility`` is U(c_own, theta) in the families' representative symbols and the
    state variables; the designer's objective is
    ``objective_constant(theta) + sum_i objective_per_agent(c_i, theta)``.
    """

    agents: int
    states: tuple[State, ...]
    prior: tuple[sp.Expr, ...]
    families: tuple[Family, ...]
    utility: sp.Expr
    objective_per_agent: sp.Expr
    objective_constant: sp.Expr = sp.S.Zero

    def __post_init__(self):
        object.__setattr__(self, "agents", check_agents(self.agents))
        object.__setattr__(self, "states", tuple(self.states))
        object.__setattr__(self, "prior", _check_prior(self.states, tuple(self.prior)))
        object.__setattr__(self, "families", tuple(self.families))
        object.__setattr__(self, "utility", sp.sympify(self.utility))
        object.__setattr__(self, "objective_per_agent", sp.sympify(self.objective_per_agent))
        object.__setattr__(self, "objective_constant", sp.sympify(self.objective_constant))
        symbols = [f.symbol for f in self.families]
        if len(set(symbols)) != len(symbols):
            raise CandidateError("family symbols must be distinct")
        if sum(f.kind == "allocation" for f in self.families) > 1:
            raise CandidateError("a symmetric environment has at most one allocation family")
        allowed = set(symbols) | set(self.state_variables)
        for what, expr in (("utility", self.utility), ("objective_per_agent", self.objective_per_agent)):
            unknown = expr.free_symbols - allowed
            if unknown:
                raise CandidateError(f"{what} uses unknown symbols {sorted(map(str, unknown))}")
            _affine_parts(expr, symbols, what)
        unknown = self.objective_constant.free_symbols - set(self.state_variables)
        if unknown:
            raise CandidateError(f"objective_constant uses unknown symbols {sorted(map(str, unknown))}")

    @property
    def family_symbols(self) -> tuple[sp.Symbol, ...]:
        return tuple(f.symbol for f in self.families)

    @property
    def state_variables(self) -> tuple[sp.Symbol, ...]:
        return Environment.state_variables.fget(self)

    @property
    def state_labels(self) -> tuple[str, ...]:
        return tuple(s.label for s in self.states)

    def state(self, label) -> State:
        return Environment.state(self, label)

    def utility_parts(self, state: State):
        """(U0(theta), {family symbol: U_k(theta)}) of the representative utility."""
        return _affine_parts(self.utility.xreplace(state.substitution), self.family_symbols, "utility")

    def objective_parts(self, state: State):
        """(W0(theta), {family symbol: W_k(theta)}, w0(theta)) of the objective."""
        const, coef = _affine_parts(
            self.objective_per_agent.xreplace(state.substitution), self.family_symbols, "objective_per_agent"
        )
        return const, coef, self.objective_constant.xreplace(state.substitution)

    def expand(self) -> Environment:
        """The explicit environment with coordinates ``q_1..q_N, t_1..t_N``."""
        n = self.agents
        if n > EXPLICIT_AGENTS_MAX:
            raise CandidateError(
                f"cannot expand a symmetric environment with N = {n} > {EXPLICIT_AGENTS_MAX} agents into explicit form"
            )
        factors: list[Factor] = []
        families = []
        for f in self.families:
            members = tuple(f.member(i) for i in range(1, n + 1))
            families.append((f.symbol.name, members))
            if f.kind == "allocation":
                factors.append(Simplex(members))
            else:
                factors.extend(Interval(c, f.lower, f.upper) for c in members)
        own = lambda i: {f.symbol: f.member(i) for f in self.families}  # noqa: E731
        utilities = [self.utility.xreplace(own(i)) for i in range(1, n + 1)]
        objective = self.objective_constant + sum(self.objective_per_agent.xreplace(own(i)) for i in range(1, n + 1))
        return Environment(n, self.states, self.prior, tuple(factors), tuple(utilities), objective, tuple(families))
