"""Sweeps on Dask: a local cluster by default, and the same tasks on a cluster given by its address."""
import json
import logging
import shutil
import time
from pathlib import Path

import pytest

from irmd.cli import main
from irmd.errors import InputError
from irmd.sweep import BuiltinSpec, FileSpec, parse_axis, run_sweep

EXAMPLES = Path(__file__).resolve().parents[2] / "examples" / "tutorial"


@pytest.fixture(scope="module")
def cluster():
    """A cluster started by the test, standing in for a remote one: the sweep only gets its address."""
    from distributed import LocalCluster

    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address="127.0.0.1:0",
                      silence_logs=logging.ERROR, host="127.0.0.1") as cluster:
        yield cluster


def _bounds(rows):
    return [(r.params, r.status, r.guarantee_lower, r.potential_upper) for r in rows]


def test_scheduler_address_gives_the_same_rows_as_a_serial_run(cluster, capsys, tmp_path):
    # The file is copied and then removed: workers get its text with the task, never its path.
    copy = tmp_path / "costly_sale.py"
    shutil.copy(EXAMPLES / "costly_sale.py", copy)
    spec = FileSpec.read(copy)
    copy.unlink()
    axes = [parse_axis("c=0,0.2"), parse_axis("mu1=0.5,0.6")]
    remote = run_sweep(spec, axes, dps=15, scheduler=cluster.scheduler_address)
    serial = run_sweep(spec, axes, dps=15, jobs=1)
    assert _bounds(remote.rows) == _bounds(serial.rows)
    assert remote.status == "verified" and cluster.scheduler_address in remote.engine
    assert {r.worker for r in remote.rows} <= set(cluster.scheduler_info["workers"])


def test_cli_scheduler_json(cluster, capsys):
    code = main(["sweep", "common-value-auction", "--param", "N=1..3", "--param", "mu1=0.5", "--dps", "15",
                 "--scheduler", cluster.scheduler_address, "--json"])
    out, err = capsys.readouterr()
    assert code == 0, err
    data = json.loads(out)
    assert data["status"] == "verified" and data["points"] == 3 and err == ""
    assert [row["params"]["N"] for row in data["rows"]] == ["1", "2", "3"]
    assert data["rows"][1]["guarantee_lower"].startswith("0.25340585370753")   # N = 2, mu1 = 1/2
    assert data["engine"].startswith(f"Dask cluster at {cluster.scheduler_address}")


def _spin_under_budget():
    """Runs on a worker: a pure-Python loop that only the budget's asynchronous exception can stop."""
    from irmd.budget import time_budget
    from irmd.errors import BudgetExceeded

    started = time.monotonic()
    try:
        with time_budget(0.2, "spin"):
            while time.monotonic() - started < 30:
                pass
    except BudgetExceeded:
        return time.monotonic() - started
    return None


def test_symbolic_budgets_fire_inside_worker_threads(cluster):
    from distributed import Client

    with Client(cluster.scheduler_address, set_as_default=False) as client:
        stopped_after = client.submit(_spin_under_budget, pure=False).result(timeout=60)
    assert stopped_after is not None and stopped_after < 5
    # A budget far too small for any symbolic step: every claim falls back to numerics (confirmed, never
    # verified), nothing hangs.
    result = run_sweep(BuiltinSpec("common-value-auction"), [parse_axis("N=2")], dps=15, budget_seconds=0.01,
                       scheduler=cluster.scheduler_address)
    row = result.rows[0]
    assert row.status == "confirmed" and row.guarantee_lower.startswith("0.25340585370753")


def test_unreachable_scheduler_is_bad_input_not_a_hang():
    started = time.monotonic()
    with pytest.raises(InputError, match="cannot reach the Dask scheduler at tcp://127.0.0.1:9"):
        run_sweep(BuiltinSpec("common-value-auction"), [], dps=15, scheduler="tcp://127.0.0.1:9", connect_timeout=2)
    assert time.monotonic() - started < 30


def test_a_workers_address_is_not_a_scheduler(cluster, capsys):
    worker = next(iter(cluster.scheduler_info["workers"]))
    started = time.monotonic()
    code = main(["sweep", "common-value-auction", "--param", "N=1", "--dps", "15", "--scheduler", worker])
    out, err = capsys.readouterr()
    assert code == 3 and out == "" and err == f"irmd: error: {worker} is a Dask Worker, not a scheduler (give the " \
        "scheduler's address, as `dask scheduler` prints it)\n"
    assert time.monotonic() - started < 15


def test_default_engine_is_a_local_cluster_of_processes(capsys):
    code = main(["sweep", "common-value-auction", "--param", "N=1..4", "--dps", "15", "--numeric", "--jobs", "2",
                 "--json"])
    out, err = capsys.readouterr()
    assert code == 4, err   # --numeric: every point confirmed, none proved
    data = json.loads(out)
    assert data["engine"] == "local Dask cluster, 2 worker processes"
    assert all(row["worker"].startswith("tcp://127.0.0.1:") for row in data["rows"])
    serial = run_sweep(BuiltinSpec("common-value-auction"), [parse_axis("N=1..4")], dps=15, symbolic=False, jobs=1)
    assert [row["guarantee_lower"] for row in data["rows"]] == [r.guarantee_lower for r in serial.rows]


def _workers(pid: int) -> list[int]:
    """Live Dask worker processes (multiprocessing spawn children) of ``pid``."""
    out = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
                command = (entry / "cmdline").read_bytes()
            except OSError:
                continue
            if int(fields[1]) == pid and fields[0] != "Z" and b"spawn_main" in command:
                out.append(int(entry.name))
    return out


def _alive(pid: int) -> bool:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


@pytest.mark.slow
@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="needs /proc to find the worker processes")
def test_ctrl_c_stops_the_local_cluster_with_one_line():
    import os
    import signal
    import subprocess
    import sys

    # Ctrl-C in a terminal signals the whole process group: the command and its worker processes.
    proc = subprocess.Popen([sys.executable, "-m", "irmd", "sweep", "common-value-auction", "--param", "N=1..40",
                             "--jobs", "2"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            start_new_session=True, preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline and len(_workers(proc.pid)) < 2:
        time.sleep(0.5)
    time.sleep(3)
    workers = _workers(proc.pid)
    assert len(workers) == 2
    os.killpg(proc.pid, signal.SIGINT)
    out, err = proc.communicate(timeout=120)
    assert proc.returncode == 130 and err == "irmd: interrupted\n", err
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline and any(_alive(pid) for pid in workers):
        time.sleep(0.5)
    assert not [pid for pid in workers if _alive(pid)]
