r"""Standard auctions with a common value on a bid grid, and their guarantees (survey 000, Section 5.3).

N bidders (2 by default) bid on :math:`\{0, 1/n, \ldots, 1\}`; the common value is
:math:`\theta \in \{0, 1\}` with :math:`\mu(1)` = ``mu_high`` (1/2 by default).  The highest bid
wins, ties are broken uniformly, and the payments follow one of three rules or a convex
combination of them (a *standard auction*, Bergemann, Brooks & Morris 2019):

* first-price: the winner pays its own bid;
* second-price: the winner pays the highest losing bid (with a tie, the tied bid);
* all-pay: every bidder pays its own bid;
* ``mix:a,b,c``: the payments :math:`a\,t^{first} + b\,t^{second} + c\,t^{all\text{-}pay}`.

The guarantee LP reads a mechanism only through its expected payoffs
:math:`U_i(a,\theta)` and revenue :math:`W(a,\theta)`, so any lottery over outcomes with the right
expectations is the same mechanism.  That keeps the outcome set small:

* without an all-pay part only the winner pays, and an outcome is "bidder j wins at price b"
  (N (n+1) outcomes, exactly the encoding of :mod:`.fpa`); the mixture of the first- and
  second-price prices is a lottery over the two prices;
* with an all-pay part losers pay too.  Instead of one outcome per payment vector
  (N (n+1)^N of them) an outcome is "bidder j wins; bidder p pays N b", and the profile draws
  the payer p uniformly: the expected payment of p is then its payment b, for every p at once
  (N^2 (n+1) outcomes).

Bidding 0 is participation secure in every rule: a bid of 0 pays 0 under each rule (a
second-price winner at 0 faces a highest losing bid of 0), so its utility is
:math:`\theta\,q_i \ge 0`; :class:`~.model.FiniteInstance` checks it exactly.

The proportional auction of Section 3.5 maximises the guarantee over *all* mechanisms for this
binary prior (it is half of a saddle point, value :math:`1 - G_N(\bar y)`, (35), (37)), so its value
bounds every grid auction's guarantee from above; :func:`proportional_auction_value` reads it from
irmd's built-in ``common-value-auction``.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from fractions import Fraction
from typing import Callable, Sequence

import numpy as np
from matplotlib.figure import Figure

from irmd.analytic import library
from irmd.errors import InputError, ParameterError
from irmd.memory import default_limit, largest_fitting, size_text
from irmd.numbers import parse_exact
from irmd.status import Status, combine

from ..extrapolation import richardson
from .compact import compact_sizes
from .guarantee import DIRECT_NONZEROS, GuaranteeResult, guarantee
from .model import FiniteEnvironment, FiniteInstance, FiniteMechanism
from .output import DEFAULT_DPS, number_text
from .rational import RationalArray
from .sizes import guarantee_bytes

#: Largest number of action profiles a built-in auction will build.
MAX_PROFILES = 2_000_000
#: Largest number of nonzeros of the guarantee LP (as guarantee() builds it); beyond it HiGHS runs for hours.
#: The mechanism's table (profiles x outcomes probabilities) is limited by the memory plan instead.
MAX_LP_NONZEROS = 40_000_000

#: The pure rules, in the order of the weights of ``mix:a,b,c``.
PURE_RULES = ("first", "second", "all-pay")
_RULE_LABELS = {"first": "first-price", "second": "second-price", "all-pay": "all-pay"}

#: What ``--compare`` runs: the three rules and mixtures of each pair and of all three.
COMPARISON_RULES = ("first", "second", "all-pay", "mix:1/2,1/2,0", "mix:1/2,0,1/2", "mix:0,1/2,1/2",
                    "mix:1/3,1/3,1/3")

#: Two float guarantees closer than this are not ordered (HiGHS's simplex optima of these LPs agree with the
#: exact ones to about 1e-15; the re-check only demands 1e-6, so a smaller excess is still reported as one).
ORDER_TOLERANCE = 1e-7
#: Largest common denominator of the weights of ``mix:a,b,c`` (the lotteries are int64 numerators over it).
MAX_WEIGHT_DENOMINATOR = 10**9

Progress = Callable[[int, int, str], None]
#: ``extrapolate(grids, values)``: an estimate of the limit in n with ``to_dict(dps)``.
Extrapolate = Callable[[Sequence[int], Sequence[float | None]], object]


def _no_progress(done: int, total: int, label: str) -> None:
    return None


# --------------------------------------------------------------------------- payment rules
@dataclass(frozen=True)
class PaymentRule:
    """Weights of the first-price, second-price and all-pay payments (nonnegative, summing to 1)."""

    first: Fraction
    second: Fraction
    all_pay: Fraction

    @property
    def weights(self) -> tuple[Fraction, Fraction, Fraction]:
        return (self.first, self.second, self.all_pay)

    @property
    def name(self) -> str:
        """``first``, ``second`` or ``all-pay`` for a pure rule, else ``mix:a,b,c``."""
        for rule, weight in zip(PURE_RULES, self.weights):
            if weight == 1:
                return rule
        return "mix:" + ",".join(str(w) for w in self.weights)

    @property
    def label(self) -> str:
        """``first-price`` ..., or ``1/2 first + 1/2 all-pay`` for a mixture."""
        if self.name in _RULE_LABELS:
            return _RULE_LABELS[self.name]
        return " + ".join(f"{w} {rule}" for rule, w in zip(PURE_RULES, self.weights) if w)

    def to_dict(self) -> dict:
        return {"name": self.name, "label": self.label,
                "weights": {rule: str(w) for rule, w in zip(PURE_RULES, self.weights)}}


def parse_rule(text) -> PaymentRule:
    """``first``, ``second``, ``all-pay`` or ``mix:a,b,c`` (exact nonnegative weights summing to 1)."""
    if isinstance(text, PaymentRule):
        return text
    text = str(text).strip()
    if text in PURE_RULES:
        return PaymentRule(*(Fraction(int(rule == text)) for rule in PURE_RULES))
    if not text.startswith("mix:"):
        raise ParameterError(f"--rule: unknown rule {text!r}; expected first, second, all-pay or mix:a,b,c "
                             f"(weights of first, second and all-pay, e.g. mix:1/2,1/4,1/4)")
    parts = text[len("mix:"):].split(",")
    if len(parts) != 3:
        raise ParameterError(f"--rule {text}: expected three weights a,b,c (of first, second and all-pay), "
                             f"got {len(parts)}")
    try:
        weights = [Fraction(int(w.p), int(w.q)) for w in (parse_exact(p, f"--rule {text}: a weight") for p in parts)]
    except InputError as error:
        raise ParameterError(str(error)) from None
    if any(w < 0 for w in weights):
        raise ParameterError(f"--rule {text}: weights must be >= 0, got {min(weights)}")
    if sum(weights) != 1:
        raise ParameterError(f"--rule {text}: the weights sum to {sum(weights)}, not 1")
    denominator = math.lcm(*(w.denominator for w in weights))
    if denominator > MAX_WEIGHT_DENOMINATOR:
        raise ParameterError(f"--rule {text}: the weights' common denominator is {denominator}, "
                             f"more than {MAX_WEIGHT_DENOMINATOR}")
    return PaymentRule(*weights)


# --------------------------------------------------------------------------- the finite model
def _checked_arguments(n, bidders, mu_high) -> tuple[int, int, Fraction]:
    if isinstance(n, bool) or not isinstance(n, (int, np.integer)) or n < 1:
        raise ParameterError(f"--n: the bid grid needs n >= 1 steps, got {n!r}")
    if isinstance(bidders, bool) or not isinstance(bidders, (int, np.integer)) or bidders < 1:
        raise ParameterError(f"--bidders: expected an integer >= 1, got {bidders!r}")
    mu_high = Fraction(mu_high)
    if not 0 <= mu_high <= 1:
        raise ParameterError(f"mu_high must lie in [0, 1], got {mu_high}")
    return int(n), int(bidders), mu_high


def _payers(rule: PaymentRule, bidders: int) -> int:
    """How many bidders an outcome's payer is drawn from: all of them when losers pay (all-pay)."""
    return bidders if rule.all_pay else 1


