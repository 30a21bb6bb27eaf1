"""Grids are sized before anything is built: a grid that would exhaust the machine is one line."""
import pathlib
import subprocess
import sys
from fractions import Fraction

import pytest

from irmd.cli import main
from irmd.errors import ParameterError
from irmd.memory import parse_size, size_text
from irmd.verify.bounding.estimate import check_fits, estimated_bytes, grid_points, largest_k, largest_top


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


@pytest.mark.parametrize("agents, k, limit", [(2, 128, 2**34), (2, 40, 2**30), (3, 16, 2**32), (1, 10**6, 2**30)])
def test_largest_top_keeps_the_step_and_is_the_edge_of_the_limit(agents, k, limit):
    top = largest_top(agents, k, limit)
    assert (top * k).denominator == 1 and top < k
    assert estimated_bytes(agents, k, top) <= limit < estimated_bytes(agents, k, top + Fraction(1, k))


def test_a_refused_grid_names_a_top_that_keeps_its_step():
    with pytest.raises(ParameterError, match=r"largest k that fits is \d+, or k = 128 up to a smaller top: "
                                             r"--top \S+ fits") as refused:
        check_fits(2, 128, None, 2**34)
    assert str(refused.value).split("--top ")[1].split()[0] == str(largest_top(2, 128, 2**34))
    assert largest_top(2, 4, 100) is None   # not even one step fits


def test_the_suggested_top_is_accepted_by_the_command(capsys):
    assert main(["bounds", "common-value-auction", "--k", "64", "--max-memory", "100M"]) == 3
    suggested = capsys.readouterr().err.split("--top ")[-1].split()[0]
    grid_check = main(["bounds", "common-value-auction", "--k", "64", "--top", suggested, "--max-memory", "100M",
                       "--programs", "guarantee", "--time-limit", "1e-9"])
    assert "more than the limit" not in capsys.readouterr().err and grid_check != 3


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


MEASURE = """
import sys
from fractions import Fraction
from irmd.analytic.library.auction import auction_environment
from irmd.verify.bounding.grid import Grid
from irmd.verify.bounding.guarantee_lp import solve_guarantee
from irmd.verify.bounding.potential_lp import solve_potential
from irmd.verify.bounding.reduced import reduce_environment
env = reduce_environment(auction_environment(int(sys.argv[1]), Fraction(1, 2)), 2.5)
grid = Grid.survey(env.agents, int(sys.argv[2]))

def status(field):
    # VmHWM, not ru_maxrss: Linux carries ru_maxrss over exec from the forked parent (pytest).
    with open("/proc/self/status") as f:
        return next(int(line.split()[1]) for line in f if line.startswith(field + ":")) * 1024

before = status("VmRSS")
for solve in (solve_guarantee, solve_potential):
    assert solve(env, grid, "clarabel").certified.certified
print(status("VmHWM") - before)
"""


@pytest.mark.skipif(not pathlib.Path("/proc/self/status").exists(), reason="needs Linux's /proc")
@pytest.mark.parametrize("agents, k", [(2, 10), (3, 4)])
def test_the_estimate_covers_a_measured_solve(agents, k):
    """The plan is an upper bound on what building, solving and certifying both programs really use
    (peak resident memory above the process's memory before the build), so a refused grid is never
    one that would have fitted by a wide margin and an accepted one fits."""
    proc = subprocess.run([sys.executable, "-c", MEASURE, str(agents), str(k)], capture_output=True, text=True,
                          check=True)
    used = int(proc.stdout.strip().splitlines()[-1])
    assert 0 < used <= estimated_bytes(agents, k)
