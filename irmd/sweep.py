r"""Sweeps: verify one candidate at every point of a parameter grid, in parallel with Dask.

A sweep is a candidate source (a built-in name, or a candidate file) and one
axis per parameter; the grid is their Cartesian product, in the order given.
Axes are written as on the command line (:func:`parse_axis`):

``N=1..50``            the integers 1, 2, ..., 50 (both ends included)
``mu1=0.1,0.5,0.9``    a list (items may themselves be ranges: ``N=1..4,8,16``)
``c=0..0.4:0.1``       exact steps: 0, 1/10, ..., 2/5 (the end when a step lands on it)
``mu1=1/2``            a single value (a fixed parameter)

Numbers are read exactly (``0.1`` is 1/10), and every value is validated before
any work starts, so a typo is bad input (exit code 3), not a column of errors.

Each point runs :func:`run_point` -- build the candidate, :func:`irmd.verify.verify`
it, summarise the certificate in a :class:`SweepRow` -- on a Dask cluster:

* by default a local cluster of worker *processes* (``LocalCluster``, one
  thread each, ``jobs`` of them, default the number of CPUs), started and
  stopped by the sweep, so nothing needs starting beforehand;
* ``scheduler="tcp://scheduler-host:8786"``: an existing cluster; the tasks are the same.
  Workers there need irmd installed; a candidate file travels with the task (its
  text, not its path), so it need not exist on the workers.  An address where no
  Dask scheduler answers (nothing listening, another protocol, silence, a
  worker's address) is bad input within :data:`CONNECT_TIMEOUT` seconds;
* ``jobs=1``: in this process, one point after another (no cluster).

irmd's symbolic time budgets work in worker threads (:mod:`irmd.budget`), so a
point never hangs a worker.  A point that fails -- an invalid value that only
the builder detects, a file that raises, a crash -- becomes a row with status
:attr:`PointStatus.ERROR` and the one-line reason; the other points still run.

>>> from irmd.sweep import BuiltinSpec, parse_axis, run_sweep
>>> result = run_sweep(BuiltinSpec("common-value-auction"), [parse_axis("N=1..2")], dps=15, jobs=1)
>>> [row.status.value for row in result.rows]
['verified', 'verified']
"""
from __future__ import annotations

import asyncio
import contextlib
import logging
import math
import os
import signal
import socket
import struct
import threading
import time
import uuid
from dataclasses import dataclass, field
from fractions import Fraction
from itertools import product
from typing import Callable, Mapping, Sequence

import dask
import mpmath
import msgpack
import pandas as pd
import sympy as sp
from distributed import Client, LocalCluster, as_completed, get_worker
from distributed.comm import connect as dask_connect
from distributed.comm.addressing import parse_address, parse_host_port
from distributed.comm.registry import get_backend

from irmd.analytic import library
from irmd.verify import verify

from .candidate_files import check_symbolic_sizes, load_candidate_source, read_candidate_file
from .errors import InputError, ParameterError
from .numbers import decimal_string, parse_exact
from .status import WEAKEST_FIRST, PointStatus, Verdict

#: Largest number of points in one sweep (a guard against typos such as N=1..10000000).
MAX_POINTS = 100_000
#: Seconds to wait for a remote scheduler before giving up.
CONNECT_TIMEOUT = 10.0
#: Largest first message accepted from a scheduler while probing it.  A Dask handshake is about
#: 60 bytes; a server of another protocol gives text whose first 8 bytes read as an absurd length.
_HANDSHAKE_BYTES = 1 << 16


Progress = Callable[[int, int, "SweepRow"], None]


# ---------------------------------------------------------------------- axes
@dataclass(frozen=True)
class Axis:
    """One swept parameter and its values (exact texts, in order, without repeats)."""

    name: str
    values: tuple[str, ...]

    def __post_init__(self):
        if not self.values:
            raise ParameterError(f"parameter {self.name}: no values")


