"""Reading conjectures off the grid solutions: tie-breaks, shape distances, extrapolation."""
import numpy as np

from irmd.analytic.library import get
from irmd.verify.bounding.api import compute_bounds, sweep_bounds
from irmd.verify.bounding.shapes import compare
from irmd.verify.extrapolation import richardson


class Example:
    """A built-in's explicit environment and its closed forms (value, shapes)."""

    def __init__(self, name, params):
        builtin = get(name)
        self.environment = builtin.build(params).explicit_environment()
        self.closed_forms = builtin.closed_forms_at(params)
        self.value = self.closed_forms.value
        self.shapes = self.closed_forms.shapes


def _proportional_deviation(outcome, grid):
    X = grid.coordinates()
    total = X.sum(axis=1)
    q = np.stack([outcome["q_1"].ravel(), outcome["q_2"].ravel()])
    return float(np.abs(q[0] * total - X[:, 0] * q.sum(axis=0)).sum())


def test_proportional_tie_break_selects_a_proportional_optimum_at_the_same_value():
    example = Example("common-value-auction", {"N": "2"})
    plain = compute_bounds(example.environment, 4, t_max=2.5, programs=("guarantee",))
    chosen = compute_bounds(example.environment, 4, t_max=2.5, programs=("guarantee",), tie_break="proportional")
    assert abs(chosen.lower - plain.lower) < 1e-4
    assert "tie-break proportional" in chosen.guarantee.message
    before = _proportional_deviation(plain.guarantee.outcome, plain.grid)
    after = _proportional_deviation(chosen.guarantee.outcome, chosen.grid)
    assert after < 0.5 * before


def test_smooth_tie_break_lowers_the_dirichlet_energy():
    example = Example("bilateral-trade", {})
    plain = compute_bounds(example.environment, 4, t_max=3.0, programs=("guarantee",))
    smooth = compute_bounds(example.environment, 4, t_max=3.0, programs=("guarantee",), tie_break="smooth")

    def energy(result):
        q = result.guarantee.outcome["q"]
        return float((np.diff(q, axis=0) ** 2).sum() + (np.diff(q, axis=1) ** 2).sum())

    assert abs(smooth.lower - plain.lower) < 1e-4
    assert energy(smooth) <= energy(plain) + 1e-9


def test_bilateral_trade_posterior_is_the_surveys_x2_over_sum():
    """(39): the potential LP's posterior of the high state is x_2/(x_1 + x_2) where sigma has mass."""
    example = Example("bilateral-trade", {})
    result = compute_bounds(example.environment, 4, t_max=3.0, programs=("potential",),
                            shapes=example.shapes)
    posterior = result.shapes.get("posterior[high]")
    assert posterior.points > 20 and posterior.sup < 1e-4


def test_auction_shapes_approach_the_candidate_as_k_grows():
    example = Example("common-value-auction", {"N": "2"})
    shapes = example.shapes
    distances = []
    for k in (3, 6):
        r = compute_bounds(example.environment, k, t_max=2.5, tie_break="proportional")
        fixed = r.grid.totals() <= 1.5  # one region for both grids
        c = compare(r.grid, shapes, r.state_labels, r.guarantee, r.potential, region=fixed)
        distances.append((c.get("density").l1, c.get("q_1").l1, c.get("posterior[1]").l1))
    assert all(after < before for before, after in zip(*distances))


def test_candidate_shapes_are_the_closed_forms():
    model = Example("common-value-auction", {"N": "2"}).shapes
    ybar = model.ybar
    X = np.array([[0.5, 1.0], [3.0, 1.0], [0.0, 0.0]])
    out = model.outcome(X)
    assert np.allclose(out["q_1"], [0.5 / ybar, 3 / 4, 0.0])
    assert np.allclose(model.density(X), np.exp(-X.sum(axis=1)))
    assert np.allclose(model.posterior(X)[1], np.minimum(np.exp(X.sum(axis=1) - ybar), 1))
    assert out["t_1"][2] == 0.0  # T(0) = 0: participation security


def test_richardson_recovers_a_first_order_limit_exactly():
    ks = [4, 8, 12, 16]
    est = richardson(ks, [0.3 - 0.2 / k for k in ks])
    assert abs(est.richardson - 0.3) < 1e-12
    est2 = richardson(ks, [0.3 + 0.5 / k**2 for k in ks])
    assert abs(est2.order - 2) < 1e-6 and abs(est2.fitted - 0.3) < 1e-9
    assert richardson([4], [0.2]).richardson is None


def test_sweep_collects_bounds_and_extrapolates():
    example = Example("common-value-auction", {"N": "1"})
    sweep = sweep_bounds(example.environment, [4, 8], t_max=2.0, analytic=float(example.value))
    assert [r.grid.k for r in sweep.results] == [4, 8]
    assert sweep.lower_limit.richardson is not None
    # order-one extrapolation of the lower bounds lands closer to the value than the last bound
    assert abs(sweep.lower_limit.richardson - float(example.value)) < float(example.value) - sweep.results[-1].lower
