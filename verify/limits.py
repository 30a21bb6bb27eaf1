r"""Limits of the potential bound along a family of information structures.

Some saddle points hold only in a limit: bilateral trade uses
:math:`\bar I_\epsilon` on :math:`[\epsilon/2,\infty)^2` and the bound (41) is the
limit :math:`\epsilon \to 0`.  A candidate that declares a family
(``Candidate.with_family``) gets the limit of its potential bound computed by
irmd itself:

1. build the family member at the limit value and compute its potential bound
   with the same machinery (works when the limit is itself an information
   structure, e.g. bilateral trade with h/g < 2 at eps = 0);
2. otherwise (the member does not exist: the density is not integrable), compute
   the bound along :math:`\epsilon_k = \epsilon\,10^{-2k}`; a bound that decreases
   like a power law :math:`C\epsilon^p` with stable exponent p > 0 has limit 0
   *extrapolated* (status *confirmed*, never proved: five values do not prove a
   limit), with the fitted exponent; anything else is *inconclusive*.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import mpmath
import sympy as sp

from irmd.errors import InputError
from irmd.status import Status


@dataclass(frozen=True)
class LimitResult:
    value: object
    status: Status
    detail: str
    sequence: tuple = field(default=())


def potential_limit(candidate, dps: int, potential_of) -> LimitResult:
    """Limit of the potential bound as the family parameter tends to its limit value."""
    parameter, target = candidate.family_parameter, candidate.limit_value
    try:
        member = candidate.family(target)
    except InputError as why:
        member, reason = None, str(why)
    if member is not None:
        value, status, detail = potential_of(member)
        if value is not None and status is Status.CONFIRMED:
            return LimitResult(value, Status.CONFIRMED,
                               f"limit {parameter} -> {target}: potential bound of the limit member computed "
                               f"directly ({detail})" if detail else
                               f"limit {parameter} -> {target}: potential bound of the limit member computed directly")
        reason = detail or "the limit member's potential bound was not established"
    current = sp.Rational(candidate.parameter_values.get(parameter, "0"))
    if current == target:
        return LimitResult(None, Status.INCONCLUSIVE, f"no limit member at {parameter} = {target}: {reason}")
    sequence = []
    for k in range(0, 5):
        value_k = target + (current - target) / sp.Integer(100) ** k
        value, status, detail = potential_of(candidate.family(value_k))
        if value is None:
            return LimitResult(None, Status.INCONCLUSIVE, f"potential bound at {parameter} = {value_k}: {detail}")
        sequence.append((value_k, value))
    with mpmath.workdps(dps + 20):
        logs = [(mpmath.log(mpmath.mpf(e.p) / e.q - mpmath.mpf(target.p) / target.q), mpmath.log(v))
                for e, v in sequence if v > 0]
        if len(logs) < len(sequence) or any(b[1] >= a[1] for a, b in zip(logs, logs[1:])):
            return LimitResult(None, Status.INCONCLUSIVE,
                               f"the bound does not decrease along {parameter} -> {target} ({reason})",
                               tuple(sequence))
        slopes = [(b[1] - a[1]) / (b[0] - a[0]) for a, b in zip(logs, logs[1:])]
        stable = all(s > 0 for s in slopes) and abs(slopes[-1] - slopes[-2]) <= abs(slopes[-1]) / 10
    if stable:
        return LimitResult(mpmath.mpf(0), Status.CONFIRMED,
                           f"no limit member ({reason}); limit 0 extrapolated, not proved: the bound decreases "
                           f"like {parameter}^p with p = {mpmath.nstr(slopes[-1], 6)} along {parameter} = "
                           f"{current} * 100^-k, k = 0..4",
                           tuple(sequence))
    return LimitResult(None, Status.INCONCLUSIVE,
                       f"no limit member ({reason}); the bound decreases but not like a stable power law "
                       f"(local exponents {', '.join(mpmath.nstr(s, 4) for s in slopes)})", tuple(sequence))