def auction_sizes(rule, n: int, bidders: int = 2) -> dict:
    """Profiles, outcomes, mechanism entries, the guarantee LPs' sizes and the planned memory, computed
    before anything is built.

    ``lp_nonzeros`` (``lp_rows``, ``lp_columns``) is the larger of G's and Gc's LP as :func:`guarantee`
    builds it for these auctions (symmetric in the bidders, :mod:`.symmetry`): the compact LP of
    :mod:`.compact` for Gc; for G agent 0's direct obedience rows (a_0, a_0'), one coefficient per
    multiset of the others' bids and state, or, with two bidders beyond
    :data:`~.guarantee.DIRECT_NONZEROS`, the compact LP (every rule's deviation payoffs are affine
    on each side of the diagonal).  ``bytes`` is the plan of
    :func:`~.sizes.guarantee_bytes` for the larger LP.
    """
    rule = parse_rule(rule)
    profiles = (n + 1) ** bidders
    outcomes = bidders * _payers(rule, bidders) * (n + 1)
    count, states = n + 1, 2
    if bidders > 1:
        coarse = compact_sizes(count, bidders, states, coarse=True)
        others = math.comb(n + bidders - 1, bidders - 1)
        orbits = math.comb(n + bidders, bidders)
        rows = count * (count - 1) * others * states
        direct = {"columns": orbits * states, "rows": states + count * (count - 1),
                  "nonzeros": orbits * states + rows}
        if bidders == 2 and rows > DIRECT_NONZEROS:
            direct = compact_sizes(count, bidders, states, coarse=False)
        lps = (coarse, direct)
    else:
        # one bidder: no symmetry to use, the full LP (rows (a, a'), one coefficient per state)
        lps = ({"columns": count * states, "rows": states + count * (count - 1),
                "nonzeros": count * states + count * count * states},)
    entries = profiles * outcomes
    plans = [guarantee_bytes(entries, lp["rows"], lp["columns"], lp["nonzeros"]) for lp in lps]
    largest = max(range(len(lps)), key=lambda k: plans[k])
    return {"profiles": profiles, "outcomes": outcomes, "mechanism_entries": entries,
            "lp_nonzeros": max(lp["nonzeros"] for lp in lps), "lp_rows": max(lp["rows"] for lp in lps),
            "lp_columns": max(lp["columns"] for lp in lps), "bytes": plans[largest],
            "denominator": _lottery_denominator(rule, bidders)}


