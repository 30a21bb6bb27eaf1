"""Plain text with formulas, typeset as LaTeX text with the formulas in math mode."""
import pytest

from irmd.derivations.text import formula_tex, text_tex

CASES = [
    # (plain text as irmd's checks write it, LaTeX)
    ("q_i at x_i = 0: q_i >= 0", r"$q_{i}$ at $x_{i} = 0$: $q_{i} \ge 0$"),
    ("transfer t_i at x_i = y", r"transfer $t_{i}$ at $x_{i} = y$"),
    ("coefficient of t in gamma", r"coefficient of $t$ in $\gamma$"),
    ("1 - sum_i q_i >= 0", r"$1 - \sum_{i} q_{i} \ge 0$"),
    ("substitute y = u_y + ybar (the region's bound) and read off signs",
     r"substitute $y = u + \bar{y}$ (the region's bound) and read off signs"),
    ("G_{N+1}(ybar) = mu(0)  (34)", r"$G_{N + 1}(\bar{y}) = \mu(0)$ (34)"),
    ("masses equal the prior to tolerance 1e-20 (quadrature at 40 digits)",
     r"masses equal the prior to tolerance $10^{-20}$ (quadrature at 40 digits)"),
    ("largest sampled |value| 0.62735037", r"largest sampled $| \text{value} |$ 0.62735037"),
    ("y -> 0+", r"$y \to 0^{+}$"),
    ("exp(y)*exp(-ybar) - 1 < 0 and y - ybar < 0", r"$e^{y} \, e^{- \bar{y}} - 1 < 0$ and $y - \bar{y} < 0$"),
    ("Erlang density of the sum of N standard exponential signals",
     r"Erlang density of the sum of $N$ standard exponential signals"),
    ("proportional-price bilateral trade (survey Section 3.6)",
     "proportional-price bilateral trade (survey Section 3.6)"),
    ("interim probability of the high state", "interim probability of the high state"),
    ("T - (N-1) T/y - T' = L_1 - div qbar", r"$T - (N - 1) T / y - T' = L_{1} - \operatorname{div} \bar{q}$"),
    ("non-negative utility, re-checked at 60 digits", "non-negative utility, re-checked at 60 digits"),
    ("the N-fold convolution", "the N-fold convolution"),
    ('text after (36): "Since L_0 = L_1 - N/y"', r"text after (36): ``Since $L_{0} = L_{1} - N / y$''"),
]


@pytest.mark.parametrize("text, tex", CASES)
def test_text_tex(text, tex):
    assert text_tex(text) == tex


def test_special_characters_are_escaped():
    assert text_tex("50% of A & B") == r"50\% of $A$ \& $B$"
    assert "$" not in text_tex("no mathematics here")


def test_formula_tex():
    assert formula_tex("e^y y^(-h/g)") == r"e^{y} y^{- h / g}"
    assert formula_tex("lambda(x, theta=high) - L_high") == r"\lambda(x, \theta = \mathrm{high}) - L_{\mathrm{high}}"
    assert formula_tex("sigma(., theta)") == r"\sigma(\cdot, \theta)"
