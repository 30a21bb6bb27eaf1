r"""A costly sale to one buyer (tutorial): a saddle point that is not in the papers.

One buyer, a good of common value theta in {0, 1} with mu(1) = mu1, allocation q
and transfer t; u = theta q - t.  The seller pays c per unit sold (0 <= c < mu1),
so the objective is w = t - c q.  With c = 0 this is the survey's Section 3.5
with N = 1 (the `irmd new` template).

Information.  The transfer's IVO coefficient vanishes (27) when the signal is
standard exponential, rho(x) = e^-x.  With interim value v(x), the IVO's
allocation coefficient is rho (v - v' - c); it vanishes where v = c + B e^x, so

    v(x) = min(c + B e^x, 1),   B = (1 - c) e^-ybar,
    sigma(x, 1) = e^-x v(x),    sigma(x, 0) = e^-x (1 - v(x)),

and the prior fixes ybar:  c (1 - e^-ybar) + (1 - c) ybar e^-ybar + e^-ybar = mu1.
Above ybar the IVO is (1 - c) e^-x q, maximised by q = 1, so the potential is
(1 - c) e^-ybar.

Mechanism.  q(x) = min(x / ybar, 1).  Complementary slackness (26) asks
lambda(x, 0) = t - t' - c q = L_0 on [0, ybar] and lambda(x, 1) = L_1 everywhere:
with t(0) = 0,

    t(x) = (c / ybar + L_0)(1 - e^x) + c x / ybar   (x <= ybar),   t(x) = L_1 + c   (x > ybar),
    L_0 = -((1 - c) e^-ybar + c) / ybar,   L_1 = L_0 + 1 / ybar   (t continuous at ybar).

Value: mu1 L_1 + mu0 L_0 = (1 - c) e^-ybar.
"""
import sympy as sp

from irmd.analytic.candidate import make_candidate
from irmd.analytic.constants import Constant
from irmd.analytic.environment import Environment, State, action_symbols
from irmd.analytic.information import Information
from irmd.analytic.mechanism import Mechanism
from irmd.analytic.outcomes import Interval, Simplex
from irmd.errors import ParameterError

theta = sp.Symbol("theta", real=True)
q, t = sp.symbols("q t", real=True)
ybar = sp.Symbol("ybar", positive=True)
L1, L0, B = sp.symbols("L_1 L_0 B", real=True)
(x,) = action_symbols(1)


def candidate(mu1="1/2", c="1/5"):
    mu1, c = sp.Rational(mu1), sp.Rational(c)
    if not 0 < mu1 < 1:
        raise ParameterError(f"parameter mu1 = {mu1}: needs 0 < mu1 < 1")
    if not 0 <= c < mu1:
        raise ParameterError(f"parameter c = {c}: needs 0 <= c < mu1 = {mu1} (otherwise nothing can be sold "
                             "at a profit in the worst case)")
    environment = Environment(
        agents=1,
        states=(State.make("0", {theta: 0}), State.make("1", {theta: 1})),
        prior=(1 - mu1, mu1),
        factors=(Simplex((q,)), Interval(t)),
        utilities=(theta * q - t,),
        objective=t - c * q,
    )
    mechanism = Mechanism.make({
        q: sp.Min(x / ybar, 1),
        t: sp.Piecewise(((c / ybar + L0) * (1 - sp.exp(x)) + c * x / ybar, x <= ybar), (L1 + c, True)),
    })
    value = sp.Min(c + B * sp.exp(x), 1)
    information = Information.make({"1": sp.exp(-x) * value, "0": sp.exp(-x) * (1 - value)})
    constants = [
        Constant(ybar, equation=c * (1 - sp.exp(-ybar)) + (1 - c) * ybar * sp.exp(-ybar) + sp.exp(-ybar) - mu1,
                 bracket=(0, 60), description="the prior: mass of state 1 equals mu1"),
        Constant(L0, value=-((1 - c) * sp.exp(-ybar) + c) / ybar, description="SVO level of state 0"),
        Constant(L1, value=L0 + 1 / ybar, description="SVO level of state 1"),
        Constant(B, value=(1 - c) * sp.exp(-ybar), description="v(ybar) = 1"),
    ]
    return make_candidate("costly-sale", environment, mechanism, information, constants,
                          svo_levels={"1": L1, "0": L0}, parameters={"mu1": mu1, "c": c},
                          description="one buyer, common value, production cost c", headline=("ybar",))
