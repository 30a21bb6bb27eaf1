"""Documents a reader would put in an appendix: regions, notes, numbers and words read as the papers'.

Each test names the wording it guards against (seen in generated documents before it was fixed).
"""
from pathlib import Path
from types import SimpleNamespace

import mpmath
import pytest
import sympy as sp

from irmd.analytic.library import build
from irmd.candidate_files import build_from_file
from irmd.derivations import to_latex
from irmd.derivations.build import _note, _simplex_tex, boundaries_at, evidence_status_text, region_tex, relation_tex
from irmd.derivations.text import text_tex
from irmd.status import Status
from irmd.verify import verify

EXAMPLES = Path(__file__).resolve().parents[2] / "examples" / "tutorial"
y = sp.Symbol("y", real=True)
ybar = sp.Symbol("ybar", positive=True)
A = sp.Symbol("A", positive=True)


@pytest.fixture(scope="module")
def one_bidder():
    """The auction with N = 1 (symmetric, one agent): a few seconds."""
    return to_latex(verify(build("common-value-auction", {"N": "1"}), dps=20))


@pytest.fixture(scope="module")
def costly_sale():
    """The tutorial's file: one agent, not symmetric, a simplex factor."""
    return to_latex(verify(build_from_file(EXAMPLES / "costly_sale.py"), dps=20))


def test_regions_are_written_without_exponentials_when_the_logarithm_is_plain():
    # "e^{y} e^{-ybar} < 1" is y < ybar (both sides positive).
    assert relation_tex(sp.exp(y) * sp.exp(-ybar) - 1, -1) == r"y < \bar{y}"
    assert relation_tex(sp.exp(y) * sp.exp(-ybar) - 1, 1) == r"y > \bar{y}"
    assert relation_tex(sp.exp(y) * sp.exp(-ybar) - 1, 0) == r"y = \bar{y}"
    # A log left over (A e^{y} >= 1 with A a symbol) keeps the exponential form.
    assert "e^{y}" in relation_tex(A * sp.exp(y) - 1, 1)
    # Nothing known about the sign: no logarithm is taken.
    z = sp.Symbol("z")
    assert "e^{y}" in relation_tex(z * sp.exp(y) - 1, 1)
    # Two boundaries that read alike are said once.
    region = ((SimpleNamespace(phi=sp.exp(y) * sp.exp(-ybar) - 1), -1), (SimpleNamespace(phi=y - ybar), -1))
    assert region_tex(region) == r"y < \bar{y}"


def test_a_quotient_before_a_factor_is_bracketed():
    # "T - (N-1)/y T" reads as (N - 1)/(yT); it means ((N - 1)/y) T.
    tex = text_tex("total transfer: T - (N-1)/y T - T' = L_1 - div q, T(0) = 0")
    assert r"((N - 1) / y) T" in tex
    assert text_tex("x/2 and y") == "$x / 2$ and $y$"     # a word after a quotient is no factor


def test_notes_that_are_one_parenthesis_are_not_wrapped_again():
    # "defined by ((36))"
    assert _note("(36)") == " (36)"
    assert _note("(43) = (45): the minimiser").startswith(" ((43)")
    assert _note("A = exp(-ybar)").startswith(" ($A")


def test_allocation_simplex_in_words_and_symbols():
    # "q >= 0, sum <= 1" with "sum" in math italics.
    q, q1, q2 = sp.symbols("q q_1 q_2")
    assert _simplex_tex((q,)) == r"$0 \le q \le 1$"
    assert _simplex_tex((q1, q2)) == r"$q_{1}, q_{2} \ge 0$ with $q_{1} + q_{2} \le 1$"


def test_a_zero_chain_is_not_said_to_be_a_product_of_non_negative_factors():
    claim = SimpleNamespace(kind=SimpleNamespace(value=">= 0"), expr=sp.Symbol("s"))
    zero = SimpleNamespace(status=Status.PROVED, method="symbolic: every factor is non-negative under the symbols' "
                           "assumptions", steps=(SimpleNamespace(expr=sp.S.Zero),), points=1, claim=claim)
    assert "simplifies to 0" in evidence_status_text(zero) and "factor" not in evidence_status_text(zero)
    positive = SimpleNamespace(**{**vars(zero), "steps": (SimpleNamespace(expr=sp.exp(y)),)})
    assert "every factor is non-negative" in evidence_status_text(positive)


def test_one_agent_documents(one_bidder, costly_sale):
    for tex in (one_bidder, costly_sale):
        assert "There is $N = 1$ agent." in tex and "agents." not in tex.split("There is")[1][:40]
        assert r"\infty)^{1}" not in tex and r"\infty)^1" not in tex
        assert "((" + "36))" not in tex
    assert r"$x_1 \in [0, \infty)$" in one_bidder
    assert r"Actions $x \in [0, \infty)$, signals $x \in [0, \infty)$" in costly_sale
    assert r"$0 \le q \le 1$" in costly_sale and "sum" not in costly_sale.split("Outcomes are")[1][:80]


def test_auction_document_reads_as_the_papers(one_bidder):
    tex = one_bidder
    assert r"e^{y} e^{- \bar{y}} <" not in tex and r"on $y < \bar{y}$" in tex
    assert r"$L_{1}$ is defined by (36)" in tex
    assert r"((N - 1) / y) T" in tex
    # The candidate's description opens the summary; no sentence is left alone under the table.
    summary = tex.split(r"\section{Summary}")[1].split(r"\section{")[0]
    assert summary.lstrip().startswith("The candidate: proportional auction")
    assert summary.rstrip().endswith(r"\end{center}")
    jumps = tex.split(r"\texttt{svo.jumps}:")[1]
    assert "every factor is non-negative" not in jumps and "simplifies to 0" in jumps


def test_one_condition_written_twice_is_said_once():
    # x_1 < ybar, x_1/ybar < 1 and e^{x_1} e^{-ybar} < 1 are one condition: the shortest form is printed.
    x1 = sp.Symbol("x_1", nonnegative=True)
    region = tuple((SimpleNamespace(phi=phi), -1) for phi in (x1 / ybar - 1, x1 - ybar, sp.exp(x1) * sp.exp(-ybar) - 1))
    assert region_tex(region) == r"x_{1} < \bar{y}"
    assert region_tex(((SimpleNamespace(phi=x1 - ybar), -1), (SimpleNamespace(phi=x1 - 1), 1))) == \
        r"x_{1} < \bar{y},\ x_{1} > 1"


def test_a_witness_on_a_boundary_is_said_to_be_there():
    # The tutorial's refuted guess fails at x_1 = ybar, reported for the region on either side.
    x1 = sp.Symbol("x_1", nonnegative=True)
    region = ((SimpleNamespace(phi=x1 - ybar), -1),)
    at = {"ybar": mpmath.mpf("1.5")}
    assert boundaries_at(region, {x1: mpmath.mpf("1.5")}, at, 30) == [r"x_{1} = \bar{y}"]
    assert boundaries_at(region, {x1: mpmath.mpf("1.4")}, at, 30) == []
    tex = to_latex(verify(build_from_file(EXAMPLES / "costly_sale_guess.py"), dps=15))
    refutation = tex.split(r"\section{Refutation}")[1].split(r"\section{")[0]
    assert r"The witness lies on the region's boundary $x_{1} = \bar{y}$" in refutation