def _lottery_denominator(rule: PaymentRule, bidders: int) -> int:
    """Common denominator of the lotteries: ties (1..N winners), the drawn payer, the rule's weights."""
    return math.lcm(*range(1, bidders + 1)) * _payers(rule, bidders) * math.lcm(*(w.denominator for w in rule.weights))


def check_auction_size(rule, n: int, bidders: int = 2, max_memory: int | None = None) -> None:
    """Refuse, in one line, an auction too large to build or to solve: too many profiles, lotteries beyond
    64-bit integers, a guarantee LP beyond :data:`MAX_LP_NONZEROS`, or a plan (mechanism and LP,
    :func:`~.sizes.guarantee_bytes`) above ``max_memory`` (default: a share of this machine's memory);
    the last two name the largest --n that fits."""
    rule = parse_rule(rule)
    sizes = auction_sizes(rule, n, bidders)
    if sizes["profiles"] > MAX_PROFILES:
        raise ParameterError(f"--n {n} with {bidders} bidders has {sizes['profiles']} action profiles "
                             f"(limit {MAX_PROFILES})")
    if sizes["denominator"] >= 2**62:
        raise ParameterError(f"{bidders} bidders with the weights of {rule.name}: the lotteries' common "
                             f"denominator {sizes['denominator']} does not fit 64-bit integers")
    limit = default_limit() if max_memory is None else max_memory
    checks = (("lp_nonzeros", MAX_LP_NONZEROS, lambda k: f"{k} guarantee-LP nonzeros (limit {MAX_LP_NONZEROS})"),
              ("bytes", limit, lambda k: f"{size_text(k)} of memory by plan (mechanism and guarantee LP; limit "
                                         f"{size_text(limit)}, --max-memory)"))
    for key, bound, what in checks:
        if sizes[key] > bound:
            fitting = largest_fitting(lambda m: auction_sizes(rule, m, bidders)[key], bound)
            advice = f"the largest --n that fits is {fitting}" if fitting else "even --n 1 does not fit"
            raise ParameterError(f"--n {n} with {bidders} bidders ({rule.name}) needs {what(sizes[key])}; "
                                 f"{advice}")