def exact_text(value) -> str:
    """The canonical text of an exact number: ``3``, ``0.1``, ``1/3`` (decimal when it terminates)."""
    value = parse_exact(value)
    if value.is_Integer:
        return str(value)
    q = int(value.q)
    while q % 2 == 0:
        q //= 2
    while q % 5 == 0:
        q //= 5
    if q != 1:
        return f"{value.p}/{value.q}"
    digits = 0
    while (value * 10**digits).q != 1:
        digits += 1
    scaled = int(value * 10**digits)
    sign = "-" if scaled < 0 else ""
    whole, frac = divmod(abs(scaled), 10**digits)
    return f"{sign}{whole}.{frac:0{digits}d}"


def _range(text: str, name: str) -> list[str]:
    body, _, step_text = text.partition(":")
    start_text, _, stop_text = body.partition("..")
    what = f"parameter {name}"
    start, stop = parse_exact(start_text, what), parse_exact(stop_text, what)
    if step_text:
        step = parse_exact(step_text, f"{what} step")
        if step <= 0:
            raise ParameterError(f"{what}: the step of {text!r} must be positive")
    else:
        if not (start.is_Integer and stop.is_Integer):
            raise ParameterError(f"{what}: {text!r} needs integer ends, or a step (START..STOP:STEP)")
        step = sp.Integer(1)
    if stop < start:
        raise ParameterError(f"{what}: the range {text!r} is empty (STOP < START)")
    count = int(sp.floor((stop - start) / step)) + 1
    if count > MAX_POINTS:
        raise ParameterError(f"{what}: {text!r} has {count} values, more than {MAX_POINTS}")
    return [exact_text(start + k * step) for k in range(count)]


def parse_axis(text: str, numeric: bool = True) -> Axis:
    """An :class:`Axis` from ``NAME=VALUES`` (see the module docstring).

    With ``numeric=False`` (text or true/false parameters of a candidate file)
    the values are split at commas and kept as written.
    """
    name, sep, values = str(text).partition("=")
    name, values = name.strip(), values.strip()
    if not sep or not name or not values:
        raise ParameterError(f"--param expects NAME=VALUES (e.g. N=1..50 or mu1=0.1,0.5), got {text!r}")
    out: list[str] = []
    for item in values.split(","):
        item = item.strip()
        if not item:
            raise ParameterError(f"parameter {name}: empty value in {values!r}")
        if not numeric:
            out.append(item)
        elif ".." in item:
            out.extend(_range(item, name))
        else:
            out.append(exact_text(parse_exact(item, f"parameter {name}")))
        if len(out) > MAX_POINTS:
            raise ParameterError(f"parameter {name}: more than {MAX_POINTS} values")
    unique = tuple(dict.fromkeys(out))
    return Axis(name, unique)


def grid(axes: Sequence[Axis]) -> list[dict[str, str]]:
    """The points of the grid (Cartesian product, first axis slowest)."""
    names = [a.name for a in axes]
    if len(set(names)) != len(names):
        duplicate = next(n for n in names if names.count(n) > 1)
        raise ParameterError(f"parameter {duplicate} given twice")
    total = math.prod(len(a.values) for a in axes)
    if total > MAX_POINTS:
        raise ParameterError(f"the grid has {total} points, more than {MAX_POINTS}")
    return [dict(zip(names, values)) for values in product(*(a.values for a in axes))]


# ---------------------------------------------------------------------- candidate sources
@dataclass(frozen=True)
class BuiltinSpec:
    """A built-in candidate, by name (picklable: it is what a worker receives)."""

    name: str

    @property
    def label(self) -> str:
        return self.name

    def _builtin(self):
        return library.get(self.name)

    def parameter_kinds(self) -> dict[str, str]:
        return {p.name: p.kind for p in self._builtin().parameters}

    def validate(self, name: str, text: str) -> None:
        builtin = self._builtin()
        for p in builtin.parameters:
            if p.name == name:
                p.parse(text)
                return
        raise ParameterError(f"unknown parameter {name!r} for {self.name}; parameters are "
                             f"{sorted(p.name for p in builtin.parameters)}")

    def build(self, params: Mapping[str, str]):
        return library.build(self.name, params)


