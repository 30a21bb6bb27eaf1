r"""First guess for the costly sale (tutorial): the one-buyer template with a production cost.

One buyer, a good of common value theta in {0, 1} with mu(1) = mu1, allocation q
and transfer t; u = theta q - t.  The seller pays a production cost c for every
unit sold, so the objective is w = t - c q.

The guess keeps the c = 0 solution (what `irmd new` writes) and only adds the
cost to the objective: exponential signals with interim value min(A e^x, 1),
q(x) = min(x / ybar, 1), t - t' = L_0 below ybar.  `irmd verify` refutes it;
see the README's tutorial for why, and costly_sale.py for the fix.
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
L1, L0, A = sp.symbols("L_1 L_0 A", real=True)
(x,) = action_symbols(1)


def candidate(mu1="1/2", c="1/5"):
    mu1, c = sp.Rational(mu1), sp.Rational(c)
    if not 0 < mu1 < 1:
        raise ParameterError(f"parameter mu1 = {mu1}: needs 0 < mu1 < 1")
    environment = Environment(
        agents=1,
        states=(State.make("0", {theta: 0}), State.make("1", {theta: 1})),
        prior=(1 - mu1, mu1),
        factors=(Simplex((q,)), Interval(t)),
        utilities=(theta * q - t,),
        objective=t - c * q,          # the only change: selling costs c
    )
    mechanism = Mechanism.make({
        q: sp.Min(x / ybar, 1),
        t: sp.Piecewise((-L0 * (sp.exp(x) - 1), x <= ybar), (L1, True)),
    })
    value = sp.Min(A * sp.exp(x), 1)
    information = Information.make({"1": sp.exp(-x) * value, "0": sp.exp(-x) * (1 - value)})
    constants = [
        Constant(ybar, equation=sp.exp(-ybar) * (1 + ybar) - mu1, bracket=(0, 60)),
        Constant(L1, value=(1 - sp.exp(-ybar)) / ybar),
        Constant(L0, value=L1 - 1 / ybar),
        Constant(A, value=sp.exp(-ybar)),
    ]
    return make_candidate("costly-sale-guess", environment, mechanism, information, constants,
                          svo_levels={"1": L1, "0": L0}, parameters={"mu1": mu1, "c": c},
                          description="first guess: the c = 0 solution with a production cost", headline=("ybar",))
