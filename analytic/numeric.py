"""Numeric evaluation of a candidate's mechanism and densities at given profiles.

>>> from irmd.analytic.library import build
>>> c = build("common-value-auction", {"N": 2, "mu1": "1/2"}).numeric(dps=20)
>>> round(float(c.density((0.5, 0.5), "1")), 6)   # e^-1 min(A e^1, 1) = A = e^-ybar
0.068972

For tools that compare a candidate with numbers on a grid (the bounding
programs): outcomes are reported per explicit coordinate (``q_1, t_1, ...`` for a
symmetric candidate), densities per state label.  Constants are solved once at
``dps`` digits; every evaluation runs under ``mpmath.workdps(dps)``.
"""
from __future__ import annotations

from typing import Sequence

import mpmath

from irmd.budget import Budget
from irmd.errors import CandidateError

from .constants import mpmath_function, solve_constants
from .environment import OWN, TOTAL
from .resolve import resolve


class NumericCandidate:
    """Evaluate ``outcome(x)`` and ``density(x, state)`` of a candidate at action profiles."""

    def __init__(self, candidate, dps: int = 30):
        self.candidate = candidate
        self.dps = dps
        self.values = solve_constants(candidate.constants, dps + 10)
        resolution = resolve(candidate, Budget(30, 10))
        constants = list(self.values)
        self._numbers = [self.values[c] for c in constants]
        if candidate.symmetric:
            env = candidate.environment
            self._families = [(f.symbol, f) for f in env.families]
            self._outcome = {k: mpmath_function(resolution.apply(e), [OWN, TOTAL] + constants)
                             for k, e in candidate.mechanism.outcome}
            self._density = {label: mpmath_function(resolution.apply(e), [TOTAL] + constants)
                             for label, e in candidate.information.density}
        else:
            xs = list(candidate.environment.actions)
            self._outcome = {k: mpmath_function(resolution.apply(e), xs + constants)
                             for k, e in candidate.mechanism.outcome}
            self._density = {label: mpmath_function(resolution.apply(e), xs + constants)
                             for label, e in candidate.information.density}

    @property
    def constants(self) -> dict:
        """Constant name -> value (mpmath)."""
        return {c.symbol.name: self.values[c.symbol] for c in self.candidate.constants}

    def _profile(self, x: Sequence):
        if len(x) != self.candidate.agents:
            raise CandidateError(f"profile has {len(x)} actions for {self.candidate.agents} agents")
        return [mpmath.mpf(v) for v in x]

    def outcome(self, x: Sequence) -> dict:
        """Outcome coordinates at the profile ``x`` (coordinate name -> value)."""
        with mpmath.workdps(self.dps + 10):
            x = self._profile(x)
            if not self.candidate.symmetric:
                return {str(k): _finite(f(*x, *self._numbers)) for k, f in self._outcome.items()}
            total = mpmath.fsum(x)
            out = {}
            for symbol, family in self._families:
                for i, own in enumerate(x, start=1):
                    out[str(family.member(i))] = _finite(self._outcome[symbol](own, total, *self._numbers))
            return out

    def density(self, x: Sequence, state) -> object:
        """sigma(x, state) at the profile ``x``."""
        with mpmath.workdps(self.dps + 10):
            x = self._profile(x)
            fn = self._density.get(str(state))
            if fn is None:
                raise CandidateError(f"unknown state {state!r}")
            args = [mpmath.fsum(x)] if self.candidate.symmetric else x
            return _finite(fn(*args, *self._numbers))


def _finite(value):
    try:
        value = mpmath.mpmathify(value)
    except (TypeError, ValueError):
        return mpmath.nan
    if isinstance(value, mpmath.mpc):
        value = value.real
    return value