@dataclass(frozen=True)
class FileSpec:
    """A candidate file, carried as its text so that remote workers need not share a file system."""

    path: str
    source: bytes = field(repr=False)

    @staticmethod
    def read(path) -> "FileSpec":
        display, source = read_candidate_file(path)
        return FileSpec(display, source)

    @property
    def label(self) -> str:
        return self.path

    def _file(self):
        return load_candidate_source(self.path, self.source, cache=True)

    def parameter_kinds(self) -> dict[str, str]:
        return {p.name: p.kind for p in self._file().parameters}

    def validate(self, name: str, text: str) -> None:
        self._file().parameter(name).parse(text)

    def build(self, params: Mapping[str, str]):
        return self._file().build(params)


# ---------------------------------------------------------------------- one point
@dataclass(frozen=True)
class SweepOptions:
    """What every point is verified with (see :func:`irmd.verify.verify`)."""

    dps: int = 50
    symbolic: bool = True
    budget_seconds: float | None = 120.0


@dataclass(frozen=True)
class SweepRow:
    """One point of a sweep: parameters, status, bounds (decimal strings at ``dps``), time.

    ``failing`` names the checks that were refuted or inconclusive and ``detail``
    says why (the first such check's detail, or the error).  ``seconds`` is the
    time to build and verify the candidate, on ``worker``.
    """

    index: int
    params: tuple[tuple[str, str], ...]
    status: PointStatus
    guarantee_lower: str | None = None
    potential_upper: str | None = None
    potential_limit: str | None = None
    gap: str | None = None
    headline: tuple[tuple[str, str], ...] = ()
    failing: tuple[str, ...] = ()
    detail: str = ""
    seconds: float = 0.0
    worker: str = ""

    def to_dict(self) -> dict:
        return {"params": dict(self.params), "status": self.status.value, "guarantee_lower": self.guarantee_lower,
                "potential_upper": self.potential_upper, "potential_upper_limit": self.potential_limit,
                "gap": self.gap, **dict(self.headline), "failing": list(self.failing), "detail": self.detail,
                "seconds": f"{self.seconds:.3f}", "worker": self.worker}


def _worker_name() -> str:
    try:
        return str(get_worker().address)
    except ValueError:  # not inside a Dask worker
        return "main"


def _row_from_certificate(index, params, certificate, seconds, worker) -> SweepRow:
    dps = certificate.dps
    number = lambda v: None if v is None else decimal_string(v, dps)  # noqa: E731
    gap = None
    upper = certificate.potential_limit if certificate.potential_limit is not None else certificate.potential_upper
    if certificate.guarantee_lower is not None and upper is not None:
        with mpmath.workdps(dps + 10):
            gap = decimal_string(mpmath.mpf(upper) - mpmath.mpf(certificate.guarantee_lower), 6)
    failing = certificate.failing
    detail = f"{failing[0].name}: {failing[0].detail}" if failing else ""
    if not failing and certificate.status is Verdict.CONFIRMED and certificate.numeric_only:
        detail = f"numeric evidence only: {certificate.numeric_only[0]}"
    return SweepRow(index, tuple(params.items()), PointStatus(certificate.status.value),
                    number(certificate.guarantee_lower),
                    number(certificate.potential_upper), number(certificate.potential_limit), gap,
                    tuple((k, decimal_string(v, dps)) for k, v in certificate.headline.items()),
                    tuple(c.name for c in failing), " ".join(detail.split()), seconds, worker)