def _common_value_environment(n: int, bidders: int, mu_high: Fraction, payers: int) -> FiniteEnvironment:
    """Outcomes (winner j, payer p, level b): j gets the good, p pays ``payers * b / n``."""
    grid = n + 1
    winner, slot, level = (axis.reshape(-1) for axis in np.indices((bidders, payers, grid)))
    payer = slot if payers > 1 else winner
    states = 2
    # u[i, o, theta] = theta [i = winner] - payers * level / n [i = payer], over the denominator n
    u = np.zeros((bidders, len(level), states), dtype=np.int64)
    for i in range(bidders):
        for t in range(states):
            u[i, :, t] = t * n * (winner == i) - payers * level * (payer == i)
    w = np.repeat((payers * level)[:, None], states, axis=1)
    if payers > 1:
        outcomes = tuple(f"bidder {j} wins; bidder {p} pays {Fraction(payers * b, n)} (one of {payers} "
                         f"equally likely payers)" for j, p, b in zip(winner, slot, level))
    else:
        outcomes = tuple(f"bidder {j} wins at {Fraction(b, n)}" for j, b in zip(winner, level))
    prior = RationalArray.from_fractions([1 - mu_high, mu_high])
    return FiniteEnvironment(prior, RationalArray(u, n), RationalArray(w, n),
                             agents=tuple(f"bidder {j}" for j in range(bidders)), states=("theta=0", "theta=1"),
                             outcomes=outcomes)


def _mechanism(rule: PaymentRule, n: int, bidders: int, payers: int) -> FiniteMechanism:
    """The lotteries m(winner, payer, level | bids) of ``rule`` on the grid."""
    grid = n + 1
    bids = np.arange(grid)
    profiles = np.stack(np.meshgrid(*([bids] * bidders), indexing="ij"), axis=-1).reshape(-1, bidders)
    highest = profiles.max(axis=1)
    # the highest losing bid; with a tie at the top it is the tied bid (one bidder: no other bid, 0)
    second = np.sort(profiles, axis=1)[:, -2] if bidders > 1 else np.zeros_like(highest)
    winners = profiles == highest[:, None]
    ties = winners.sum(axis=1)
    weight_denominator = math.lcm(*(w.denominator for w in rule.weights))
    denominator = _lottery_denominator(rule, bidders)
    # probability of (winner, payer slot) over the weights' denominator: times a weight's numerator below
    per_winner = denominator // (ties * payers * weight_denominator)
    m = np.zeros((len(profiles), bidders * payers * grid), dtype=np.int64)
    rows, winner = np.nonzero(winners)

    def add(rows, winner, slot, level, weight: Fraction) -> None:
        if weight:
            columns = (winner * payers + slot) * grid + level
            np.add.at(m, (rows, columns), per_winner[rows] * int(weight * weight_denominator))

    winner_pays_own_bid = rule.first + rule.all_pay   # the winner's own bid is the highest bid
    for slot in range(payers):
        is_winner = (winner == slot) if payers > 1 else np.ones(len(rows), dtype=bool)
        r, j = rows[is_winner], winner[is_winner]
        add(r, j, slot, highest[r], winner_pays_own_bid)
        add(r, j, slot, second[r], rule.second)
        r, j = rows[~is_winner], winner[~is_winner]
        add(r, j, slot, profiles[r, slot], rule.all_pay)
        add(r, j, slot, np.zeros_like(r), rule.first + rule.second)
    dtype = np.int32 if denominator < 2**30 else np.int64
    return FiniteMechanism(RationalArray(m.astype(dtype).reshape((grid,) * bidders + (-1,)), denominator),
                           tuple(tuple(str(Fraction(b, n)) for b in range(grid)) for _ in range(bidders)))


