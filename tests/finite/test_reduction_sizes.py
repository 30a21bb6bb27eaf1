"""Dual reductions are sized before they are built: too large a --k is refused on one line, promptly."""
import re
import time
from pathlib import Path

import pytest

from irmd.cli import main
from irmd.errors import ParameterError
from irmd.verify.finite import load_instance
from irmd.verify.finite.sizes import check_reduction_fits, information_reduction_bytes, mechanism_reduction_bytes

EXAMPLES = Path(__file__).resolve().parents[2] / "examples" / "finite"


@pytest.mark.parametrize("name", ["fpa5.json", "binary_signals.json"])
def test_a_huge_level_is_refused_in_a_second_with_the_largest_that_fits(name, capsys):
    start = time.perf_counter()
    code = main(["reduce", str(EXAMPLES / name), "--k", "100000", "--max-memory", "1G"])
    seconds = time.perf_counter() - start
    err = capsys.readouterr().err
    assert code == 3 and seconds < 5
    assert len(err.strip().splitlines()) == 1 and "Traceback" not in err
    fitting = int(re.search(r"the largest --k that fits is (\d+)", err).group(1))
    instance = load_instance(EXAMPLES / name)
    plan = ((lambda k: mechanism_reduction_bytes(instance.env, instance.mechanism, k)) if instance.mechanism
            else (lambda K: information_reduction_bytes(instance.env, instance.information, K)))
    assert plan(fitting) <= 2**30 < plan(fitting + 1)


def test_levels_that_fit_pass_and_plans_grow_with_the_level():
    instance = load_instance(EXAMPLES / "fpa5.json")
    check_reduction_fits(instance.env, [5, 10], mechanism=instance.mechanism)
    plans = [mechanism_reduction_bytes(instance.env, instance.mechanism, k) for k in (1, 2, 4, 8, 16)]
    assert plans == sorted(plans) and plans[0] > 0
    with pytest.raises(ParameterError, match="even --k 1 does not fit"):
        check_reduction_fits(instance.env, [3], mechanism=instance.mechanism, limit=1000)


def test_a_small_reduction_still_runs(capsys):
    assert main(["reduce", str(EXAMPLES / "fpa5.json"), "--k", "3", "--max-memory", "2G"]) == 0
    assert "Theorem 1 holds" in capsys.readouterr().out
