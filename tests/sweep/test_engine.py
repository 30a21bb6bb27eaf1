"""Sweeps in this process (jobs=1): rows, statuses, files and plots, against known values."""
import json
from pathlib import Path

import mpmath
import pandas as pd
import pytest

from irmd.cli import main
from irmd.sweep import BuiltinSpec, FileSpec, SweepOptions, parse_axis, run_point, run_sweep

EXAMPLES = Path(__file__).resolve().parents[2] / "examples" / "tutorial"
PNG = b"\x89PNG\r\n\x1a\n"


def one_buyer_value(mu1, c=0):
    """(1 - c) e^-ybar with c (1 - e^-y) + (1 - c) y e^-y + e^-y = mu1: the costly sale (c = 0: N = 1 auction)."""
    with mpmath.workdps(30):
        mu1, c = mpmath.mpf(mu1), mpmath.mpf(c)
        f = lambda y: c * (1 - mpmath.exp(-y)) + (1 - c) * y * mpmath.exp(-y) + mpmath.exp(-y) - mu1  # noqa: E731
        ybar = mpmath.findroot(f, (mpmath.mpf("1e-9"), 60), solver="anderson")
        return (1 - c) * mpmath.exp(-ybar)


@pytest.fixture(scope="module")
def costly():
    spec = FileSpec.read(EXAMPLES / "costly_sale.py")
    return run_sweep(spec, [parse_axis("c=0..0.3:0.15"), parse_axis("mu1=0.5,0.7")], dps=20, jobs=1)


def test_rows_follow_the_grid_and_match_the_closed_form(costly):
    assert costly.engine == "this process, serially" and costly.parameters == ("c", "mu1")
    assert [dict(r.params) for r in costly.rows][:3] == [{"c": "0", "mu1": "0.5"}, {"c": "0", "mu1": "0.7"},
                                                        {"c": "0.15", "mu1": "0.5"}]
    assert costly.status == "verified" and costly.exit_code == 0 and costly.counts == {"verified": 6}
    for row in costly.rows:
        p = dict(row.params)
        with mpmath.workdps(30):
            error = abs(mpmath.mpf(row.guarantee_lower) - one_buyer_value(p["mu1"], p["c"]))
            assert error < mpmath.mpf(10) ** -19
        assert row.guarantee_lower == row.potential_upper and row.seconds > 0 and row.worker == "main"
        assert len(row.guarantee_lower.replace("0.", "", 1).lstrip("0")) == 20  # 20 significant digits


def test_frame_csv_parquet_json(costly, tmp_path):
    frame = costly.to_frame()
    assert list(frame.columns[:3]) == ["c", "mu1", "status"]
    assert frame["c"].dtype == "float64" and frame["guarantee_lower"].dtype == "float64"
    assert "ybar" in frame.columns
    csv = pd.read_csv(costly.write(tmp_path / "rows.csv"), dtype=str)
    assert csv["guarantee_lower"].tolist() == [r.guarantee_lower for r in costly.rows]  # every digit kept
    parquet = pd.read_parquet(costly.write(tmp_path / "rows.parquet"))
    assert parquet["guarantee_lower"].tolist() == pytest.approx(frame["guarantee_lower"].tolist(), rel=1e-15)
    data = json.loads(json.dumps(costly.to_dict()))
    assert data["points"] == 6 and data["status"] == "verified" and data["dps"] == 20
    assert data["rows"][0]["params"] == {"c": "0", "mu1": "0.5"} and isinstance(data["rows"][0]["seconds"], str)


def test_refuted_and_error_points_become_rows(tmp_path):
    spec = FileSpec.read(EXAMPLES / "costly_sale.py")
    # mu1 = 0.2 < c = 0.3 passes the axis check (each value is a valid number) but not the builder.
    result = run_sweep(spec, [parse_axis("c=0.3"), parse_axis("mu1=0.2,0.5")], dps=15, jobs=1)
    error, ok = result.rows
    assert error.status == "error" and "costly_sale.py, line" in error.detail and "needs 0 <= c < mu1" in error.detail
    assert ok.status == "verified"
    assert result.status == "error" and result.exit_code == 3
    guess = run_sweep(FileSpec.read(EXAMPLES / "costly_sale_guess.py"), [parse_axis("c=0,0.2")], dps=15, jobs=1)
    assert [r.status for r in guess.rows] == ["verified", "refuted"]   # c = 0 is the template itself
    refuted = guess.rows[1]
    assert "ivo.slackness" in refuted.failing and refuted.detail.startswith("ivo.slackness:")
    assert guess.exit_code == 1
    assert "refuted" in guess.table() and "ivo.slackness" in guess.table()


def test_run_point_reports_crashes_as_rows():
    class Broken:
        label = "broken"

        def build(self, params):
            raise KeyError("boom")

    row = run_point(Broken(), 7, {"a": "1"}, SweepOptions(dps=15))
    # A crash inside irmd is not bad input: the point is undecided, with the reason.
    assert row.index == 7 and row.status == "inconclusive" and "internal error (KeyError" in row.detail


def test_family_limit_is_shown_for_bilateral_zero_regime():
    result = run_sweep(BuiltinSpec("bilateral-trade"), [parse_axis("h=2.5")], dps=15, symbolic=False, jobs=1)
    row = result.rows[0]
    # numeric only, and the limit is extrapolated: confirmed at best
    assert row.status == "confirmed" and mpmath.mpf(row.potential_limit) == 0 and mpmath.mpf(row.potential_upper) > 0
    assert "(limit)" in result.table()


def test_cli_serial_with_outputs_and_plot(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    code = main(["sweep", "common-value-auction", "--param", "N=1..3", "--param", "mu1=0.3,0.5", "--jobs", "1",
                 "--dps", "15", "-o", "rows.csv", "--plot", "value.png"])
    out, err = capsys.readouterr()
    assert code == 0, err
    assert out.splitlines()[0].split()[:3] == ["N", "mu1", "status"]
    assert "6 points: 6 verified" in out and "rows written to rows.csv" in err
    assert Path("value.png").read_bytes()[:8] == PNG
    rows = pd.read_csv("rows.csv")
    n1 = rows[(rows["N"] == 1) & (rows["mu1"] == 0.5)]["guarantee_lower"].item()
    assert n1 == pytest.approx(float(one_buyer_value("0.5")), rel=1e-14)   # N = 1: e^-ybar


@pytest.mark.parametrize("argv, needle", [
    (["sweep"], "NAME or --file"),
    (["sweep", "no-such-candidate"], "unknown candidate"),
    (["sweep", "common-value-auction", "--param", "N=0..2"], "N >= 1"),
    (["sweep", "common-value-auction", "--param", "N=1..2", "--param", "N=3"], "given twice"),
    (["sweep", "common-value-auction", "-o", "rows.xlsx"], ".csv or .parquet"),
    (["sweep", "common-value-auction", "--plot", "v.jpg"], ".png"),
    (["sweep", "common-value-auction", "--plot", "no/such/dir/v.png"], "does not exist"),
    (["sweep", "common-value-auction", "--jobs", "0"], "--jobs"),
    (["sweep", "common-value-auction", "--jobs", "2", "--scheduler", "tcp://127.0.0.1:1"], "--jobs"),
    (["sweep", "--file", "absent.py"], "no such file"),
    (["sweep", "common-value-auction", "--dps", "2"], "--dps"),
])
def test_cli_bad_input_is_one_line_exit_3_before_any_work(argv, needle, capsys, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    code = main(argv)
    err = capsys.readouterr().err.strip()
    assert code == 3, err
    assert needle in err and "\n" not in err and "Traceback" not in err