def standard_auction(rule, n: int, bidders: int = 2, mu_high=Fraction(1, 2),
                     max_memory: int | None = None) -> tuple[FiniteEnvironment, FiniteMechanism]:
    """Environment and mechanism of the common-value standard auction ``rule`` on n+1 bids.

    Sizes and the memory plan are checked first (:func:`check_auction_size`, limit ``max_memory``).

    Examples
    --------
    >>> from irmd.verify.finite import standard_auction
    >>> env, mechanism = standard_auction("mix:1/2,0,1/2", 4)
    >>> env.n_outcomes, mechanism.action_counts
    (20, (5, 5))
    """
    rule = parse_rule(rule)
    n, bidders, mu_high = _checked_arguments(n, bidders, mu_high)
    check_auction_size(rule, n, bidders, max_memory)
    payers = _payers(rule, bidders)
    return _common_value_environment(n, bidders, mu_high, payers), _mechanism(rule, n, bidders, payers)


def standard_auction_instance(rule, n: int, bidders: int = 2, mu_high=Fraction(1, 2),
                              max_memory: int | None = None) -> FiniteInstance:
    """The auction as a validated :class:`FiniteInstance` (security of bidding 0 is checked exactly)."""
    rule = parse_rule(rule)
    env, mechanism = standard_auction(rule, n, bidders, mu_high, max_memory)
    return FiniteInstance(env, mechanism, None, f"{rule.label} auction, {bidders} bidders, n = {n}")


def proportional_auction_value(bidders: int = 2, mu_high=Fraction(1, 2)) -> float | None:
    r"""Value :math:`1 - G_N(\bar y)` of the proportional auction (continuum bids), from irmd's built-in
    ``common-value-auction``; None where it is not defined (:math:`\mu(1) \in \{0, 1\}`)."""
    mu_high = Fraction(mu_high)
    if not 0 < mu_high < 1:
        return None
    forms = library.get("common-value-auction").closed_forms_at({"N": int(bidders), "mu1": mu_high})
    return float(forms.value)


# --------------------------------------------------------------------------- sweeps in n and comparisons
@dataclass(frozen=True, eq=False)
class AuctionSeries:
    """One rule over several grids: G and Gc per grid and, when the sweep was given an extrapolation,
    their estimated limits as n -> infinity (objects with ``to_dict(dps)``, e.g. the ``Extrapolation``
    of :func:`irmd.verify.extrapolation.richardson`; estimates, not bounds)."""

    rule: PaymentRule
    grids: tuple[int, ...]
    guarantees: tuple[GuaranteeResult, ...]
    coarse_guarantees: tuple[GuaranteeResult, ...]
    limit: object = None
    coarse_limit: object = None

    def rows(self):
        """``(n, G result, Gc result)`` per grid."""
        return zip(self.grids, self.guarantees, self.coarse_guarantees)

    def guarantee_at(self, n: int) -> GuaranteeResult:
        return self.guarantees[self.grids.index(n)]

    def to_dict(self, dps: int = DEFAULT_DPS) -> dict:
        results = [{"n": n, "guarantee": g.to_dict(dps), "coarse_guarantee": gc.to_dict(dps)}
                   for n, g, gc in self.rows()]
        extrapolation = None if self.limit is None else {
            "guarantee": self.limit.to_dict(dps), "coarse_guarantee": self.coarse_limit.to_dict(dps),
            "note": "an estimate from the last grids, not a bound"}
        return {"rule": self.rule.to_dict(), "results": results, "extrapolation": extrapolation}