def run_point(spec, index: int, params: Mapping[str, str], options: SweepOptions) -> SweepRow:
    """Build and verify the candidate at one point; never raises for a failing point (status ``error``)."""
    params = dict(params)
    started = time.monotonic()
    worker = _worker_name()
    try:
        candidate = spec.build(params)
        check_symbolic_sizes(candidate)  # a point whose expansion would not fit is bad input, not a crash
        certificate = verify(candidate, dps=options.dps, symbolic=options.symbolic,
                             budget_seconds=options.budget_seconds)
    except InputError as error:
        return SweepRow(index, tuple(params.items()), PointStatus.ERROR, detail=" ".join(str(error).split()),
                        seconds=time.monotonic() - started, worker=worker)
    except Exception as error:  # noqa: BLE001 - one crashing point must not end the sweep
        # A crash inside irmd is not the user's fault: the point is undecided, not bad input.
        return SweepRow(index, tuple(params.items()), PointStatus.INCONCLUSIVE,
                        detail=f"internal error ({type(error).__name__}: {' '.join(str(error).split())}); "
                               "please report",
                        seconds=time.monotonic() - started, worker=worker)
    return _row_from_certificate(index, params, certificate, time.monotonic() - started, worker)


# ---------------------------------------------------------------------- results
@dataclass(frozen=True)
class SweepResult:
    """All rows of a sweep (in grid order) with what produced them."""

    candidate: str
    parameters: tuple[str, ...]
    options: SweepOptions
    rows: tuple[SweepRow, ...]
    engine: str
    elapsed: float

    @property
    def counts(self) -> dict[str, int]:
        """Number of points per status (statuses that occur), verified first."""
        found = {s.value: sum(r.status is s for r in self.rows) for s in reversed(WEAKEST_FIRST)}
        return {s: n for s, n in found.items() if n}

    @property
    def status(self) -> PointStatus:
        """The weakest point: error, then refuted, inconclusive, confirmed, else verified."""
        statuses = {r.status for r in self.rows}
        return next((s for s in WEAKEST_FIRST if s in statuses), PointStatus.VERIFIED)

    @property
    def exit_code(self) -> int:
        """3 bad input at a point, else 1 refuted / 2 inconclusive / 4 confirmed / 0 all verified."""
        return self.status.exit_code

    def to_dict(self) -> dict:
        return {"candidate": self.candidate, "parameters": list(self.parameters), "dps": self.options.dps,
                "symbolic": self.options.symbolic, "status": self.status.value, "counts": self.counts,
                "points": len(self.rows), "engine": self.engine, "elapsed": f"{self.elapsed:.3f}",
                "rows": [r.to_dict() for r in self.rows]}

    def to_frame(self, numeric: bool = True):
        """A pandas DataFrame, one row per point.

        ``numeric=True``: parameters and bounds as float64 (integer parameters as
        int64), for analysis and plots -- about 16 digits.  ``numeric=False``:
        the exact texts (decimal strings at ``dps`` digits), as the CSV file has them.
        """
        headline = sorted({k for r in self.rows for k, _ in r.headline})
        records = []
        for r in self.rows:
            record = dict(r.params)
            record.update(status=r.status.value, guarantee_lower=r.guarantee_lower, potential_upper=r.potential_upper,
                          potential_upper_limit=r.potential_limit, gap=r.gap)
            h = dict(r.headline)
            record.update({k: h.get(k) for k in headline})
            record.update(failing=";".join(r.failing), detail=r.detail, seconds=round(r.seconds, 3),
                          worker=r.worker)
            records.append(record)
        frame = pd.DataFrame.from_records(records, columns=list(self.parameters) + [
            "status", "guarantee_lower", "potential_upper", "potential_upper_limit", "gap", *headline,
            "failing", "detail", "seconds", "worker"])
        if not numeric:
            return frame
        for name in self.parameters:
            frame[name] = _numeric_column(frame[name])
        for name in ("guarantee_lower", "potential_upper", "potential_upper_limit", "gap", *headline):
            frame[name] = pd.to_numeric(frame[name], errors="coerce").astype("float64")
        return frame

    def write(self, path) -> str:
        """Write the rows to ``path``: ``.csv`` (exact decimal strings) or ``.parquet`` (float64 columns)."""
        path = str(path)
        suffix = os.path.splitext(path)[1].lower()
        if suffix not in (".csv", ".parquet"):
            raise InputError(f"-o {path}: the file must end in .csv or .parquet")
        try:
            if suffix == ".csv":
                self.to_frame(numeric=False).to_csv(path, index=False)
            else:
                self.to_frame(numeric=True).to_parquet(path, index=False)
        except OSError as error:
            raise InputError(f"cannot write {path}: {error.strerror or error}") from None
        return path

    def table(self, digits: int = 12) -> str:
        """A plain-text table, one line per point, for the terminal."""
        headers = list(self.parameters) + ["status", "guarantee_lower", "potential_upper", "seconds", "failing / error"]
        lines = []
        for r in self.rows:
            params = dict(r.params)
            # Failing checks by name (their details are in the JSON and the files); errors in full.
            note = ", ".join(r.failing) if r.failing else (r.detail if r.status is not PointStatus.VERIFIED else "")
            if len(note) > 120:
                note = note[:117] + "..."
            upper = _short(r.potential_upper, digits)
            if r.potential_limit is not None:  # a family (bilateral trade's eps): the claim is about the limit
                upper = f"{_short(r.potential_limit, digits)} (limit)"
            lines.append([params.get(p, "") for p in self.parameters] + [
                r.status.value, _short(r.guarantee_lower, digits), upper, f"{r.seconds:.2f}", note])
        widths = [max(len(h), *(len(line[i]) for line in lines)) if lines else len(h)
                  for i, h in enumerate(headers)]
        out = ["  ".join(h.ljust(w) for h, w in zip(headers, widths)).rstrip()]
        out += ["  ".join(c.ljust(w) for c, w in zip(line, widths)).rstrip() for line in lines]
        counts = ", ".join(f"{n} {s}" for s, n in self.counts.items())
        points = f"{len(self.rows)} point{'s' if len(self.rows) != 1 else ''}"
        out.append(f"{points}: {counts} in {self.elapsed:.1f} s ({self.engine})")
        return "\n".join(out)


