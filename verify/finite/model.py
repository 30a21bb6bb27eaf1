r"""The finite model of Brooks & Du (002, Section 2) as validated, immutable data.

Notation (as in the papers)
---------------------------
agents :math:`i = 0..N-1`, states :math:`\theta \in \Theta` with prior :math:`\mu`,
finitely many outcomes :math:`\omega \in \Omega`;
utilities :math:`u_i(\omega, \theta)` and the designer's objective :math:`w(\omega, \theta)`.

A *mechanism* :math:`M = (A, m)` gives every action profile :math:`a \in A = \prod_i A_i`
a lottery :math:`m(\cdot | a)` over outcomes; action ``0`` of every agent must be
participation secure: :math:`\sum_\omega u_i(\omega,\theta) m(\omega|0, a_{-i}) \ge 0`
for all :math:`\theta, a_{-i}`.

An *information structure* :math:`I = (S, \sigma)` is a joint distribution
:math:`\sigma \in \Delta(S \times \Theta)` whose marginal on :math:`\Theta` is :math:`\mu`.

Everything is numbered from 0, as in the JSON arrays.  Exact values are kept as
:class:`~irmd.verify.finite.rational.RationalArray`; validation is exact.
"""
from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from functools import cached_property

import numpy as np

from irmd.errors import InputError

from .rational import RationalArray


class InstanceError(InputError):
    """A finite instance that is malformed; the message starts with the JSON path."""

    def __init__(self, path: str, message: str):
        super().__init__(f"{path}: {message}" if path else message)
        self.path = path


def _fraction_text(value: Fraction) -> str:
    """``0.9`` when the value has a short terminating decimal expansion, else ``7/3``."""
    d = value.denominator
    twos = fives = 0
    while d % 2 == 0:
        d, twos = d // 2, twos + 1
    while d % 5 == 0:
        d, fives = d // 5, fives + 1
    digits = max(twos, fives)
    if d == 1 and digits <= 12:
        text = f"{value.numerator / value.denominator:.{digits}f}" if digits else str(value.numerator)
        if Fraction(text) == value:
            return text
    return str(value)


def _labels(given, count: int, default_prefix: str, path: str, counted_by: str = "") -> tuple[str, ...]:
    """``count`` distinct labels (defaults when none are given); ``counted_by`` names where the count
    comes from, so that a mismatch points at both places."""
    if given is None:
        return tuple(f"{default_prefix}{k}" for k in range(count))
    labels = tuple(str(x) for x in given)
    if len(labels) != count:
        source = f", the number {counted_by}" if counted_by else ""
        raise InstanceError(path, f"{len(labels)} labels given, but there are {count}{source}")
    if len(set(labels)) != count:
        raise InstanceError(path, "labels must be distinct")
    return labels


def _profile_labels(given, counts: tuple[int, ...], path: str) -> tuple[tuple[str, ...], ...]:
    """One list of distinct labels per agent (actions or signals), defaulting to ``"0", "1", ...``."""
    labels = given or (None,) * len(counts)
    if len(labels) != len(counts):
        raise InstanceError(path, f"expected one list per agent ({len(counts)}), got {len(labels)}")
    return tuple(_labels(labels[i], count, "", f"{path}[{i}]") for i, count in enumerate(counts))


def _check_agent_levels(levels: int, env: "FiniteEnvironment", path: str, innermost: str) -> None:
    """A mechanism or information structure needs one array level per agent before the ``innermost`` one."""
    if levels != env.n_agents:
        raise InstanceError(path, f"nested {levels} levels deep before the {innermost}, "
                                  f"expected one level per agent ({env.n_agents})")


def _check_distribution(values: RationalArray, path: str, what: str = "probabilities") -> None:
    """Every entry >= 0 and the whole array sums to 1 (exactly)."""
    negative = np.argwhere(values.sign() < 0)
    if len(negative):
        index = tuple(int(k) for k in negative[0])
        where = path + "".join(f"[{k}]" for k in index)
        raise InstanceError(where, f"{what} must be >= 0, got {_fraction_text(values.entry(index))}")
    total = Fraction(int(values.numerators.sum()), values.denominator)
    if total != 1:
        raise InstanceError(path, f"{what} sum to {_fraction_text(total)}, not 1")


