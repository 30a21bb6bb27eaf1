"""The model the derivations start from: the built-ins' environments with the papers' symbols, the SVO and the IVO."""
from __future__ import annotations

import sympy as sp

from irmd.analytic.environment import Environment, State
from irmd.analytic.library.auction import auction_environment
from irmd.analytic.library.bilateral import theta1 as th1
from irmd.analytic.library.bilateral import theta2 as th2
from irmd.analytic.library.bilateral import trade_environment

from .notation import g, h


def auction_env():
    return auction_environment(2, sp.Rational(1, 2)).expand()


def trade_env():
    env = trade_environment(sp.Integer(3), sp.Integer(2), sp.Rational(1, 2))
    # The built-in fixes numbers; the paper's symbols h and g are put back into the states.
    states = (State.make("low", {th1: 0, th2: g}), State.make("high", {th1: h, th2: h + g}))
    return Environment(2, states, env.prior, env.factors, env.utilities, env.objective)


def ivo(env, densities: dict) -> sp.Expr:
    """gamma(x, c) = sum_theta w sigma - sum_i sum_theta u_i d_i sigma (survey, Section 3.4)."""
    X = env.actions
    total = sp.S.Zero
    for state in env.states:
        sigma = densities[state.label]
        total += env.objective_in(state) * sigma
        for i in range(env.agents):
            total -= env.utility(i, state) * sp.diff(sigma, X[i])
    return total


def svo(env, outcome: dict, state) -> sp.Expr:
    """lambda(x, theta) = w(c(x), theta) + sum_i d_i [u_i(c(x), theta)] (derivative on c only)."""
    X = env.actions
    lam = env.objective_in(state).xreplace(outcome)
    for i in range(env.agents):
        u_i = env.utility(i, state)
        for c, expr in outcome.items():
            lam += sp.diff(u_i, c) * sp.diff(expr, X[i])
    return lam


def env_symbols(env):
    return {str(c): c for c in env.coordinates}




def auction_sigma(ns):
    return {"0": ns["sigma0"], "1": ns["sigma1"]}