def _short(text: str | None, digits: int) -> str:
    if text is None:
        return "-"
    if text in ("inf", "-inf", "nan"):
        return text
    return mpmath.nstr(mpmath.mpf(text), digits)


def _numeric_column(column):
    values = [parse_exact(v) if _is_number(v) else None for v in column]
    if any(v is None for v in values):
        return column  # a text parameter stays text
    if all(v.is_Integer for v in values):
        return pd.Series([int(v) for v in values], index=column.index, dtype="int64")
    return pd.Series([float(Fraction(int(v.p), int(v.q))) for v in values], index=column.index, dtype="float64")


def _is_number(text) -> bool:
    try:
        parse_exact(text)
    except InputError:
        return False
    return True


# ---------------------------------------------------------------------- running
def prepare(spec, axes: Sequence[Axis]) -> list[dict[str, str]]:
    """Validate every value of every axis against the candidate's parameters; the grid's points."""
    points = grid(axes)
    for axis in axes:
        for value in axis.values:
            spec.validate(axis.name, value)
    return points


def run_sweep(spec, axes: Sequence[Axis], *, dps: int = 50, symbolic: bool = True,
              budget_seconds: float | None = 120.0, jobs: int | None = None, scheduler: str | None = None,
              client=None, progress: Progress | None = None,
              connect_timeout: float = CONNECT_TIMEOUT) -> SweepResult:
    """Verify ``spec`` at every point of the grid of ``axes``.

    Parameters
    ----------
    spec : BuiltinSpec or FileSpec
    axes : sequence of Axis
        From :func:`parse_axis`; an empty sequence is the single default point.
    dps, symbolic, budget_seconds
        Passed to :func:`irmd.verify.verify` at every point.
    jobs : int, optional
        Worker processes of the local cluster (default: the number of CPUs,
        at most the number of points); ``1`` runs in this process.
    scheduler : str, optional
        Address of a running Dask scheduler (``tcp://scheduler-host:8786``) to use instead.
    client : distributed.Client, optional
        An existing client (it is left open).
    progress : callable, optional
        ``progress(done, total, row)`` after every finished point.

    Returns
    -------
    SweepResult
        Rows in grid order.
    """
    if isinstance(dps, bool) or not isinstance(dps, int) or dps < 5:
        raise InputError(f"dps must be an integer >= 5, got {dps!r}")
    if jobs is not None and (isinstance(jobs, bool) or not isinstance(jobs, int) or jobs < 1):
        raise InputError(f"--jobs must be a positive integer, got {jobs!r}")
    if jobs is not None and (scheduler is not None or client is not None):
        raise InputError("--jobs sets the size of the local cluster; with --scheduler the cluster's workers decide")
    points = prepare(spec, axes)
    options = SweepOptions(dps, symbolic, budget_seconds)
    parameters = tuple(a.name for a in axes)
    started = time.monotonic()
    report = progress or (lambda done, total, row: None)
    if client is not None:
        rows = _on_client(client, spec, points, options, report)
        engine = f"Dask cluster at {client.scheduler.address}"
    elif scheduler is not None:
        client = _connect(scheduler, connect_timeout)
        try:
            workers = len(client.scheduler_info().get("workers", {}))
            rows = _on_client(client, spec, points, options, report)
        finally:
            client.close()
        engine = f"Dask cluster at {scheduler}, {workers} worker(s)"
    else:
        jobs = max(1, min(jobs or os.cpu_count() or 1, len(points)))
        if jobs == 1:
            rows = _serial(spec, points, options, report)
            engine = "this process, serially"
        else:
            rows = _local_cluster(jobs, spec, points, options, report)
            engine = f"local Dask cluster, {jobs} worker processes"
    rows = tuple(sorted(rows, key=lambda r: r.index))
    return SweepResult(spec.label, parameters, options, rows, engine, time.monotonic() - started)