@dataclass(frozen=True, eq=False)
class FiniteEnvironment:
    """Prior, utilities and objective of the finite model.

    Parameters
    ----------
    mu : RationalArray, shape (T,)
    u : RationalArray, shape (N, O, T); ``u[i, o, t]`` is :math:`u_i(\\omega_o, \\theta_t)`.
    w : RationalArray, shape (O, T)
    agents, states, outcomes : tuple of str, optional labels.
    """

    mu: RationalArray
    u: RationalArray
    w: RationalArray
    agents: tuple[str, ...] = ()
    states: tuple[str, ...] = ()
    outcomes: tuple[str, ...] = ()

    def __post_init__(self):
        if len(self.mu.shape) != 1 or self.mu.shape[0] < 1:
            raise InstanceError("env.mu", "expected a non-empty list of probabilities, one per state")
        if len(self.w.shape) != 2 or self.w.shape[1] != self.n_states or self.w.shape[0] < 1:
            raise InstanceError("env.w", f"expected shape [outcomes][{self.n_states} states], got {list(self.w.shape)}")
        if len(self.u.shape) != 3 or self.u.shape[1:] != self.w.shape or self.u.shape[0] < 1:
            raise InstanceError("env.u", f"expected shape [agents][{self.n_outcomes} outcomes]"
                                         f"[{self.n_states} states], got {list(self.u.shape)}")
        _check_distribution(self.mu, "env.mu")
        object.__setattr__(self, "agents", _labels(self.agents or None, self.n_agents, "agent ", "env.agents",
                                                      "of agents in env.u (its outermost lists)"))
        object.__setattr__(self, "states", _labels(self.states or None, self.n_states, "state ", "env.states",
                                                      "of entries of env.mu"))
        object.__setattr__(self, "outcomes",
                           _labels(self.outcomes or None, self.n_outcomes, "outcome ", "env.outcomes",
                                    "of outcomes in env.w (its outer lists)"))

    @property
    def n_agents(self) -> int:
        return self.u.shape[0]

    @property
    def n_states(self) -> int:
        return self.mu.shape[0]

    @property
    def n_outcomes(self) -> int:
        return self.w.shape[0]


@dataclass(frozen=True, eq=False)
class FiniteMechanism:
    """Outcome lotteries ``m[a_0, ..., a_{N-1}, o]``; action 0 of every agent is the secure one."""

    m: RationalArray
    actions: tuple[tuple[str, ...], ...] = ()

    @property
    def n_agents(self) -> int:
        return len(self.m.shape) - 1

    @property
    def action_counts(self) -> tuple[int, ...]:
        return self.m.shape[:-1]

    def validate(self, env: FiniteEnvironment) -> "FiniteMechanism":
        """Check shapes, lotteries and participation security against ``env``; return self."""
        _check_agent_levels(self.n_agents, env, "mechanism.m", "outcomes")
        if self.m.shape[-1] != env.n_outcomes:
            raise InstanceError("mechanism.m",
                                f"lotteries have {self.m.shape[-1]} entries, expected {env.n_outcomes} outcomes")
        _check_lotteries(self.m, "mechanism.m")
        object.__setattr__(self, "actions", _profile_labels(self.actions, self.action_counts, "mechanism.actions"))
        self._check_secure(env)
        return self

    def _check_secure(self, env: FiniteEnvironment) -> None:
        payoff = self.utilities(env)  # exact, shape (N, A..., T)
        signs = payoff.sign()
        for i in range(self.n_agents):
            secure = np.take(signs[i], 0, axis=i)  # shape (A_{-i}..., T)
            bad = np.argwhere(secure < 0)
            if len(bad):
                where = tuple(int(k) for k in bad[0])
                others, state = list(where[:-1]), where[-1]
                profile = others[:i] + [0] + others[i:]
                value = payoff.entry((i, *profile, state))
                raise InstanceError("mechanism.m", f"action 0 of agent {i} is not secure in state {state}: "
                                                   f"expected utility {_fraction_text(value)} at action profile "
                                                   f"{profile}")

    @cached_property
    def _utility_cache(self) -> dict:
        return {}

    def utilities(self, env: FiniteEnvironment) -> RationalArray:
        r"""Exact :math:`U_i(a,\theta) = \sum_\omega u_i(\omega,\theta) m(\omega|a)`, shape (N, A..., T)."""
        cached = self._utility_cache.get(("u", id(env)))
        if cached is None or cached[0] is not env:
            table = self.m.contract(env.u, axes=([-1], [1]))  # (A..., N, T)
            table = RationalArray(np.moveaxis(table.numerators, -2, 0), table.denominator)
            cached = self._utility_cache[("u", id(env))] = (env, table)
        return cached[1]

    def objective(self, env: FiniteEnvironment) -> RationalArray:
        r"""Exact :math:`W(a,\theta) = \sum_\omega w(\omega,\theta) m(\omega|a)`, shape (A..., T)."""
        cached = self._utility_cache.get(("w", id(env)))
        if cached is None or cached[0] is not env:
            cached = self._utility_cache[("w", id(env))] = (env, self.m.contract(env.w, axes=([-1], [0])))
        return cached[1]


