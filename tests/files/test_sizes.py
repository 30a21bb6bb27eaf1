"""Parameters that set an exponent: sized before any work, one line and exit 3 past the limit.

Bilateral trade's density carries y^(-h/g); the verifier's simplification expands powers of sums,
and at h = 10^6 that expansion alone would need about 100 GiB (the machine was seen at 24 GB, killed).
"""
import time
from types import SimpleNamespace

import pytest
import sympy as sp

from irmd.analytic.expansion import MAX_EXPANSION_BYTES, expansion_bytes
from irmd.analytic.library import build
from irmd.candidate_files import check_symbolic_sizes
from irmd.cli import main
from irmd.errors import ParameterError
from irmd.status import PointStatus
from irmd.sweep import BuiltinSpec, SweepOptions, run_point


def test_the_estimate_grows_with_the_exponent_and_the_terms():
    assert expansion_bytes(1000, 2) < expansion_bytes(2000, 2) < expansion_bytes(2000, 3)
    assert expansion_bytes(10**6, 2) > 100 * 2**30            # ~10^6 terms of ~125 KB coefficients
    assert expansion_bytes(-50, 2) == expansion_bytes(50, 2)  # 1/(x+y)^50 expands its denominator


def test_built_ins_at_ordinary_parameters_pass():
    for name, params in (("bilateral-trade", {"h": "3/2"}), ("bilateral-trade", {"h": "100"}),
                         ("common-value-auction", {"N": "50"})):
        check_symbolic_sizes(build(name, params))


def test_a_huge_exponent_is_refused_with_the_largest_that_fits():
    candidate = build("bilateral-trade", {"h": "1000000"})
    with pytest.raises(ParameterError) as info:
        check_symbolic_sizes(candidate)
    message = str(info.value)
    assert "\n" not in message and "(x_1 + x_2)^(-1000000)" in message and "h=1000000" in message
    assert "more than the limit of 256 MiB" in message and "fits up to the exponent" in message
    # The limit is a parameter: a small one refuses what the default accepts.
    check_symbolic_sizes(build("bilateral-trade", {"h": "100"}))
    with pytest.raises(ParameterError, match="limit of 1 KiB"):
        check_symbolic_sizes(build("bilateral-trade", {"h": "100"}), limit=1024)
    assert MAX_EXPANSION_BYTES == 2**28


def test_rational_exponents_count_their_integer_part():
    x, y = sp.symbols("x y", positive=True)
    fake = SimpleNamespace(name="fake", parameter_values={}, constants=(), functions=(),
                           mechanism=SimpleNamespace(outcome=()),
                           information=SimpleNamespace(density=(("1", (x + y) ** sp.Rational(10**6 + 1, 2)),)))
    with pytest.raises(ParameterError, match=r"\(x \+ y\)\^\(1000001/2\)"):
        check_symbolic_sizes(fake)


@pytest.mark.parametrize("command", [
    ["verify", "bilateral-trade", "--param", "h=1000000"],
    ["derive", "bilateral-trade", "--param", "h=1000000", "-o", "{tmp}/trade.tex"],
])
def test_commands_stop_at_once(capsys, tmp_path, command):
    started = time.monotonic()
    code = main([part.format(tmp=tmp_path) for part in command])
    out, err = capsys.readouterr()
    assert code == 3 and out == "" and err.count("\n") == 1 and "symbolic expansion would need about" in err
    assert time.monotonic() - started < 20
    assert not (tmp_path / "trade.tex").exists()


def test_a_sweep_point_past_the_limit_is_an_error_row():
    row = run_point(BuiltinSpec("bilateral-trade"), 0, {"h": "1000000"}, SweepOptions(dps=15))
    assert row.status is PointStatus.ERROR and "symbolic expansion would need" in row.detail
