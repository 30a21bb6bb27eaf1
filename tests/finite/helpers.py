"""Status helpers and brute-force evaluators shared by the finite tests (plain loops, no numpy tricks)."""
from __future__ import annotations

import itertools

import numpy as np

from irmd.status import Status


def assert_proved(result):
    assert result.status is Status.PROVED, result.message


def assert_confirmed(result):
    assert result.status in (Status.PROVED, Status.CONFIRMED), getattr(result, "message", "")


def assert_refuted(status):
    assert status is Status.REFUTED


def profiles(counts):
    return itertools.product(*(range(c) for c in counts))


def brute_force_obedience(U, sigma, tol=1e-7):
    """Largest violation of the BCE obedience constraints (joint weights), by explicit loops."""
    counts = sigma.shape[:-1]
    worst = 0.0
    for i, count in enumerate(counts):
        for rec in range(count):
            for dev in range(count):
                gain = 0.0
                for a in profiles(counts):
                    if a[i] != rec:
                        continue
                    b = list(a)
                    b[i] = dev
                    for t in range(sigma.shape[-1]):
                        gain += sigma[a + (t,)] * (U[(i,) + tuple(b) + (t,)] - U[(i,) + a + (t,)])
                worst = max(worst, gain)
    return worst


def brute_force_coarse_obedience(U, sigma):
    counts = sigma.shape[:-1]
    worst = 0.0
    for i, count in enumerate(counts):
        for dev in range(count):
            gain = 0.0
            for a in profiles(counts):
                b = list(a)
                b[i] = dev
                for t in range(sigma.shape[-1]):
                    gain += sigma[a + (t,)] * (U[(i,) + tuple(b) + (t,)] - U[(i,) + a + (t,)])
            worst = max(worst, gain)
    return worst


def brute_force_incentives(sigma, u, m):
    """Largest violation of truthtelling and participation of a direct mechanism m(s, o), by loops."""
    counts = sigma.shape[:-1]
    worst = 0.0
    for i, count in enumerate(counts):
        for s_i in range(count):
            def payoff(report):
                total = 0.0
                for s in profiles(counts):
                    if s[i] != s_i:
                        continue
                    r = list(s)
                    r[i] = report
                    for t in range(sigma.shape[-1]):
                        total += sigma[s + (t,)] * float(np.dot(u[i][:, t], m[tuple(r)]))
                return total
            truthful = payoff(s_i)
            worst = max(worst, -truthful)
            for report in range(count):
                worst = max(worst, payoff(report) - truthful)
    return worst
