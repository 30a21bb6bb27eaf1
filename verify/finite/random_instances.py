"""Random finite instances with exact rational data (for tests and experiments).

Outcome 0 is a null outcome (every utility and the objective are 0), so that a
participation-secure mechanism and a feasible potential LP always exist.  For any
profile in which agent i plays 0, the mechanism only uses outcomes that agent i
weakly likes in every state, so action 0 is secure by construction.
"""
from __future__ import annotations

import numpy as np

from .model import FiniteEnvironment, FiniteInformation, FiniteMechanism
from .rational import RationalArray


def random_environment(seed: int, agents: int = 2, outcomes: int = 4, states: int = 2) -> FiniteEnvironment:
    rng = np.random.default_rng(seed)
    u = rng.integers(-2, 4, size=(agents, outcomes, states))
    u[:, 0, :] = 0
    w = rng.integers(1, 5, size=(outcomes, states))
    w[0, :] = 0
    weights = rng.integers(1, 5, size=states)
    return FiniteEnvironment(RationalArray(weights, int(weights.sum())), RationalArray(u, 1), RationalArray(w, 1))


def random_mechanism(seed: int, env: FiniteEnvironment, actions=(2, 3)) -> FiniteMechanism:
    rng = np.random.default_rng(seed)
    u = env.u.numerators
    liked = (u >= 0).all(axis=2)                      # liked[i, o]: agent i weakly likes o in every state
    shape = tuple(actions) + (env.n_outcomes,)
    weights = rng.integers(0, 4, size=shape).astype(np.int64)
    for profile in np.ndindex(*actions):
        allowed = np.ones(env.n_outcomes, dtype=bool)
        for i, a in enumerate(profile):
            if a == 0:
                allowed &= liked[i]
        allowed[0] = False                            # the null outcome only as a last resort
        row = weights[profile] * allowed
        if row.sum() == 0:
            row[0] = 1
        weights[profile] = row
    totals = weights.sum(axis=-1)
    denominator = int(np.lcm.reduce(totals.reshape(-1)))
    numerators = weights * (denominator // totals)[..., None]
    return FiniteMechanism(RationalArray(numerators, denominator)).validate(env)


def random_information(seed: int, env: FiniteEnvironment, signals=(2, 3)) -> FiniteInformation:
    rng = np.random.default_rng(seed)
    mu = env.mu.numerators  # over env.mu.denominator
    weights = rng.integers(0, 5, size=tuple(signals) + (env.n_states,)).astype(np.int64)
    flat = weights.reshape(-1, env.n_states)
    flat[0, flat.sum(axis=0) == 0] = 1
    totals = flat.sum(axis=0)
    # sigma(s, t) = mu(t) * weight(s, t) / total(t), over one common denominator
    denominator = int(env.mu.denominator * np.lcm.reduce(totals))
    numerators = flat * (mu * (denominator // env.mu.denominator) // totals)[None, :]
    sigma = RationalArray(numerators.reshape(weights.shape), denominator)
    return FiniteInformation(sigma).validate(env)
