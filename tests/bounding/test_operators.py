import numpy as np
import pytest

from irmd.errors import ParameterError
from irmd.verify.bounding.grid import Grid
from irmd.verify.bounding.operators import (
    adjoint_forward_difference,
    backward_difference,
    forward_difference,
    gradient,
)


def test_survey_grid_has_k_squared_plus_one_points_per_agent():
    grid = Grid.survey(2, 4)
    assert grid.size == 17 and grid.points == 289
    assert grid.axis()[-1] == 4 and grid.axis()[1] == 0.25


def test_variant_grid_with_chosen_top():
    grid = Grid(2, 4, "5/2")
    assert grid.size == 11 and grid.axis()[-1] == 2.5


@pytest.mark.parametrize("k, top", [(0, 1), (-2, 1), (2.5, 1), (True, 1), (4, "1/3"), (4, 0)])
def test_bad_grids_are_input_errors(k, top):
    with pytest.raises(ParameterError):
        Grid(2, k, top)


def test_one_dimensional_operators_match_the_survey():
    k, n = 3, 5
    f = np.arange(1.0, n + 1) ** 2
    fwd = forward_difference(n, k) @ f
    assert np.allclose(fwd[:-1], k * np.diff(f)) and fwd[-1] == 0  # zero at the top
    adj = adjoint_forward_difference(n, k) @ f
    assert np.allclose(adj[:-1], k * np.diff(f)) and adj[-1] == -k * f[-1]  # -k f at the top
    bwd = backward_difference(n, k) @ f
    assert np.allclose(bwd[1:], k * np.diff(f)) and bwd[0] == k * f[0]  # k f at zero


@pytest.mark.parametrize("agents, size", [(1, 7), (2, 5), (3, 4)])
def test_summation_by_parts_turns_14_into_23(agents, size):
    """sum_x g grad-_i f = -sum_x f tilde-grad+_i g on the product grid, for every i."""
    rng = np.random.default_rng(agents)
    k = 4
    back = gradient("backward", size, k, agents)
    adj = gradient("adjoint", size, k, agents)
    f, g = rng.normal(size=size**agents), rng.normal(size=size**agents)
    for i in range(agents):
        assert np.isclose(g @ (back[i] @ f), -(f @ (adj[i] @ g)))


def test_kronecker_gradient_acts_along_the_right_axis():
    k, size = 2, 4
    D = gradient("forward", size, k, 2)
    f = np.random.default_rng(0).normal(size=(size, size))
    d1 = (D[0] @ f.ravel()).reshape(size, size)
    d2 = (D[1] @ f.ravel()).reshape(size, size)
    assert np.allclose(d1[:-1], k * np.diff(f, axis=0)) and np.allclose(d1[-1], 0)
    assert np.allclose(d2[:, :-1], k * np.diff(f, axis=1)) and np.allclose(d2[:, -1], 0)
