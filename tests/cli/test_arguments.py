"""Arguments are checked before any work: one line naming what is wrong, exit 3, nothing written."""
import pytest

from irmd.cli import main


@pytest.mark.parametrize("argv, needle", [
    (["verify", "common-value-auction", "--budget", "-1"], "--budget"),
    (["verify", "common-value-auction", "--budget", "nan"], "--budget"),
    (["verify", "common-value-auction", "--budget", "inf"], "--budget"),
    (["verify", "common-value-auction", "--dps", "2000"], "from 5 to 1000"),
    (["verify", "common-value-auction", "--dps", "4"], "from 5 to 1000"),
    (["verify", "common-value-auction", "--plot", "/proc/irmd-plots"], "cannot be written"),
    (["derive", "common-value-auction", "--dps", "0", "-o", "x.tex"], "--dps"),
    (["sweep", "common-value-auction", "--param", "N=1", "--plot", "x.txt"], "must end in"),
    (["sweep", "common-value-auction", "--param", "N=1", "--plot", "/proc/x.png"], "cannot be written"),
    (["sweep", "common-value-auction", "--param", "N=1", "-o", "rows.txt"], "must end in"),
    (["sweep", "common-value-auction", "--param", "N=1", "--budget", "0"], "--budget"),
    (["bounds", "common-value-auction", "--k", "3", "--plot", "x.txt"], "must end in .png"),
    (["bounds", "common-value-auction", "--k", "3", "--digits", "0"], "--digits"),
    (["bounds", "common-value-auction", "--k", "3", "--time-limit", "-5"], "--time-limit"),
    (["bounds", "common-value-auction", "--k", "3", "--dps", "10"], "unrecognized arguments: --dps"),
    (["fpa", "--n", "3", "--digits", "99"], "--digits"),
    (["new", "/tmp"], "is a folder"),
])
def test_bad_arguments_are_refused_up_front(capsys, tmp_path, monkeypatch, argv, needle):
    monkeypatch.chdir(tmp_path)
    code = main(argv)
    out, err = capsys.readouterr()
    assert code == 3, (out, err)
    assert out == "" and needle in err and len(err.strip().splitlines()) == 1, err
    assert list(tmp_path.iterdir()) == []