def _serial(spec, points, options, report) -> list[SweepRow]:
    rows = []
    for index, params in enumerate(points):
        rows.append(run_point(spec, index, params, options))
        report(len(rows), len(points), rows[-1])
    return rows


def _connect(address: str, timeout: float):
    """A client of the scheduler at ``address``, or one line (InputError) within about ``timeout`` seconds.

    Dask's own connect bounds only the TCP connection, not the handshake after it: a server that
    accepts and says nothing hangs it, and one of another protocol has its first bytes read as a
    frame length (an allocation of exabytes).  So a ``tcp://`` address is first probed with a
    bounded handshake of our own (:func:`_probe_scheduler`); the client then connects with Dask's
    connect timeout set to what is left, in a config context (never globally).
    """
    deadline = time.monotonic() + timeout
    problem = f"cannot reach the Dask scheduler at {address} within {timeout:g} s"
    try:
        scheme, location = parse_address(address)
    except ValueError as error:
        raise InputError(f"--scheduler {address}: not an address ({' '.join(str(error).split())[:200]}); "
                         "expected tcp://HOST:PORT") from None
    try:
        get_backend(scheme)
    except ValueError as error:
        raise InputError(f"--scheduler {address}: {' '.join(str(error).split())[:200]}") from None
    if scheme == "tcp":
        _probe_scheduler(address, location, deadline, problem)
    # A Dask server that is not a scheduler (a worker's or a nanny's address) fails inside Client's
    # start, which then hangs 20 s in its own clean-up: ask it what it is first.
    kind = _identity(address, deadline, problem)
    if kind != "Scheduler":
        raise InputError(f"{address} is a Dask {kind or 'server'}, not a scheduler (give the scheduler's "
                         "address, as `dask scheduler` prints it)")
    left = max(deadline - time.monotonic(), 1.0)
    try:
        with dask.config.set({"distributed.comm.timeouts.connect": f"{left}s"}):
            return Client(address, timeout=left, set_as_default=False)
    except (OSError, TimeoutError, ValueError, MemoryError) as error:
        raise InputError(f"{problem} ({' '.join(str(error).split())[:200]})") from None