@dataclass(frozen=True)
class OrderingCheck:
    """Survey 5.3's ordering on one grid: G(first-price) >= G of every other rule (within tolerance),
    and every G at most the proportional auction's value (a bound over all mechanisms)."""

    n: int
    first_value: object
    exceptions: tuple[tuple[str, object], ...]    # (rule, G) with G larger than first-price's
    above_bound: tuple[tuple[str, object], ...]   # (rule, G) above the proportional auction's value (never expected)

    @property
    def holds(self) -> bool:
        return not self.exceptions

    @property
    def largest_excess(self) -> float:
        """max G(rule) - G(first-price) over the exceptions (0 when the ordering holds)."""
        return max((float(value) - float(self.first_value) for _, value in self.exceptions), default=0.0)

    def to_dict(self, dps: int = DEFAULT_DPS) -> dict:
        return {"n": self.n, "first_price_highest": self.holds, "first_price": number_text(self.first_value, dps),
                "exceptions": [{"rule": rule, "guarantee": number_text(value, dps)} for rule, value in self.exceptions],
                "largest_excess": number_text(self.largest_excess, dps),
                "above_proportional_auction": [{"rule": rule, "guarantee": number_text(value, dps)}
                                               for rule, value in self.above_bound]}


COMPARISON_NOTE = (
    "revenue guarantees: G = min over Bayes correlated equilibria (Gc: coarse correlated equilibria) of "
    "expected revenue, bids on the grid {0, 1/n, ..., 1}, common value theta in {0, 1} with prior mu(1); "
    "survey 5.3 (Bergemann, Brooks & Morris 2019): among standard auctions (first-price, second-price, all-pay "
    "and convex combinations, continuous bids) first-price has the highest guarantee; the proportional auction "
    "(survey 3.5, continuous bids, binary prior) maximises the guarantee over all mechanisms, value "
    "1 - G_N(ybar) with G_{N+1}(ybar) = mu(0), an upper bound for every grid auction")


@dataclass(frozen=True, eq=False)
class AuctionSweep:
    """G and Gc of one or more standard auctions on several grids, with the comparison of survey 5.3."""

    bidders: int
    mu_high: Fraction
    series: tuple[AuctionSeries, ...]
    proportional_value: float | None

    @property
    def status(self) -> Status:
        return combine(r.status for s in self.series for r in (*s.guarantees, *s.coarse_guarantees))

    @property
    def grids(self) -> tuple[int, ...]:
        return self.series[0].grids if self.series else ()

    @property
    def ordering(self) -> tuple[OrderingCheck, ...]:
        """One check per grid when first-price and another rule were run; else empty."""
        first = next((s for s in self.series if s.rule.name == "first"), None)
        if first is None or len(self.series) < 2:
            return ()
        checks = []
        for n in self.grids:
            top = first.guarantee_at(n).value
            values = [(s.rule.name, s.guarantee_at(n).value) for s in self.series]
            exceptions = tuple((rule, value) for rule, value in values if rule != "first" and _exceeds(value, top))
            above = tuple((rule, value) for rule, value in values
                          if self.proportional_value is not None and _exceeds(value, self.proportional_value))
            checks.append(OrderingCheck(n, top, exceptions, above))
        return tuple(checks)

    def to_dict(self, dps: int = DEFAULT_DPS) -> dict:
        return {"example": f"standard auctions, common value theta in {{0, 1}}, mu(1) = {self.mu_high}",
                "bidders": self.bidders, "mu_high": str(self.mu_high), "status": str(self.status),
                "compared": COMPARISON_NOTE,
                "proportional_auction": {"value": number_text(self.proportional_value, dps),
                                         "source": "irmd built-in common-value-auction, closed form (35), (37)"},
                "ordering": [c.to_dict(dps) for c in self.ordering],
                "rules": [s.to_dict(dps) for s in self.series]}


def _float(value) -> float | None:
    return None if value is None else float(value)


def _exceeds(value, reference) -> bool:
    """``value > reference``: exactly for two rationals, beyond :data:`ORDER_TOLERANCE` otherwise."""
    if value is None or reference is None:
        return False
    if isinstance(value, Fraction) and isinstance(reference, Fraction):
        return value > reference
    return float(value) > float(reference) + ORDER_TOLERANCE


