"""Residual plots: the data behind them is right (zero where the checks passed, not where they failed)."""
import io

import numpy as np
import pytest
import sympy as sp

from irmd.analytic.library import auction, build
from irmd.candidate_files import build_from_file
from irmd.verify import verify
from irmd.verify.plots import _draw, _figure, plot_residuals, residuals

from .test_cli import EXAMPLES, PNG


@pytest.fixture(scope="module")
def auction_n2():
    return verify(build("common-value-auction", {"N": "2"}), dps=15)


def test_two_agents_give_heatmaps_that_vanish_where_they_must(auction_n2):
    data = residuals(auction_n2)
    svo0, svo1 = data["svo"]
    assert svo0.kind == "heatmap" and svo0.values.shape == (41, 41)
    # lambda(., 1) = L_1 everywhere; lambda(., 0) = L_0 on the support of sigma(., 0) and above it outside.
    assert svo1.max_abs < 1e-20
    inside = ~svo0.outside & np.isfinite(svo0.values)
    assert np.abs(svo0.values[inside]).max() < 1e-20
    assert svo0.values[svo0.outside].min() > 0.1
    gap, integrand = data["ivo"]
    assert gap.max_abs < 1e-20 and integrand.max_abs > 0.05
    titles = [p.title for p in data["pde"]]
    assert titles == ["coefficient of t in γ (must vanish)", "ODE of T"]
    assert all(p.max_abs < 1e-20 for p in data["pde"])


def test_many_agents_give_curves_along_the_sum():
    data = residuals(verify(build("common-value-auction", {"N": "6"}), dps=15, symbolic=False))
    panel = data["svo"][1]
    assert panel.kind == "curves" and panel.xlabel == "Σx" and len(panel.values) == 1
    assert panel.axis[-1] > 6


def test_a_wrong_level_shows_up_with_its_counterexample(tmp_path):
    mutant = auction.common_value_auction(3, "1/2", level_1=auction.L1 + sp.Rational(1, 10))
    certificate = verify(mutant, dps=15)
    svo1 = residuals(certificate)["svo"][1]
    values = svo1.values[0][1]
    assert np.allclose(values[np.isfinite(values)], -0.1)
    assert svo1.witness is not None and "y" in svo1.witness
    paths = plot_residuals(certificate, tmp_path / "mutant")
    assert [p.name for p in paths] == ["svo.png", "ivo.png", "pde.png"]
    assert all(p.read_bytes()[:8] == PNG for p in paths)


def test_one_agent_refuted_guess_marks_the_ivo_gap():
    certificate = verify(build_from_file(EXAMPLES / "costly_sale_guess.py"), dps=15)
    gap = residuals(certificate)["ivo"][0]
    assert gap.kind == "curves" and gap.xlabel == "x_1"
    assert gap.witness is not None and gap.max_abs > 0.04   # c q rho on [0, ybar): about 0.044 at c = 1/5
    assert not residuals(certificate)["pde"][0].max_abs     # the transfer PDE holds: rho = e^-x


def test_explicit_two_agent_bilateral_trade(tmp_path):
    certificate = verify(build("bilateral-trade"), dps=15, symbolic=False)
    data = residuals(certificate)
    assert data["svo"][0].kind == "heatmap"
    assert all(p.max_abs < 1e-9 for p in data["pde"])
    # The whole potential sits on the line x_1 + x_2 = ybar: the integrand off it is 0, so the line is
    # drawn on its panel and its density has a panel of its own, integrating to the potential bound.
    gap, integrand, line = data["ivo"]
    assert integrand.max_abs < 1e-20 and [label for label, *_ in integrand.surfaces] == ["x₁ + x₂ = ȳ"]
    ybar = float(certificate.constants["ybar"])
    _, xs, ys = integrand.surfaces[0]
    assert np.allclose(xs + ys, ybar)
    assert line.kind == "curves" and "x₁ + x₂ = ȳ" in line.title
    values = line.values[0][1]
    inside = np.isfinite(values)
    assert line.axis[inside].max() <= ybar + 1e-9
    total = float(np.sum(np.diff(line.axis[inside]) * (values[inside][1:] + values[inside][:-1]) / 2))
    total += float(values[inside][-1]) * (ybar - line.axis[inside].max())   # the last partial step
    assert abs(total - float(certificate.potential_upper)) < 1e-6


def test_colour_bars_carry_no_offset_label_over_the_panel():
    # A colour scale of +-1e-12 used to print "1e-12" above its bar, over the next panel's title.
    panel = residuals(verify(build("common-value-auction", {"N": "2"}), dps=15, symbolic=False))["svo"][1]
    fig = _figure(4.6, 3.9)
    ax = fig.subplots()
    _draw(fig, ax, panel, True)
    fig.savefig(io.BytesIO(), format="png")
    bar = [a for a in fig.axes if a is not ax][0]
    assert bar.yaxis.get_offset_text().get_text() == ""
    assert any("e-12" in t.get_text() for t in bar.get_yticklabels())


THREE_AGENTS = '''
import sympy as sp
from irmd.analytic import Environment, Information, Interval, Mechanism, Simplex, State, action_symbols, make_candidate

theta = sp.Symbol("theta", real=True)
q = sp.symbols("q_1:4", real=True)
t = sp.symbols("t_1:4", real=True)
x = action_symbols(3)

def candidate(price="1"):
    # One state, value 1: a posted price of 1 to agent 1 against independent exponential signals.
    env = Environment(3, (State.make("1", {theta: 1}),), (1,), (Simplex(q),) + tuple(Interval(c) for c in t),
                      tuple(theta * q[i] - t[i] for i in range(3)), sum(t))
    mechanism = Mechanism.make({q[0]: 1, q[1]: 0, q[2]: 0, t[0]: sp.Rational(price), t[1]: 0, t[2]: 0})
    return make_candidate("posted-price-3", env, mechanism, Information.make({"1": sp.exp(-sum(x))}))
'''


def test_three_explicit_agents_are_drawn_along_two_slices(tmp_path):
    path = tmp_path / "three.py"
    path.write_text(THREE_AGENTS)
    certificate = verify(build_from_file(path), dps=15)
    gap, integrand = residuals(certificate)["ivo"]
    assert gap.kind == "curves" and [label for label, _ in gap.values] == [
        "equal actions", "x_1 = Σx, others at the lower bound"]
    assert gap.max_abs == 0
    assert len(integrand.values) == 2
    for _, values in integrand.values:           # max_c gamma = sigma = e^-Σx on both slices
        assert np.allclose(values, np.exp(-integrand.axis), rtol=1e-12)
    assert [p.name for p in plot_residuals(certificate, tmp_path / "plots")] == ["svo.png", "ivo.png", "pde.png"]