def _identity(address: str, deadline: float, problem: str) -> str | None:
    """The ``type`` a Dask server at ``address`` gives for itself (``Scheduler``, ``Worker``, ...)."""

    async def ask():
        comm = await dask_connect(address, timeout=max(deadline - time.monotonic(), 0.01))
        try:
            await comm.write({"op": "identity", "reply": True})
            return await comm.read()
        finally:
            comm.abort()

    async def bounded():
        return await asyncio.wait_for(ask(), max(deadline - time.monotonic(), 0.01))

    answer: list = []

    def run():
        # A thread of its own: the caller may already run an event loop (a notebook).
        try:
            answer.append(asyncio.run(bounded()))
        except BaseException as error:  # noqa: BLE001 - reported below, in the caller's thread
            answer.append(error)

    thread = threading.Thread(target=run, name="irmd: scheduler identity", daemon=True)
    thread.start()
    thread.join(max(deadline - time.monotonic(), 0.0) + 1.0)
    if not answer:
        raise InputError(f"{problem} (no answer to a Dask identity request)")
    if isinstance(answer[0], BaseException):
        error = answer[0]
        if isinstance(error, asyncio.TimeoutError):
            raise InputError(f"{problem} (no answer to a Dask identity request)")
        raise InputError(f"{problem} ({type(error).__name__}: {' '.join(str(error).split())[:200]})")
    info = answer[0]
    return str(info.get("type")) if isinstance(info, dict) and info.get("type") else None


def _probe_scheduler(address: str, location: str, deadline: float, problem: str) -> None:
    """Check that a Dask endpoint answers at ``location`` (host:port) before ``deadline``; else InputError.

    A Dask server speaks first: 8 bytes giving the length of a message of frames, whose first frame
    is a msgpack mapping (``compression``, ``python``, ``pickle-protocol``).  Its handshake is
    answered in kind, so the scheduler sees an ordinary client that connected and left.
    """
    try:
        host, port = parse_host_port(location, 8786)
    except ValueError as error:
        raise InputError(f"--scheduler {address}: {' '.join(str(error).split())[:200]}") from None
    # A name lookup has no timeout of its own: it runs in a thread that is waited for until the deadline.
    found: list = []

    def lookup():
        try:
            found.append(socket.getaddrinfo(host, port, type=socket.SOCK_STREAM))
        except OSError as error:
            found.append(error)

    thread = threading.Thread(target=lookup, name="irmd: scheduler name lookup", daemon=True)
    thread.start()
    thread.join(max(deadline - time.monotonic(), 0.0))
    if not found:
        raise InputError(f"{problem} (no answer for the name {host})")
    if isinstance(found[0], OSError):
        raise InputError(f"{problem} (unknown host {host}: {found[0].strerror or found[0]})")
    family, kind, proto, _, where = found[0][0]
    try:
        with socket.socket(family, kind, proto) as sock:
            sock.settimeout(max(deadline - time.monotonic(), 0.01))
            try:
                sock.connect(where)
            except socket.timeout:
                raise InputError(f"{problem} (no connection)") from None
            header = _receive(sock, 8, deadline)
            if header is None:
                raise InputError(f"{problem}: something accepted the connection but sent no Dask handshake "
                                 "(is it a Dask scheduler?)")
            (length,) = struct.unpack("<Q", header)
            body = _receive(sock, length, deadline) if 16 <= length <= _HANDSHAKE_BYTES else None
            info = _handshake(body) if body is not None else None
            if info is None:
                raise InputError(f"{address} answered, but not as a Dask scheduler (check the host and port)")
            reply = msgpack.packb({"compression": None, "python": list(info.get("python", [3])),
                                   "pickle-protocol": info.get("pickle-protocol", 5)}, use_bin_type=True)
            frames = struct.pack("<QQ", 1, len(reply)) + reply
            sock.sendall(struct.pack("<Q", len(frames)) + frames)
    except OSError as error:
        raise InputError(f"{problem} ({error.strerror or error})") from None