def auction_guarantees(rule, n: int, *, bidders: int = 2, mu_high=Fraction(1, 2), exact: bool = False,
                       solver=None, max_memory: int | None = None) -> tuple[GuaranteeResult, GuaranteeResult]:
    """G(M) and Gc(M) of the validated auction ``rule`` on the grid n."""
    instance = standard_auction_instance(rule, n, bidders, mu_high, max_memory)
    env, mechanism = instance.env, instance.mechanism
    return (guarantee(env, mechanism, exact=exact, solver=solver),
            guarantee(env, mechanism, coarse=True, exact=exact, solver=solver))


def auction_sweep(rules, grids, *, bidders: int = 2, mu_high=Fraction(1, 2), exact: bool = False,
                  progress: Progress = _no_progress, solver=None,
                  extrapolate: Extrapolate | None = richardson, max_memory: int | None = None) -> AuctionSweep:
    """G and Gc of each rule (names or :class:`PaymentRule`) on each grid; sizes are checked before any LP.

    ``extrapolate(grids, values)`` (by default :func:`irmd.verify.extrapolation.richardson`, the
    estimate the bounding programs' sweeps use; None for no estimate) estimates each rule's limits
    in n.  ``max_memory`` limits the memory plan of each grid (default: a share of this machine's).
    """
    rules = list({r.name: r for r in map(parse_rule, rules)}.values())
    grids = sorted({int(n) for n in grids})
    if not rules or not grids:
        raise ParameterError("auction_sweep needs at least one rule and one grid size")
    for rule in rules:
        for n in grids:
            _checked_arguments(n, bidders, mu_high)
            check_auction_size(rule, n, bidders, max_memory)
    proportional = proportional_auction_value(bidders, mu_high)
    total, done, series = len(rules) * len(grids), 0, []
    for rule in rules:
        pairs = []
        for n in grids:
            progress(done, total, f"{rule.name}, n = {n}")
            pairs.append(auction_guarantees(rule, n, bidders=bidders, mu_high=mu_high, exact=exact, solver=solver,
                                            max_memory=max_memory))
            done += 1
        guarantees, coarse_guarantees = (tuple(results) for results in zip(*pairs))
        limits = (None, None) if extrapolate is None else (
            extrapolate(grids, [_float(r.value) for r in guarantees]),
            extrapolate(grids, [_float(r.value) for r in coarse_guarantees]))
        series.append(AuctionSeries(rule, tuple(grids), guarantees, coarse_guarantees, *limits))
    progress(total, total, "done")
    return AuctionSweep(int(bidders), Fraction(mu_high), tuple(series), proportional)


def plot_auction_sweep(sweep: AuctionSweep, path: str) -> str:
    """G (solid) and Gc (dashed) against n for each rule, with the proportional auction's value; PNG at ``path``."""
    figure = Figure(figsize=(9.5, 4.5))
    ax = figure.add_subplot()
    for k, s in enumerate(sweep.series):
        color = f"C{k % 10}"
        ax.plot(s.grids, [_float(r.value) for r in s.guarantees], marker="o", color=color, label=s.rule.label)
        ax.plot(s.grids, [_float(r.value) for r in s.coarse_guarantees], ls="--", marker=".", color=color, alpha=0.6)
    if sweep.proportional_value is not None:
        ax.axhline(sweep.proportional_value, color="black", ls=":",
                   label=f"proportional auction (continuum) {sweep.proportional_value:.4f}")
    ax.plot([], [], ls="--", color="gray", label="Gc (coarse), dashed")
    ax.set_xlabel("grid size n (bids 0, 1/n, ..., 1)")
    ax.set_ylabel("revenue guarantee G")
    ax.set_title(f"Standard auctions, {sweep.bidders} bidders, theta in {{0, 1}}, mu(1) = {sweep.mu_high}")
    ax.legend(fontsize=7, loc="upper left", bbox_to_anchor=(1.01, 1))   # outside: the curves bunch up
    figure.tight_layout()
    figure.savefig(path, dpi=120)
    return path
