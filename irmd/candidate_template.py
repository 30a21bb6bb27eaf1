"""The commented candidate file that ``irmd new NAME`` writes.

The template is a complete, verified saddle point -- one buyer, a common value
theta in {0, 1} (the survey's Section 3.5 with N = 1) -- so that a user starts
from something that passes ``irmd verify --file`` and edits it step by step.
``{name}`` and ``{title}`` are filled in by :func:`render`.
"""
from __future__ import annotations

TEMPLATE = '''\
r"""{title}: a candidate saddle point for irmd.

Written by `irmd new {name}` as a starting point: it verifies as is.  Check it with

    irmd verify --file {filename}
    irmd verify --file {filename} --param mu1=0.3 --plot plots/

and edit the four parts below (environment, mechanism, information, constants)
into your own conjecture.  A candidate file is ordinary, trusted Python: irmd
runs it (without letting it start processes or use the network) and takes the
object named `candidate` -- a Candidate, or, as here, a function of the free
parameters whose defaults `--param KEY=VALUE` overrides (an int default makes
an integer parameter; other numbers arrive as exact sympy Rationals).

The example: one buyer, a good of common value theta in {{0, 1}} with
mu(1) = mu1, allocation q and transfer t; u = theta q - t, and the seller's
objective is revenue w = t (survey Section 3.5 with N = 1).

Information: exponential signals with interim value v(x) = min(A e^x, 1),
sigma(x, 1) = e^-x v(x), sigma(x, 0) = e^-x (1 - v(x)), A = e^-ybar and
G_2(ybar) = mu(0), i.e. e^-ybar (1 + ybar) = mu1 (34).
Mechanism: q(x) = min(x / ybar, 1); the transfer solves t - t' = L_0 on
[0, ybar] with t(0) = 0 and is the constant L_1 above, so that
lambda(x, 1) = t + q' - t' = L_1 everywhere and lambda(x, 0) = t - t' = L_0 on
the support of sigma(., 0) (complementary slackness (26)).
Value: mu1 L_1 + mu0 L_0 = e^-ybar.
"""
import sympy as sp

from irmd.analytic.candidate import make_candidate
from irmd.analytic.constants import Constant
from irmd.analytic.environment import Environment, State, action_symbols
from irmd.analytic.information import Information
from irmd.analytic.mechanism import Mechanism
from irmd.analytic.outcomes import Interval, Simplex
from irmd.errors import ParameterError

# Symbols.  State variables, outcome coordinates and constants are plain sympy
# symbols; the actions (= signals) are irmd's own x_1, ..., x_N.
theta = sp.Symbol("theta", real=True)
q, t = sp.symbols("q t", real=True)
ybar = sp.Symbol("ybar", positive=True)
L1, L0, A = sp.symbols("L_1 L_0 A", real=True)
(x,) = action_symbols(1)


def candidate(mu1="1/2"):
    """The candidate for prior mu(1) = mu1 (an exact Rational when called by irmd)."""
    mu1 = sp.Rational(mu1)
    if not 0 < mu1 < 1:
        raise ParameterError(f"parameter mu1 = {{mu1}}: needs 0 < mu1 < 1")

    # 1. Environment: agents, states with the values of the state variables, the
    #    prior, the outcome space as a product of factors (Simplex: allocation
    #    probabilities; Interval: a transfer, free when no bounds are given), one
    #    utility per agent and the designer's objective -- all affine in (q, t).
    #    For exchangeable agents use SymmetricEnvironment (see irmd.analytic.library.auction).
    environment = Environment(
        agents=1,
        states=(State.make("0", {{theta: 0}}), State.make("1", {{theta: 1}})),
        prior=(1 - mu1, mu1),
        factors=(Simplex((q,)), Interval(t)),
        utilities=(theta * q - t,),
        objective=t,
    )

    # 2. Mechanism: each outcome coordinate as a function of the actions x_1..x_N
    #    (Min, Max and Piecewise are fine; irmd checks every region).
    mechanism = Mechanism.make({{
        q: sp.Min(x / ybar, 1),
        t: sp.Piecewise((-L0 * (sp.exp(x) - 1), x <= ybar), (L1, True)),
    }})

    # 3. Information: one density sigma(x, theta) per state label, on the signal
    #    space [0, oo)^N (Information.make(..., lower=l) for [l, oo)^N).
    value = sp.Min(A * sp.exp(x), 1)
    information = Information.make({{
        "1": sp.exp(-x) * value,
        "0": sp.exp(-x) * (1 - value),
    }})

    # 4. Constants: a root of an equation (with a bracket where it changes sign),
    #    or an expression of other constants.  irmd solves them at the requested
    #    precision and keeps root-defined ones as symbols in symbolic proofs.
    constants = [
        Constant(ybar, equation=sp.exp(-ybar) * (1 + ybar) - mu1, bracket=(0, 60),
                 description="G_2(ybar) = mu(0)  (34)"),
        Constant(L1, value=(1 - sp.exp(-ybar)) / ybar, description="SVO level of state 1"),
        Constant(L0, value=L1 - 1 / ybar, description="SVO level of state 0"),
        Constant(A, value=sp.exp(-ybar), description="A = e^-ybar"),
    ]

    return make_candidate(
        "{name}", environment, mechanism, information, constants,
        # The levels L_theta of the SVO on the support of sigma(., theta); when
        # omitted, irmd reads them off the SVO at a support point.
        svo_levels={{"1": L1, "0": L0}},
        parameters={{"mu1": mu1}},
        description="{title}",
        headline=("ybar",),   # constants printed with the bounds
    )
'''


def render(name: str, filename: str) -> str:
    """The template for candidate ``name`` saved as ``filename``."""
    title = name.replace("_", " ").replace("-", " ").strip() or "candidate"
    title = title[0].upper() + title[1:]
    return TEMPLATE.format(name=name, filename=filename, title=title)