def _receive(sock, count: int, deadline: float) -> bytes | None:
    """Exactly ``count`` bytes from ``sock`` before ``deadline``, or None (closed, or too slow)."""
    data = bytearray()
    while len(data) < count:
        left = deadline - time.monotonic()
        if left <= 0:
            return None
        sock.settimeout(left)
        try:
            chunk = sock.recv(min(count - len(data), 1 << 16))
        except socket.timeout:
            return None
        if not chunk:
            return None
        data += chunk
    return bytes(data)


def _handshake(body: bytes) -> dict | None:
    """The handshake mapping of a Dask message of frames, or None if ``body`` is not one."""
    (frames,) = struct.unpack_from("<Q", body)
    if not 1 <= frames <= 64 or len(body) < 8 * (frames + 1):
        return None
    lengths = struct.unpack_from(f"<{frames}Q", body, 8)
    if sum(lengths) != len(body) - 8 * (frames + 1):
        return None
    start = 8 * (frames + 1)
    try:
        info = msgpack.unpackb(body[start:start + lengths[0]], raw=False)
    except Exception:  # noqa: BLE001 - any undecodable bytes: not Dask
        return None
    if not isinstance(info, dict) or "pickle-protocol" not in info:
        return None
    return info


@contextlib.contextmanager
def _children_ignore_ctrl_c():
    """Start worker processes with SIGINT ignored (the disposition survives their exec).

    Ctrl-C in a terminal reaches the whole process group; the workers would each
    print a KeyboardInterrupt traceback.  With SIGINT ignored in them, only this
    process sees it, and closing the cluster stops them.
    """
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)


def _local_cluster(jobs, spec, points, options, report) -> list[SweepRow]:
    # One thread per worker process: the points are CPU-bound Python (sympy, mpmath).
    # The scheduler always serves HTTP (health routes, the dashboard when bokeh is installed):
    # on a free local port, never 8787 on every interface.
    with _children_ignore_ctrl_c():
        # Workers' own logs stay out of the command's output: a failing point is reported in its
        # row, and while the cluster shuts down (after Ctrl-C) their heartbeats fail by design.
        cluster = LocalCluster(n_workers=jobs, threads_per_worker=1, processes=True,
                               dashboard_address="127.0.0.1:0", silence_logs=logging.CRITICAL, host="127.0.0.1")
    with cluster, Client(cluster, set_as_default=False) as client:
        return _on_client(client, spec, points, options, report)


def _on_client(client, spec, points, options, report) -> list[SweepRow]:
    tag = uuid.uuid4().hex[:8]
    futures = {}
    for index, params in enumerate(points):
        future = client.submit(run_point, spec, index, params, options, pure=False, key=f"irmd-sweep-{tag}-{index}")
        futures[future] = (index, params)
    rows = []
    try:
        for future in as_completed(list(futures), loop=client.loop):
            index, params = futures[future]
            try:
                row = future.result()
            except Exception as error:  # noqa: BLE001 - a lost worker or unpicklable result: that point only
                row = SweepRow(index, tuple(params.items()), PointStatus.ERROR,
                               detail=f"the cluster could not run this point ({type(error).__name__}: "
                                      f"{' '.join(str(error).split())[:200]})")
            rows.append(row)
            report(len(rows), len(points), row)
    finally:
        # On Ctrl-C (or any error here) do not leave tasks running on a shared cluster.
        pending = [f for f in futures if not f.done()]
        if pending:
            client.cancel(pending)
    return rows
