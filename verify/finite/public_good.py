r"""Built-in example with a duality gap: the public good of the survey, Section 5.2 (Brooks & Du 2023, 2024).

A public good costs 1.  Two agents may fund it; both value it at the common value
:math:`\theta \in \{0, v\}`, :math:`v \in (1/2, 1)`, with :math:`\mu(0) = \varepsilon`,
:math:`\mu(v) = 1 - \varepsilon`.  The designer maximises the surplus
:math:`w = (2\theta - 1)\,[\text{provided}]`.

Finite model (:func:`public_good_environment`).  Contributions are non-negative and cover
the cost exactly (budget balance): outcome 0 is "not provided, nobody pays", outcome
``1 + j`` is "provided, agent 1 pays j/n, agent 2 pays 1 - j/n" (j = 0..n).  Hence
:math:`u_i = \theta\,[\text{provided}] - t_i` and :math:`w = u_1 + u_2`.  Lotteries over
these outcomes reach every expected contribution split, so n only refines the labels
(any n >= 1 has the same convex hull of outcomes).  Collecting more than the cost would
only add outcomes that are dominated for the designer.

Why there is a gap (each step is checked exactly here, mechanism by mechanism and
structure by structure, besides the LPs):

* **G* = 0.**  A secure action pays nothing in state 0, so it pays nothing at all.  In any
  Bayes correlated equilibrium each agent gets at least what the secure action gives
  (>= 0), and ``w = u_1 + u_2``, so E[w] >= 0: in the guarantee LP's dual the multipliers
  :math:`\alpha_i(0|a_i) = 1` give :math:`\lambda(a,\theta) = \sum_i U_i(0, a_{-i}, \theta) \ge 0`
  (the *universal certificate*).  Both agents taking the secure action is an equilibrium
  that produces nothing (w = 0).  So G(M) = 0 for every participation-secure mechanism.
* **P* > 0.**  On any information structure, "provide iff E[theta | s] >= 1/2, split the
  cost" is truthful and interim individually rational (each agent's payoff is half the
  designer's), and its surplus :math:`E[\max(2E[\theta|s] - 1, 0)]` is at least
  :math:`2(1-\varepsilon)v - 1` by Jensen.  Without information that is exactly the
  potential, so :math:`P^* = \max(0, 2(1-\varepsilon)v - 1)`, positive for
  :math:`\varepsilon < 1 - 1/(2v)`, and tending to the efficient :math:`2v - 1` as
  :math:`\varepsilon \to 0`.
* Footnote 12: the worst case for that mechanism is a two-point interim value whose lower
  point approaches 1/2 from below (:func:`public_good_information` ``"two-point"``).

The bounding programs (18)/(19) on the grids X(k^2) see the same gap
(:func:`public_good_continuum_environment`, :func:`public_good_sweep`): the guarantee
bound is at most G* = 0 and the potential bound at least P* for every k.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field
from fractions import Fraction
from itertools import product

import numpy as np
import sympy as sp

from irmd.analytic.environment import Environment, State
from irmd.analytic.outcomes import Simplex
from irmd.errors import InputError, ParameterError
from irmd.numbers import parse_exact
from irmd.status import Status, combine

from .guarantee import PayoffTables, guarantee, strategic_lagrangian
from .model import FiniteEnvironment, FiniteInformation, FiniteMechanism
from .output import DEFAULT_DPS, number_text
from .potential import potential
from .rational import RationalArray

#: The mechanisms and information structures built in, in the order they are reported.
MECHANISMS = ("unanimity", "either-funds", "subscription", "levels")
INFORMATION = ("none", "full", "two-point", "private")
#: Largest contribution grid n and number of levels the built-in builds.
MAX_GRID = 40
#: Default lower interim value of the two-point structure: 1/2 - DEFAULT_DELTA.
DEFAULT_DELTA = Fraction(1, 100)
#: Default accuracy of the private binary signals.
DEFAULT_ACCURACY = Fraction(3, 4)

MECHANISM_TEXT = {
    "unanimity": "fund if both say yes, split the cost",
    "either-funds": "a lone yes funds it alone; two yeses split the cost",
    "subscription": "pledges {0, 1/n, ..., 1}; provided iff they cover 1; shares proportional to pledges",
    "levels": "levels {0, ..., n}; provided with probability min(x)/n; split the cost",
}
INFORMATION_TEXT = {
    "none": "no information",
    "full": "both agents learn theta",
    "two-point": "public signal; interim value v or 1/2 - delta (footnote 12)",
    "private": "conditionally independent binary signals of accuracy p",
}


# -- parameters -----------------------------------------------------------------------------------------

def _fraction(value, name: str) -> Fraction:
    try:
        exact = parse_exact(value, what=name)
    except InputError as error:
        raise ParameterError(str(error)) from None
    return Fraction(int(exact.p), int(exact.q))


def check_parameters(v, eps, n=2) -> tuple[Fraction, Fraction, int]:
    """Exact ``(v, eps, n)``: v in (1/2, 1), eps in (0, 1), n a positive integer (<= MAX_GRID)."""
    v, eps = _fraction(v, "v"), _fraction(eps, "eps")
    if not Fraction(1, 2) < v < 1:
        raise ParameterError(f"v must lie in (1/2, 1), got {v}")
    if not 0 < eps < 1:
        raise ParameterError(f"eps must lie in (0, 1), got {eps}")
    n = _grid_size(n, "n")
    return v, eps, n


def _grid_size(n, name: str) -> int:
    if isinstance(n, str):
        n = _fraction(n, name)
    if isinstance(n, bool) or Fraction(n).denominator != 1:
        raise ParameterError(f"{name} must be a positive integer, got {n}")
    n = int(n)
    if not 1 <= n <= MAX_GRID:
        raise ParameterError(f"{name} must be an integer from 1 to {MAX_GRID}, got {n}")
    return n


def efficiency_threshold(v) -> Fraction:
    """The eps below which the prior mean exceeds 1/2: 1 - 1/(2v) (a gap exists iff eps is below it)."""
    return 1 - 1 / (2 * Fraction(v))


def minimal_potential(v, eps) -> Fraction:
    r""":math:`P^* = \max(0, 2(1-\varepsilon)v - 1)`: the no-information potential, a lower bound
    on every potential (Jensen)."""
    return max(Fraction(0), 2 * (1 - Fraction(eps)) * Fraction(v) - 1)


# -- the finite model -----------------------------------------------------------------------------------

def public_good_environment(v, eps, n: int = 2) -> FiniteEnvironment:
    """The finite environment: states (0, v), outcomes "not provided" and "provided, agent 1 pays j/n"."""
    v, eps, n = check_parameters(v, eps, n)
    thetas = (Fraction(0), v)
    u = np.empty((2, n + 2, 2), dtype=object)
    w = np.empty((n + 2, 2), dtype=object)
    u[:, 0, :] = Fraction(0)
    w[0, :] = Fraction(0)
    for j in range(n + 1):
        share = Fraction(j, n)
        for t, theta in enumerate(thetas):
            u[0, 1 + j, t] = theta - share
            u[1, 1 + j, t] = theta - (1 - share)
            w[1 + j, t] = 2 * theta - 1
    outcomes = ("not provided",) + tuple(f"provided, agent 1 pays {Fraction(j, n)}, agent 2 pays {1 - Fraction(j, n)}"
                                         for j in range(n + 1))
    return FiniteEnvironment(RationalArray.from_fractions([eps, 1 - eps]), RationalArray.from_fractions(u),
                             RationalArray.from_fractions(w), agents=("agent 1", "agent 2"),
                             states=("theta=0", f"theta={v}"), outcomes=outcomes)


def _grid_of(env: FiniteEnvironment) -> int:
    return env.n_outcomes - 2


def _lottery(n: int, provide: Fraction, share: Fraction) -> list[Fraction]:
    """Probabilities of the n + 2 outcomes: provided with probability ``provide``, agent 1 paying
    ``share`` of the cost in expectation (a lottery between the two nearest grid points)."""
    out = [Fraction(0)] * (n + 2)
    out[0] = 1 - provide
    if provide:
        x = share * n
        j = math.floor(x)
        rest = x - j
        out[1 + j] += provide * (1 - rest)
        if rest:
            out[2 + j] += provide * rest
    return out


def _mechanism(env: FiniteEnvironment, counts: tuple[int, int], rule, labels) -> FiniteMechanism:
    n = _grid_of(env)
    m = np.empty(counts + (n + 2,), dtype=object)
    for a in product(*(range(c) for c in counts)):
        provide, share = rule(*a)
        m[a] = _lottery(n, Fraction(provide), Fraction(share))
    return FiniteMechanism(RationalArray.from_fractions(m), labels).validate(env)


def public_good_mechanism(env: FiniteEnvironment, name: str, levels: int | None = None) -> FiniteMechanism:
    """A participation-secure mechanism (action 0 of each agent pays nothing), validated against ``env``.

    ``unanimity``: fund if both say yes, each pays 1/2.  ``either-funds``: a lone yes funds it alone,
    two yeses split.  ``subscription``: pledges b_i on the contribution grid; provided iff
    b_1 + b_2 >= 1, agent i paying b_i / (b_1 + b_2).  ``levels``: actions 0..L (L = ``levels``,
    default n); provided with probability min(x)/L, cost split.
    """
    n = _grid_of(env)
    half = Fraction(1, 2)
    yes_no = (("no", "yes"), ("no", "yes"))
    if name == "unanimity":
        return _mechanism(env, (2, 2), lambda a, b: (a * b, half), yes_no)
    if name == "either-funds":
        return _mechanism(env, (2, 2), lambda a, b: (max(a, b), half if a and b else Fraction(a)), yes_no)
    if name == "subscription":
        pledges = tuple(str(Fraction(j, n)) for j in range(n + 1))

        def pledge(a, b):
            return (1, Fraction(a, a + b)) if a + b >= n else (0, half)
        return _mechanism(env, (n + 1, n + 1), pledge, (pledges, pledges))
    if name == "levels":
        L = _grid_size(n if levels is None else levels, "levels")
        names = tuple(str(x) for x in range(L + 1))
        return _mechanism(env, (L + 1, L + 1), lambda a, b: (Fraction(min(a, b), L), half), (names, names))
    raise ParameterError(f"unknown public-good mechanism {name!r}; choose from {', '.join(MECHANISMS)}")


def public_good_information(env: FiniteEnvironment, name: str, delta=DEFAULT_DELTA,
                            accuracy=DEFAULT_ACCURACY) -> FiniteInformation:
    """An information structure on ``env``'s prior, validated.

    ``none``: one signal.  ``full``: both learn theta.  ``two-point`` (footnote 12): a public signal
    whose interim value is v or l = min(1/2 - delta, (1 - eps) v); P(low) = eps v / (v - l), the
    largest mass on the low signal.  ``private``: conditionally independent binary signals with
    P(s_i = theta) = accuracy.
    """
    eps, v = env.mu.entry((0,)), _value(env)
    mu = (eps, 1 - eps)
    if name == "none":
        return FiniteInformation(RationalArray.from_fractions([[list(mu)]]), (("-",), ("-",))).validate(env)
    if name == "full":
        sigma = np.full((2, 2, 2), Fraction(0), dtype=object)
        for t in range(2):
            sigma[t, t, t] = mu[t]
        labels = ("theta=0", f"theta={v}")
        return FiniteInformation(RationalArray.from_fractions(sigma), (labels, labels)).validate(env)
    if name == "two-point":
        delta = _fraction(delta, "delta")
        if not 0 < delta < Fraction(1, 2):
            raise ParameterError(f"delta must lie in (0, 1/2), got {delta}")
        low = min(Fraction(1, 2) - delta, (1 - eps) * v)
        p_low = eps * v / (v - low)
        sigma = np.full((2, 2, 2), Fraction(0), dtype=object)
        sigma[0, 0, 0] = eps                       # theta = 0 only after the low signal
        sigma[0, 0, 1] = p_low - eps               # P(low, v) = p_low * low / v
        sigma[1, 1, 1] = 1 - p_low                 # the high signal reveals theta = v
        labels = (f"E={low}", f"E={v}")
        return FiniteInformation(RationalArray.from_fractions(sigma), (labels, labels)).validate(env)
    if name == "private":
        p = _fraction(accuracy, "accuracy")
        if not Fraction(1, 2) <= p <= 1:
            raise ParameterError(f"accuracy must lie in [1/2, 1], got {p}")
        sigma = np.empty((2, 2, 2), dtype=object)
        for s1, s2, t in product(range(2), range(2), range(2)):
            sigma[s1, s2, t] = mu[t] * (p if s1 == t else 1 - p) * (p if s2 == t else 1 - p)
        labels = ("low", "high")
        return FiniteInformation(RationalArray.from_fractions(sigma), (labels, labels)).validate(env)
    raise ParameterError(f"unknown public-good information structure {name!r}; choose from {', '.join(INFORMATION)}")


def _value(env: FiniteEnvironment) -> Fraction:
    """v, read back from the environment (agent 2's utility when provided and agent 1 pays everything)."""
    return env.u.entry((1, 1 + _grid_of(env), 1))


# -- exact checks by hand -------------------------------------------------------------------------------

def universal_certificate(env: FiniteEnvironment, mechanism: FiniteMechanism) -> tuple[bool, bool]:
    r"""Exact hand proof that G(M) = 0, independent of the LP.

    Returns ``(lower, upper)``: ``lower`` — the dual point v = 0, :math:`\alpha_i(0|a_i) = 1` is
    feasible (:math:`\lambda(a,\theta) \ge 0` everywhere, so G(M) >= 0); ``upper`` — both agents
    taking action 0 in every state is a BCE with objective 0 (so G(M) <= 0).
    """
    tables = PayoffTables.of(env, mechanism, exact=True)
    alpha = []
    for count in mechanism.action_counts:
        a = np.full((count, count), Fraction(0), dtype=object)
        a[1:, 0] = Fraction(1)
        alpha.append(a)
    lam = strategic_lagrangian(tables.U, tables.W, alpha)
    lower = all(x >= 0 for x in lam.flat)
    zero = (0,) * mechanism.n_agents
    mu = tables.mu
    upper = all(tables.W[zero + (t,)] == 0 for t in range(len(mu)))
    for i, count in enumerate(mechanism.action_counts):
        for deviation in range(count):
            profile = list(zero)
            profile[i] = deviation
            gain = sum(mu[t] * (tables.U[(i, *profile, t)] - tables.U[(i, *zero, t)]) for t in range(len(mu)))
            upper = upper and gain <= 0
    return lower, upper


def footnote_mechanism_value(env: FiniteEnvironment, information: FiniteInformation) -> tuple[Fraction, bool]:
    r"""Exact surplus of "provide iff E[theta|s] >= 1/2, split the cost" on ``information``, and whether
    that direct mechanism is truthful and interim IR (checked exactly): a lower bound on P(I)."""
    n = _grid_of(env)
    sigma = information.sigma.fractions()
    u, w = env.u.fractions(), env.w.fractions()
    split = _lottery(n, Fraction(1), Fraction(1, 2))
    counts = information.signal_counts
    provide = {}
    for s in product(*(range(c) for c in counts)):
        provide[s] = sum(sigma[s + (t,)] * (w[1, t]) for t in range(env.n_states)) >= 0 and \
            sum(sigma[s + (t,)] for t in range(env.n_states)) > 0

    def outcome(s):
        return split if provide[s] else _lottery(n, Fraction(0), Fraction(0))

    def payoff(i, s, report):
        r = list(s)
        r[i] = report
        lottery = outcome(tuple(r))
        return sum(sigma[s + (t,)] * sum(p * u[i, o, t] for o, p in enumerate(lottery) if p)
                   for t in range(env.n_states))

    value = sum(sigma[s + (t,)] * sum(p * w[o, t] for o, p in enumerate(outcome(s)) if p)
                for s in provide for t in range(env.n_states))
    feasible = True
    for i, count in enumerate(counts):
        for own in range(count):
            profiles = [s for s in provide if s[i] == own]
            truthful = sum(payoff(i, s, own) for s in profiles)
            feasible = feasible and truthful >= 0
            for report in range(count):
                feasible = feasible and truthful >= sum(payoff(i, s, report) for s in profiles)
    return value, feasible


# -- results --------------------------------------------------------------------------------------------

@dataclass(frozen=True, eq=False)
class ProgramValue:
    """One LP of the gap: a mechanism's guarantee or an information structure's potential.

    ``check`` is the exact hand computation beside the LP: for a guarantee, the universal certificate
    (G(M) >= 0 and <= 0); for a potential, the footnote mechanism's surplus (a lower bound on P(I))
    and whether it is truthful and IR.
    """

    name: str
    description: str
    program: str
    result: object = field(repr=False)   # GuaranteeResult or PotentialResult
    check_value: Fraction
    check_holds: bool

    @property
    def status(self) -> Status:
        return self.result.status

    @property
    def value(self):
        return self.result.value

    def to_dict(self, dps: int = DEFAULT_DPS) -> dict:
        r = self.result
        return {"name": self.name, "description": self.description, "program": self.program,
                "status": str(r.status), "value": number_text(r.value, dps),
                "value_decimal": number_text(None if r.value is None else float(r.value), dps),
                "message": r.message,
                "exact": None if r.exact is None else r.exact.to_dict(),
                "hand_check": {"value": number_text(self.check_value, dps), "holds": self.check_holds}}


def _claim_status(results: list[ProgramValue], holds: bool) -> Status:
    statuses = [p.status for p in results]
    if any(s is Status.INCONCLUSIVE for s in statuses) or not all(p.check_holds for p in results):
        return Status.INCONCLUSIVE
    if all(s is Status.PROVED for s in statuses):
        return Status.PROVED if holds else Status.REFUTED
    return Status.CONFIRMED if holds else Status.INCONCLUSIVE


@dataclass(frozen=True, eq=False)
class PublicGoodGap:
    """G(M) of secure mechanisms and P(I) of information structures for the public good.

    ``status``: PROVED when every LP is certified exactly, every hand check holds and
    ``min_potential > max_guarantee`` (a gap); REFUTED when everything is exact but there is no gap
    (eps >= 1 - 1/(2v)); CONFIRMED with float LPs only; INCONCLUSIVE otherwise.
    """

    v: Fraction
    eps: Fraction
    n: int
    guarantees: tuple[ProgramValue, ...]
    potentials: tuple[ProgramValue, ...]
    minimal_potential: Fraction               # P* = max(0, 2(1 - eps) v - 1), by Jensen
    efficient_surplus: Fraction               # first best (1 - eps)(2v - 1)
    status: Status
    message: str

    @property
    def max_guarantee(self):
        values = [g.value for g in self.guarantees if g.value is not None]
        return max(values) if values else None

    @property
    def min_potential(self):
        values = [p.value for p in self.potentials if p.value is not None]
        return min(values) if values else None

    @property
    def gap(self):
        if self.max_guarantee is None or self.min_potential is None:
            return None
        return self.min_potential - self.max_guarantee

    def to_dict(self, dps: int = DEFAULT_DPS) -> dict:
        return {"environment": "public-good", "v": str(self.v), "eps": str(self.eps), "n": self.n,
                "status": str(self.status), "message": self.message,
                "max_guarantee": number_text(self.max_guarantee, dps),
                "min_potential": number_text(self.min_potential, dps),
                "gap": number_text(self.gap, dps),
                "minimal_potential": number_text(self.minimal_potential, dps),
                "efficient_surplus": number_text(self.efficient_surplus, dps),
                "guarantees": [g.to_dict(dps) for g in self.guarantees],
                "potentials": [p.to_dict(dps) for p in self.potentials]}


def _names(given, known, what) -> tuple[str, ...]:
    names = tuple(known if given is None else given)
    for name in names:
        if name not in known:
            raise ParameterError(f"unknown public-good {what} {name!r}; choose from {', '.join(known)}")
    if not names:
        raise ParameterError(f"no {what} given")
    return names


def public_good_gap(v=Fraction(3, 4), eps=Fraction(1, 10), n: int = 2, *, mechanisms=None, information=None,
                    delta=DEFAULT_DELTA, accuracy=DEFAULT_ACCURACY, levels: int | None = None,
                    exact: bool = True, solver=None) -> PublicGoodGap:
    """Solve G(M) for the secure ``mechanisms`` and P(I) for the ``information`` structures (default: all)."""
    v, eps, n = check_parameters(v, eps, n)
    env = public_good_environment(v, eps, n)
    guarantees = []
    for name in _names(mechanisms, MECHANISMS, "mechanism"):
        mechanism = public_good_mechanism(env, name, levels)
        lower, upper = universal_certificate(env, mechanism)
        guarantees.append(ProgramValue(name, MECHANISM_TEXT[name], "guarantee",
                                       guarantee(env, mechanism, exact=exact, solver=solver),
                                       Fraction(0), lower and upper))
    potentials = []
    for name in _names(information, INFORMATION, "information structure"):
        structure = public_good_information(env, name, delta, accuracy)
        bound, feasible = footnote_mechanism_value(env, structure)
        potentials.append(ProgramValue(name, INFORMATION_TEXT[name], "potential",
                                       potential(env, structure, exact=exact, solver=solver), bound, feasible))
    star = minimal_potential(v, eps)
    result = PublicGoodGap(v, eps, n, tuple(guarantees), tuple(potentials), star, (1 - eps) * (2 * v - 1),
                           Status.INCONCLUSIVE, "")
    gap = result.gap
    holds = gap is not None and gap > 0
    status = combine([_claim_status(guarantees + potentials, holds)])
    if gap is None:
        message = "a program was not solved"
    elif holds:
        message = (f"a gap of {number_text(gap)}: max G(M) = {number_text(result.max_guarantee)} over the secure "
                   f"mechanisms, min P(I) = {number_text(result.min_potential)} over the information structures; "
                   f"P* = max(0, 2(1 - eps) v - 1) = {star} bounds every P(I) from below")
    else:
        message = (f"no gap here: eps = {eps} >= 1 - 1/(2v) = {efficiency_threshold(v)}, "
                   f"so P* = {star} (the prior mean is at most 1/2)")
    return PublicGoodGap(v, eps, n, tuple(guarantees), tuple(potentials), star, (1 - eps) * (2 * v - 1),
                         status, message)


# -- the continuum environment and the sweep over grids ------------------------------------------------

THETA = sp.Symbol("theta", real=True)
#: Reduced-form outcome: p_i = probability that the good is provided and agent i pays the whole cost.
P1, P2 = sp.symbols("p_1 p_2", real=True, nonnegative=True)


def public_good_continuum_environment(v, eps) -> Environment:
    """The same problem in reduced form for the bounding programs: one simplex (p_1, p_2),
    u_1 = theta (p_1 + p_2) - p_1, u_2 = theta (p_1 + p_2) - p_2, w = (2 theta - 1)(p_1 + p_2)."""
    v, eps, _ = check_parameters(v, eps)
    v_, eps_ = sp.Rational(v.numerator, v.denominator), sp.Rational(eps.numerator, eps.denominator)
    provided = P1 + P2
    return Environment(2, (State.make("0", {THETA: 0}), State.make("v", {THETA: v_})),
                       (eps_, 1 - eps_), (Simplex((P1, P2)),),
                       (THETA * provided - P1, THETA * provided - P2), (2 * THETA - 1) * provided)


@dataclass(frozen=True, eq=False)
class GridEntry:
    """One grid fineness 1/k: finite LPs with contributions and levels on the grid 1/k, the two-point
    structure with delta = 1/(2k), and (optionally) the bounding programs on X(k^2)."""

    k: int
    guarantee: ProgramValue               # the larger of subscription (pledges 1/k) and levels (k levels)
    potential: ProgramValue               # two-point structure, lower interim value 1/2 - 1/(2k)
    lower: float | None = None            # bounding guarantee program (19) on X(k^2)
    upper: float | None = None            # bounding potential program (18) on X(k^2)
    bounds_status: str = ""

    def to_dict(self, dps: int = DEFAULT_DPS) -> dict:
        return {"k": self.k, "guarantee": self.guarantee.to_dict(dps), "potential": self.potential.to_dict(dps),
                "bounding_lower": number_text(self.lower, dps), "bounding_upper": number_text(self.upper, dps),
                "bounding_status": self.bounds_status or None}


@dataclass(frozen=True, eq=False)
class PublicGoodSweep:
    v: Fraction
    eps: Fraction
    entries: tuple[GridEntry, ...]
    minimal_potential: Fraction
    status: Status
    message: str
    notes: tuple[str, ...] = field(default=())

    def to_dict(self, dps: int = DEFAULT_DPS) -> dict:
        return {"environment": "public-good", "v": str(self.v), "eps": str(self.eps), "status": str(self.status),
                "message": self.message, "minimal_potential": number_text(self.minimal_potential, dps),
                "entries": [e.to_dict(dps) for e in self.entries], "notes": list(self.notes)}


def public_good_sweep(v, eps, ks, *, exact: bool = True, bounds=None, solver=None,
                      progress=None) -> PublicGoodSweep:
    """Values against the grid fineness 1/k: they stay apart (G <= 0 < P* <= P) for every k.

    ``bounds``, optional, solves the bounding programs: a callable ``(environment, k) -> (lower, upper,
    status text)`` given :func:`public_good_continuum_environment` (the finite programs do not import the
    bounding programs; ``irmd.commands.public_good.bounding_programs`` is the one the command uses).
    """
    v, eps, _ = check_parameters(v, eps)
    ks = sorted({_grid_size(k, "k") for k in ks})
    if not ks:
        raise ParameterError("no grid sizes k given")
    environment = public_good_continuum_environment(v, eps) if bounds is not None else None
    entries, statuses = [], []
    for index, k in enumerate(ks):
        if progress is not None:
            progress(index, len(ks), f"k = {k}")
        gap = public_good_gap(v, eps, k, mechanisms=("subscription", "levels"), information=("two-point",),
                              delta=Fraction(1, 2 * k), levels=k, exact=exact, solver=solver)
        best = max(gap.guarantees, key=lambda g: -math.inf if g.value is None else g.value)
        lower = upper = None
        text = ""
        if bounds is not None:
            lower, upper, text = bounds(environment, k)
            apart = lower is not None and upper is not None and lower <= 1e-6 and \
                upper >= float(gap.minimal_potential) - 1e-6
            statuses.append(Status.CONFIRMED if apart else Status.INCONCLUSIVE)
        statuses.append(gap.status)
        entries.append(GridEntry(k, best, gap.potentials[0], lower, upper, text))
    if progress is not None:
        progress(len(ks), len(ks), "done")
    star = minimal_potential(v, eps)
    status = combine(statuses)
    if status in (Status.PROVED, Status.CONFIRMED):
        message = f"the values stay apart on every grid: G <= 0 < {star} = P* <= P"
    elif status is Status.REFUTED:
        message = f"no gap: eps = {eps} >= 1 - 1/(2v) = {efficiency_threshold(v)}"
    else:
        message = "some program was not solved or not certified; see the entries"
    notes = ("bounding programs: floating point (Clarabel), the guarantee bound is at most G* = 0 and the "
             "potential bound at least P* on every grid",) if bounds is not None else ()
    return PublicGoodSweep(v, eps, tuple(entries), star, status, message, notes)


# -- files for `irmd guarantee` / `irmd potential` -----------------------------------------------------

def _texts(array: RationalArray):
    return np.vectorize(str, otypes=[object])(array.fractions()).tolist()


def public_good_instance_dict(v, eps, n: int = 2, mechanism: str | None = "unanimity",
                              information: str | None = "two-point", *, delta=DEFAULT_DELTA,
                              accuracy=DEFAULT_ACCURACY, levels: int | None = None) -> dict:
    """The finite JSON document (README, "Input: one JSON format") of the environment with one mechanism
    and/or one information structure, every number an exact string."""
    env = public_good_environment(v, eps, n)
    if mechanism is None and information is None:
        raise ParameterError("a public-good file needs a mechanism or an information structure")
    parts = []
    data = {"env": {"mu": _texts(env.mu), "u": _texts(env.u), "w": _texts(env.w), "agents": list(env.agents),
                    "states": list(env.states), "outcomes": list(env.outcomes)}}
    if mechanism is not None:
        m = public_good_mechanism(env, mechanism, levels)
        data["mechanism"] = {"m": _texts(m.m), "actions": [list(a) for a in m.actions]}
        parts.append(f"mechanism {mechanism}")
    if information is not None:
        i = public_good_information(env, information, delta, accuracy)
        data["information"] = {"sigma": _texts(i.sigma), "signals": [list(s) for s in i.signals]}
        parts.append(f"information {information}")
    data = {"name": f"public good, v = {env.states[1][6:]}, eps = {env.mu.entry((0,))}, n = {n}; "
                    + ", ".join(parts), **data}
    return data