def _check_lotteries(m: RationalArray, path: str) -> None:
    negative = np.argwhere(m.sign() < 0)
    if len(negative):
        index = tuple(int(k) for k in negative[0])
        raise InstanceError(path + "".join(f"[{k}]" for k in index[:-1]),
                            f"probability of outcome {index[-1]} must be >= 0, got {_fraction_text(m.entry(index))}")
    sums = m.numerators.sum(axis=-1)
    wrong = np.argwhere(sums != m.denominator)
    if len(wrong):
        index = tuple(int(k) for k in wrong[0])
        total = Fraction(int(sums[index]), m.denominator)
        raise InstanceError(path + "".join(f"[{k}]" for k in index),
                            f"probabilities sum to {_fraction_text(total)}, not 1")


@dataclass(frozen=True, eq=False)
class FiniteInformation:
    """Joint distribution ``sigma[s_0, ..., s_{N-1}, t]`` of signal profiles and states."""

    sigma: RationalArray
    signals: tuple[tuple[str, ...], ...] = ()

    @property
    def n_agents(self) -> int:
        return len(self.sigma.shape) - 1

    @property
    def signal_counts(self) -> tuple[int, ...]:
        return self.sigma.shape[:-1]

    def validate(self, env: FiniteEnvironment) -> "FiniteInformation":
        """Check shapes, that sigma is a distribution and that its state marginal is ``env.mu``."""
        _check_agent_levels(self.n_agents, env, "information.sigma", "states")
        if self.sigma.shape[-1] != env.n_states:
            raise InstanceError("information.sigma", f"innermost lists have {self.sigma.shape[-1]} entries, "
                                                     f"expected {env.n_states} states")
        _check_distribution(self.sigma, "information.sigma")
        marginal = self.sigma.numerators.reshape(-1, env.n_states).sum(axis=0)
        for t in range(env.n_states):
            got = Fraction(int(marginal[t]), self.sigma.denominator)
            if got != env.mu.entry((t,)):
                raise InstanceError("information.sigma", f"marginal of state {t} is {_fraction_text(got)}, "
                                                         f"but env.mu[{t}] is {_fraction_text(env.mu.entry((t,)))}")
        object.__setattr__(self, "signals", _profile_labels(self.signals, self.signal_counts, "information.signals"))
        return self


@dataclass(frozen=True, eq=False)
class FiniteInstance:
    """An environment with a mechanism, an information structure, or both."""

    env: FiniteEnvironment
    mechanism: FiniteMechanism | None = None
    information: FiniteInformation | None = None
    name: str = ""
    notes: tuple[str, ...] = ()    # what reading changed (float sums renormalised), for the output

    def __post_init__(self):
        if self.mechanism is not None:
            self.mechanism.validate(self.env)
        if self.information is not None:
            self.information.validate(self.env)
