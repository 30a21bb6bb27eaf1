r"""Memory of the dual reductions, planned from the shapes before anything is built.

A mechanism reduction at truncation level k holds the payoff tables of the reduced
mechanism on levels :math:`\{0..k+1\}^N` (agents + 1 tables of states entries per profile;
the contraction with the level mixtures passes through tables of
:math:`\prod_i \max(k + 2, |A_i|)` profiles), its lotteries on :math:`\{0..k\}^N`, and,
unless skipped, the guarantee LP of the truncated mechanism, whose obedience rows hold
:math:`N (k+1)^{N+1} |\Theta|` non-zeros.  An information reduction pooled at level K holds
:math:`N + 2` distributions and the IVO on :math:`\{0..K\}^N` (contracted through
:math:`\prod_i \max(K + 1, |S_i|)` profiles).  The plan counts 8 bytes per float entry,
twice (numpy's temporaries), and :data:`BYTES_PER_NONZERO` per LP non-zero (the assembler's
dense blocks and mask, the CSR arrays, HiGHS's copy).

The guarantee LPs of the built-in auctions are planned by :func:`guarantee_bytes` (their mechanism's
table and the LP guarantee() builds) before the mechanism is built.
"""
from __future__ import annotations

import math

from irmd.errors import ParameterError
from irmd.memory import default_limit, largest_fitting, size_text

from .model import FiniteEnvironment, FiniteInformation, FiniteMechanism

#: Bytes per float entry of the reduction's arrays, with numpy's temporaries.
BYTES_PER_ENTRY = 16
#: Bytes per non-zero of the truncated mechanism's guarantee LP (dense blocks, mask, CSR, HiGHS).
BYTES_PER_NONZERO = 48


def mechanism_reduction_bytes(env: FiniteEnvironment, mechanism: FiniteMechanism, k: int,
                              own_guarantee: bool = True) -> int:
    """The bytes :func:`reduce_mechanism` at level ``k`` is planned to need."""
    actions = mechanism.action_counts
    agents, states, outcomes = len(actions), env.n_states, env.n_outcomes
    passing = math.prod(max(k + 2, a) for a in actions)
    entries = (agents + 1) * passing * states + 4 * (k + 1) ** agents * states
    entries += math.prod(max(k + 1, a) for a in actions) * outcomes
    nonzeros = agents * (k + 1) ** (agents + 1) * states if own_guarantee else 0
    return BYTES_PER_ENTRY * entries + BYTES_PER_NONZERO * nonzeros


def information_reduction_bytes(env: FiniteEnvironment, information: FiniteInformation, K: int) -> int:
    """The bytes :func:`reduce_information` at level ``K`` is planned to need."""
    signals = information.signal_counts
    agents, states, outcomes = len(signals), env.n_states, env.n_outcomes
    passing = math.prod(max(K + 1, s) for s in signals)
    entries = (agents + 2) * passing * states + 2 * (K + 1) ** agents * outcomes
    return BYTES_PER_ENTRY * entries



#: Bytes per outcome probability of a mechanism's table: int32 numerators, the cached float view and
#: the int64 copy of the exact contraction (payoff tables, symmetry check), with room for temporaries.
BYTES_PER_MECHANISM_ENTRY = 24
#: Bytes per non-zero of a guarantee LP: the assembler's blocks and mask, the CSR arrays, HiGHS's
#: row- and column-wise copies and its presolved copy.
BYTES_PER_LP_NONZERO = 160
#: Bytes per row and per column of a guarantee LP: bounds, costs, HiGHS's simplex arrays and factor,
#: the solution, multipliers and basis (measured on the first-price auction's compact LPs).
BYTES_PER_LP_LINE = 2048
#: The interpreter and its imports (numpy, scipy, highspy, sympy, ...).
BASE_BYTES = 256 * 2**20


def guarantee_bytes(mechanism_entries: int, rows: int, columns: int, nonzeros: int) -> int:
    """The bytes building a mechanism of ``mechanism_entries`` outcome probabilities and solving a
    guarantee LP of this size are planned to need (the largest resident set of the run)."""
    return (BASE_BYTES + BYTES_PER_MECHANISM_ENTRY * mechanism_entries + BYTES_PER_LP_NONZERO * nonzeros
            + BYTES_PER_LP_LINE * (rows + columns))


def check_reduction_fits(env: FiniteEnvironment, levels, *, mechanism: FiniteMechanism | None = None,
                         information: FiniteInformation | None = None, limit: int | None = None) -> None:
    """ParameterError (one line: the estimate, the limit, the largest level that fits) when the
    reduction of ``mechanism`` or ``information`` at one of ``levels`` is planned to need more
    than ``limit`` bytes (default: a share of the machine's memory)."""
    limit = default_limit() if limit is None else limit
    plans = []
    if mechanism is not None:
        plans.append(("mechanism", lambda k: mechanism_reduction_bytes(env, mechanism, k)))
    if information is not None:
        plans.append(("information", lambda K: information_reduction_bytes(env, information, K)))
    for what, needed in plans:
        for level in sorted(set(levels), reverse=True):
            if needed(level) <= limit:
                break
            fitting = largest_fitting(needed, limit)
            advice = f"the largest --k that fits is {fitting}" if fitting else "even --k 1 does not fit"
            raise ParameterError(f"--k {level}: the {what} reduction is planned to need {size_text(needed(level))} "
                                 f"of memory, more than the limit {size_text(limit)} (--max-memory); {advice}")
