"""``irmd bounds`` as a user runs it."""
import json

import pytest

from irmd.cli import main


def run(capsys, *argv):
    code = main(["bounds", *argv])
    out, err = capsys.readouterr()
    return code, out, err


def test_single_k_prints_both_bounds_and_the_order(capsys):
    code, out, _ = run(capsys, "common-value-auction", "--k", "3")
    assert code == 0
    assert "guarantee (19)" in out and "potential (18)" in out
    assert "lower <= analytic <= upper: holds" in out
    assert "peak memory" in out


def test_json_is_exactly_the_result_with_decimal_strings(capsys):
    code, out, _ = run(capsys, "bilateral-trade", "--k", "3", "--json")
    data = json.loads(out)
    assert code == 0 and data["exit_code"] == 0
    assert isinstance(data["lower"], str) and float(data["lower"]) <= float(data["analytic"]) <= float(data["upper"])
    assert data["order"]["order"] == "holds"
    assert data["guarantee"]["status"] == "optimal"
    assert {k: data["source"]["params"][k] for k in ("h", "g", "mu")} == {"h": "3/2", "g": "1", "mu": "1/2"}


def test_sweep_prints_a_table_and_extrapolations_and_plots(capsys, tmp_path):
    png = tmp_path / "sweep.png"
    code, out, _ = run(capsys, "common-value-auction", "--param", "N=1", "--k", "2,4", "--plot", str(png))
    assert code == 0
    assert "Richardson" in out and "extrapolations are estimates" in out
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_heatmaps_for_one_k(capsys, tmp_path):
    png = tmp_path / "maps.png"
    code, _, _ = run(capsys, "bilateral-trade", "--k", "3", "--plot", str(png), "--tie-break", "smooth")
    assert code == 0 and png.stat().st_size > 10_000


def test_too_small_t_max_exits_1_and_blames_t_max(capsys):
    code, out, _ = run(capsys, "common-value-auction", "--k", "4", "--t-max", "0.1")
    assert code == 1
    assert "violated: invalid t_max" in out and "raise t_max" in out
    assert "warning: t_max = 0.1 binds" in out


def test_free_transfers_in_the_potential_program_are_a_one_line_error(capsys):
    code, out, err = run(capsys, "common-value-auction", "--k", "3", "--t-max", "free")
    assert code == 3 and out == ""
    assert err.count("\n") == 1 and "pass a finite t_max" in err


@pytest.mark.parametrize("argv, needle", [
    (["common-value-auction", "--k", "0"], "argument --k: expected positive integers"),
    (["common-value-auction", "--k", "four"], "argument --k: expected positive integers"),
    (["common-value-auction", "--k", "4", "--t-max", "-1"], "--t-max must be a positive number"),
    (["common-value-auction", "--k", "4", "--t-max", "0"], "--t-max must be a positive number"),
    (["no-such-thing", "--k", "4"], "unknown candidate"),
    (["common-value-auction", "--k", "4", "--param", "N=0"], "N"),
    (["common-value-auction", "--k", "4", "--param", "colour=red"], "colour"),
    (["common-value-auction", "--k", "4", "--param", "N"], "KEY=VALUE"),
    (["common-value-auction", "--k", "4", "--top", "1/3"], "multiple of 1/k"),
])
def test_bad_input_is_one_line_and_exit_3(capsys, argv, needle):
    code, out, err = run(capsys, *argv)
    assert code == 3
    assert needle in err and err.count("\n") == 1 and "Traceback" not in err


@pytest.mark.parametrize("ks", [("3,4",), ("3", "4"), ("4,3", "3")])
def test_a_list_of_k_is_written_either_way_and_without_repeats(capsys, ks):
    code, out, _ = run(capsys, "common-value-auction", "--k", *ks, "--programs", "guarantee", "--json")
    assert code == 0
    assert [row["k"] for row in json.loads(out)["results"]] == [3, 4]


@pytest.mark.parametrize("k", ["0", "-2", "3,x", "2.5"])
def test_a_bad_k_is_rejected_before_any_work(capsys, k):
    code, out, err = run(capsys, "common-value-auction", "--k", k)
    assert code == 3 and out == "" and len(err.strip().splitlines()) == 1 and "--k" in err


@pytest.mark.parametrize("program, missing", [("potential", "lower"), ("guarantee", "upper")])
def test_one_program_prints_its_end_and_names_the_other_as_missing(capsys, program, missing):
    code, out, _ = run(capsys, "common-value-auction", "--k", "3", "--programs", program)
    assert code == 0, out
    assert f"(no certified {missing} end)" in out
