"""Grids are sized before anything is built: a grid that would exhaust the machine is one line."""
import pytest

from irmd.cli import main
from irmd.errors import ParameterError
from irmd.verify.bounding.estimate import check_fits, estimated_bytes, grid_points, largest_k, parse_size, size_text


def test_the_estimate_grows_with_the_grid_and_counts_the_full_grid():
    assert grid_points(2, 4) == 17**2 and grid_points(1, 4, "1/2") == 3
    sizes = [estimated_bytes(2, k) for k in range(1, 20)]
    assert sizes == sorted(sizes) and estimated_bytes(3, 4) > estimated_bytes(2, 4)


@pytest.mark.parametrize("agents, limit, top", [(2, 2**30, None), (1, 2**33, None), (5, 2**34, None), (2, 2**30, 3)])
def test_largest_k_is_the_edge_of_the_limit(agents, limit, top):
    k = largest_k(agents, limit, top)
    assert estimated_bytes(agents, k, top) <= limit < estimated_bytes(agents, k + 1, top)


def test_a_grid_over_the_limit_is_refused_with_the_largest_that_fits():
    pattern = r"k = 40 with N = 2: .* more than the limit 1 GiB .* largest k that fits is 1[0-9]"
    with pytest.raises(ParameterError, match=pattern):
        check_fits(2, 40, None, 2**30)
    check_fits(2, 4, None, 2**30)   # fits: no error


@pytest.mark.parametrize("text, expected", [("8G", 8 * 2**30), ("500M", 500 * 2**20), ("2GiB", 2 * 2**30),
                                            ("1.5t", int(1.5 * 2**40)), ("1048576", 2**20)])
def test_sizes_are_read_with_their_units(text, expected):
    assert parse_size(text) == expected and size_text(expected)


@pytest.mark.parametrize("argv", [["--k", "1000"], ["--param", "N=5", "--k", "8"], ["--k", "8", "--max-memory", "10M"],
                                  ["--k", "4", "2000"]])
def test_the_command_refuses_before_building(capsys, argv):
    code = main(["bounds", "common-value-auction", *argv])
    out, err = capsys.readouterr()
    assert code == 3 and out == "" and len(err.strip().splitlines()) == 1
    assert "estimated" in err and "largest k that fits" in err
