"""Derivers of the survey's Section 3.5, the common-value auction: displays (27)-(37)."""
from __future__ import annotations

import sympy as sp

from irmd.analytic.special import ErlangCDF, ErlangPDF, ErlangSF

from .model import auction_env, auction_sigma, env_symbols, ivo, svo
from .notation import L_0, L_1, A, N, T, X, mu0, mu1, q_1, q_2, qF1, qF2, s0, s1, tF1, tF2, theta, v, x1, x2, y, ybar
from .registry import Deriver, registrar

DERIVERS: dict[str, Deriver] = {}
derives = registrar(DERIVERS)


@derives('27')
def equation_27(ns: dict) -> dict:
    env = auction_env()
    coeff = sp.expand(ivo(env, auction_sigma(ns))).coeff(env_symbols(env)["t_1"])
    return {"forms": [coeff, sp.S.Zero], "note": "coefficient of t_1 in the IVO; the PDE sets it to 0"}


@derives('29')
def equation_29(ns: dict) -> dict:
    env = auction_env()
    rho_bar = sp.exp(-x1 - x2)
    sig = {"0": s0(*X), "1": rho_bar * v(*X)}
    gam = ivo(env, sig).xreplace({env_symbols(env)["t_1"]: 0, env_symbols(env)["t_2"]: 0})
    gam = gam.xreplace({env_symbols(env)["q_1"]: q_1, env_symbols(env)["q_2"]: q_2})
    return {"forms": [gam] * 3, "substitute": {s1(*X): rho_bar * v(*X)},
            "note": "IVO with the transfer terms removed by (27) and sigma(x, 1) = rhobar v"}


@derives('30')
def equation_30(ns: dict) -> dict:
    env = auction_env()
    rho_bar = sp.exp(-x1 - x2)
    vbar = sp.Min(sp.exp(-ybar) * sp.exp(x1 + x2), 1)
    sig = {"0": rho_bar * (1 - vbar), "1": rho_bar * vbar}
    syms = env_symbols(env)
    gam = ivo(env, sig).xreplace({syms["q_1"]: q_1, syms["q_2"]: q_2, syms["t_1"]: 0, syms["t_2"]: 0})
    return {"forms": [gam], "note": "IVO of sigmabar with A = e^{-ybar}"}


@derives('31')
def equation_31(ns: dict) -> dict:
    # mass of sigma(., 1) over the signal space, by slices of the total y (volume g_N(y) e^y).
    mass = sp.Integral(sp.Min(sp.exp(-ybar) * sp.exp(y), 1) * sp.exp(-y) * ErlangPDF(N, y) * sp.exp(y),
                       (y, 0, sp.oo))
    return {"forms": [mass, mu1], "substitute": {A: sp.exp(-ybar)}, "ybar_root": True}


@derives('32')
def equation_32(ns: dict) -> dict:
    return {"forms": "erlang-density"}


@derives('33')
def equation_33(ns: dict) -> dict:
    return {"forms": [ErlangCDF(N, y)] * 3}


@derives("31'")
def equation_31_prime(ns: dict) -> dict:
    mass = sp.Integral(sp.exp(-ybar) * sp.exp(y) * ErlangPDF(N, y), (y, 0, ybar)) + 1 - ErlangCDF(N, ybar)
    return {"forms": [mass] * 4 + [mu1], "substitute": {A: sp.exp(-ybar)}, "ybar_root": True}


@derives('34')
def equation_34(ns: dict) -> dict:
    return {"forms": [ErlangCDF(N + 1, ybar), mu0], "ybar_root": True}


@derives('35')
def equation_35(ns: dict) -> dict:
    potential = sp.Integral(sp.Piecewise((0, y <= ybar), (sp.exp(-y), True)) * ErlangPDF(N, y) * sp.exp(y),
                            (y, 0, sp.oo))
    return {"forms": [potential, ErlangSF(N, ybar)]}


@derives('SVO-3.5.2')
def svo_3_5_2(ns: dict) -> dict:
    env = auction_env()
    syms = env_symbols(env)
    outcome = {syms["q_1"]: qF1(*X), syms["q_2"]: qF2(*X), syms["t_1"]: tF1(*X), syms["t_2"]: tF2(*X)}
    return {"state_forms": {s.values[0][1]: [svo(env, outcome, s)] for s in env.states}, "state_symbol": theta}


@derives('div-q')
def div_q(ns: dict) -> dict:
    env = auction_env()
    syms = env_symbols(env)
    outcome = {syms["q_1"]: x1 / sp.Max(x1 + x2, ybar), syms["q_2"]: x2 / sp.Max(x1 + x2, ybar)}
    div = sum(sp.diff(outcome[syms[f"q_{i}"]], X[i - 1]) for i in (1, 2))
    return {"forms": [div.subs(x2, y - x1)], "agents": 2}


@derives('sum-t')
def sum_t(ns: dict) -> dict:
    outcome = sum(X[i] / (x1 + x2) * T(x1 + x2) - sp.diff(X[i] / (x1 + x2) * T(x1 + x2), X[i]) for i in (0, 1))
    return {"forms": [outcome.subs(x2, y - x1).doit()], "agents": 2}


@derives('T')
def t(ns: dict) -> dict:
    return {"forms": "T-ode"}


@derives('36')
def equation_36(ns: dict) -> dict:
    div = sp.Piecewise((N / ybar, y <= ybar), ((N - 1) / y, True))
    return {"forms": [sp.Integral(div * ErlangPDF(N, y), (y, 0, sp.oo))] * 3,
            "note": "L_1 = E[div qbar], the largest level that keeps T bounded"}


@derives("36'")
def equation_36_prime(ns: dict) -> dict:
    div_below = N / ybar   # div q on y <= ybar, the constant B of the paper
    return {"forms": [L_0, L_1 - div_below], "note": "lambda(x, 1) - lambda(x, 0) = div qbar = N/ybar on y <= ybar"}


@derives('37')
def equation_37(ns: dict) -> dict:
    L1 = ErlangCDF(N, ybar) * N / ybar + 1 - ErlangCDF(N - 1, ybar)
    value = mu1 * L1 + mu0 * (L1 - N / ybar)
    return {"forms": [value] * 4, "substitute": {L_1: L1, L_0: L1 - N / ybar}, "ybar_root": True}

