r"""Candidate files: a user's own saddle point as a Python module.

A candidate file is a ``.py`` module that builds a candidate with the public API
(:mod:`irmd.analytic`) and exposes it under the name ``candidate``, either

* as a :class:`~irmd.analytic.candidate.Candidate` (fixed, no parameters), or
* as a function of its free parameters, ``def candidate(N=2, mu1="1/2"): ...``,
  whose defaults ``--param KEY=VALUE`` overrides.

Parameter values are read exactly, by the kind of their default:

=================================  ==============================================
default                            the function receives
=================================  ==============================================
``int`` (``N=2``)                  a Python ``int`` (``--param N=2.5`` is an error)
a number (``0.5``, ``"1/2"``)      an exact ``sympy.Rational`` (``"0.1"`` is 1/10)
``None`` or no default             a ``sympy.Rational`` (no default: required)
``bool`` (``debug=False``)         ``True``/``False`` (``true, false, 1, 0, yes, no``)
any other string                   the text as given
=================================  ==============================================

Every parameter is passed explicitly, defaults included (``mu1="1/2"`` arrives
as ``Rational(1, 2)``), so the function sees one type per parameter.

Loading
-------
The file is compiled and run as a fresh module with :mod:`importlib`'s module
machinery: no shell, no bytecode written next to the file, and its folder is not
put on ``sys.path`` (a candidate file is one self-contained module that imports
irmd, sympy, mpmath and the standard library).  While the module runs and while
its ``candidate(...)`` function is called, an audit hook refuses, in that thread,
every attempt to start a process (``subprocess``, ``os.system``, ``os.exec*``,
``os.spawn*``, ``os.fork``, ``os.posix_spawn``) or to use the network (sockets,
name lookups, ``urllib``), and stops it after :data:`LOAD_SECONDS` (an endless
loop is bad input, not a hang).

The time limit holds for any code, including a call that blocks in C
(``time.sleep(10**6)``, a lock, a read), which no exception can interrupt: the
module and each new ``candidate(...)`` call are first run in a *probe*, a fresh
Python process (``sys.executable``, started by irmd, not by the file) that is
stopped at the limit -- :mod:`faulthandler` names the line it was stuck on --
and killed if need be.  Only code that finished there runs again in this
process, where the candidate is used (a Candidate holds the file's own objects,
so it is not sent between processes).  Each run is the same deterministic
code; a file that blocks only on its second run is still stopped there if it
loops in Python, not if it blocks in C.  The probe costs a Python start (about
a second) per load and per new set of parameters; :data:`PROBE` turns it off.

All this guards against accidents, **not a sandbox**: a candidate file is
ordinary Python running with your permissions (it can read and write files,
start threads, call C code), so load only files you trust, as you would run
any script.

Errors
------
A file that is missing, not a ``.py`` file, does not compile, raises, tries a
forbidden operation, lacks ``candidate`` or yields something other than a
Candidate raises :class:`CandidateFileError` (an
:class:`~irmd.errors.InputError`: one line, exit code 3) that names the file
and the line, e.g. ``my_candidate.py, line 12: ZeroDivisionError: division by
zero``.
"""
from __future__ import annotations

import ast
import faulthandler
import hashlib
import importlib.util
import inspect
import os
import pickle
import re
import subprocess
import sys
import tempfile
import threading
import traceback
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Mapping

import sympy as sp

from irmd.analytic.candidate import Candidate
from irmd.analytic.expansion import MAX_EXPANSION_BYTES, largest_expansion, largest_exponent
from irmd.analytic.parameters import Parameter

from .budget import time_budget
from .errors import BudgetExceeded, InputError, ParameterError
from .numbers import parse_exact

#: The name a candidate file must define.
ENTRY_POINT = "candidate"
#: Seconds that running the module, or one call of its ``candidate(...)``, may take
#: (a file stuck in an endless loop is bad input, not a hang).
LOAD_SECONDS = 300.0
#: Whether user code first runs in a probe process that is stopped at :data:`LOAD_SECONDS` whatever
#: it does (see "Loading" above); off only where a second Python process cannot start.
PROBE = True
#: Seconds past the limit that a probe leaves to the in-process budget (which names a Python loop
#: with its usual message) before faulthandler stops code blocked in C.
PROBE_GRACE = 2.0
#: Seconds a probe may take to start Python and import irmd, beyond the time of the user code; past
#: them (and the user code's limits) the probe is killed.
PROBE_STARTUP = 60.0
#: Bytes of a probe's output (the file's own prints, faulthandler's report) that are kept.
_PROBE_TAIL = 1 << 16


class CandidateFileError(InputError):
    """A candidate file that cannot be loaded or built; the message names the file and line."""

    def __init__(self, path: str, line: int | None, message: str):
        self.path, self.line, self.reason = path, line, message
        where = f"{path}, line {line}" if line else path
        super().__init__(f"{where}: {message}")

    def __reduce__(self):  # picklable, so a Dask worker can send it back
        return (CandidateFileError, (self.path, self.line, self.reason))


# ---------------------------------------------------------------------- the guard
class _Forbidden(BaseException):
    """Raised by the audit hook; a BaseException so that ``except Exception`` in the file cannot hide it."""


_PROCESS_EVENTS = frozenset({
    "subprocess.Popen", "os.system", "os.exec", "os.posix_spawn", "os.spawn", "os.fork", "os.forkpty",
    "os.startfile", "os.popen",
})
_NETWORK_EVENTS = frozenset({
    "socket.__new__", "socket.connect", "socket.bind", "socket.getaddrinfo", "socket.gethostbyname",
    "socket.gethostbyaddr", "socket.getnameinfo", "socket.sendto", "socket.sendmsg", "urllib.Request",
})
_guard = threading.local()
_hook_lock = threading.Lock()
_hook_installed = False


def _audit(event: str, args) -> None:
    # Called for every audited event of the process: return at once unless this
    # thread is loading a candidate file.
    if not getattr(_guard, "depth", 0):
        return
    if event in _PROCESS_EVENTS:
        raise _Forbidden(f"candidate files may not start processes ({event})")
    if event in _NETWORK_EVENTS:
        raise _Forbidden(f"candidate files may not use the network ({event})")


@contextmanager
def _running_user_code():
    """The guard and the time limit around code of a candidate file."""
    with no_processes_or_network(), time_budget(LOAD_SECONDS, "candidate file"):
        if not _IN_PROBE:
            yield
            return
        # In the probe, a C thread stops the process when the budget's exception cannot be delivered
        # (code blocked in C), after writing every thread's stack: the parent reads the line from it.
        faulthandler.dump_traceback_later(LOAD_SECONDS + PROBE_GRACE, exit=True)
        try:
            yield
        finally:
            faulthandler.cancel_dump_traceback_later()


@contextmanager
def no_processes_or_network():
    """Refuse, in this thread, process creation and network access for the duration of the block.

    An audit hook (:func:`sys.addaudithook`) cannot be removed once installed,
    so one hook is installed on first use and stays inert outside these blocks.
    """
    global _hook_installed
    with _hook_lock:
        if not _hook_installed:
            sys.addaudithook(_audit)
            _hook_installed = True
    _guard.depth = getattr(_guard, "depth", 0) + 1
    try:
        yield
    finally:
        _guard.depth -= 1


# ---------------------------------------------------------------------- the probe
#: True in a probe process (set by :func:`_probe_main`).
_IN_PROBE = False
#: Started as ``python -c``: no ``__main__`` of the caller is imported again (multiprocessing's spawn
#: and forkserver would re-run a user's script), and nothing is forked from a process with threads.
_PROBE_COMMAND = ("import pickle, sys; data = pickle.load(sys.stdin.buffer); sys.path[:] = data['sys_path']; "
                  "from irmd.candidate_files import _probe_main; _probe_main(data)")
_PROBED: set = set()
_PROBED_LOCK = threading.Lock()
_FRAME = re.compile(r'File "(.*)", line (\d+) in ')


def _params_key(params: Mapping | None):
    return None if params is None else tuple(sorted((str(k), str(v)) for k, v in dict(params).items()))


def _probe(path: str, source: bytes, params: Mapping | None) -> None:
    """Run the module -- and ``candidate(**params)`` unless ``params`` is None -- in a fresh process.

    Raises what loading raised there (a :class:`CandidateFileError` or another
    :class:`~irmd.errors.InputError`), or a CandidateFileError when the code was
    still running at :data:`LOAD_SECONDS` or ended the process; returns when it
    finished.  Each (file, parameters) is probed once per process.
    """
    if not PROBE or _IN_PROBE or not sys.executable:
        return
    key = (path, hashlib.sha256(source).hexdigest(), _params_key(params))
    with _PROBED_LOCK:
        if key in _PROBED:
            return
    payload = pickle.dumps({"sys_path": list(sys.path), "path": path, "source": source,
                            "params": None if params is None else dict(params), "limit": LOAD_SECONDS,
                            "grace": PROBE_GRACE})
    steps = 1 if params is None else 2
    # The stderr of the probe goes to a file, so a file that prints a lot cannot fill this process's memory.
    with tempfile.TemporaryFile() as log:
        try:
            process = subprocess.Popen([sys.executable, "-c", _PROBE_COMMAND], stdin=subprocess.PIPE,
                                       stdout=subprocess.PIPE, stderr=log)
        except OSError:
            return  # no second Python here: the in-process budget still stops Python loops
        try:
            out, _ = process.communicate(payload, timeout=PROBE_STARTUP + steps * (LOAD_SECONDS + PROBE_GRACE))
        except subprocess.TimeoutExpired:
            process.kill()
            process.communicate()
            out = None
        except BaseException:  # Ctrl-C: the probe must not outlive the command
            process.kill()
            process.wait()
            raise
        log.seek(0, os.SEEK_END)
        log.seek(max(0, log.tell() - _PROBE_TAIL))
        report = log.read().decode("utf-8", "replace")
    if out is not None and out.startswith(b"R") and len(out) > 1:
        try:
            outcome = pickle.loads(out[1:])
        except Exception:  # noqa: BLE001 - an unreadable answer: let this process meet the code itself
            return
        if outcome[0] == "error":
            raise outcome[1]
        with _PROBED_LOCK:
            _PROBED.update({key, key[:2] + (None,)})  # a call that finished ran the module too
        return
    if out is not None and not out.startswith(b"R"):
        return  # the probe could not start (no irmd there?): the in-process budget still stops Python loops
    line = _probe_line(report, path)
    if out is None or "Timeout (" in report:
        raise CandidateFileError(path, line, f"still running after {LOAD_SECONDS:g} s (blocked in a call that "
                                 "does not return?); stopped here")
    fatal = re.search(r"Fatal Python error: ([^\n]*)", report)
    why = f"crashed the Python process that ran it ({fatal.group(1).strip()})" if fatal else \
        f"ended the Python process that ran it (exit code {process.returncode})"
    raise CandidateFileError(path, line, why)


def _probe_line(report: str, path: str) -> int | None:
    """The innermost line of the candidate file in faulthandler's report (most recent call first)."""
    for match in _FRAME.finditer(report):
        if match.group(1) == path:
            return int(match.group(2))
    return None


def _probe_main(data: dict) -> None:
    """The probe process: load the file (and call ``candidate``) as the parent would, report, exit."""
    global _IN_PROBE, LOAD_SECONDS, PROBE_GRACE
    _IN_PROBE, LOAD_SECONDS, PROBE_GRACE = True, data["limit"], data["grace"]
    answer = os.fdopen(os.dup(1), "wb")
    os.dup2(2, 1)  # the file's own prints go to the log, not into the answer
    faulthandler.enable()  # a crash in C names its line too
    answer.write(b"R")
    answer.flush()
    try:
        loaded = load_candidate_source(data["path"], data["source"])
        if data["params"] is not None:
            loaded.build(data["params"])
        outcome = ("ok",)
    except InputError as error:
        outcome = ("error", error)
    except BaseException:  # noqa: BLE001 - not the file's doing; the parent meets it again in-process
        outcome = ("ok",)
    try:
        blob = pickle.dumps(outcome)
    except Exception:  # noqa: BLE001 - an error holding unpicklable parts: its text is what matters
        blob = pickle.dumps(("error", CandidateFileError(data["path"], getattr(outcome[1], "line", None),
                                                         str(outcome[1]))))
    answer.write(blob)
    answer.flush()
    # No interpreter shutdown: threads the file started must not keep the probe alive.
    os._exit(0)


# ---------------------------------------------------------------------- parameters
def _describe_default(value) -> tuple[str, str | None]:
    """(kind, default text) of a parameter from its default value."""
    if value is None:
        return "number", None
    if isinstance(value, bool):
        return "boolean", str(value).lower()
    if isinstance(value, int):
        return "integer", str(value)
    if isinstance(value, sp.Integer):
        return "integer", str(value)
    if isinstance(value, (float, sp.Rational)) or type(value).__name__ == "Fraction":
        return "number", str(parse_exact(value))
    if isinstance(value, str):
        try:
            parse_exact(value)
        except InputError:
            return "text", value
        return "number", value
    return "fixed", None


def signature_parameters(function: Callable) -> tuple[tuple[Parameter, ...], bool]:
    """The parameters of a candidate function, and whether it accepts extra keywords (``**kwargs``)."""
    try:
        signature = inspect.signature(function)
    except (TypeError, ValueError):
        return (), False
    out, extra = [], False
    for p in signature.parameters.values():
        if p.kind is p.VAR_KEYWORD:
            extra = True
            continue
        if p.kind in (p.VAR_POSITIONAL, p.POSITIONAL_ONLY):
            continue
        if p.default is p.empty:
            kind = "integer" if p.annotation in (int, "int") else "number"
            out.append(Parameter(p.name, kind, None, required=True))
            continue
        kind, default = _describe_default(p.default)
        if kind == "number" and p.annotation in (int, "int"):
            kind = "integer"
        out.append(Parameter(p.name, kind, default))
    return tuple(out), extra


# ---------------------------------------------------------------------- loading
@dataclass(frozen=True, eq=False)
class CandidateFile:
    """A loaded candidate file: the module's ``candidate`` object and its parameters.

    ``path`` is the file as the user named it (used in messages); ``source`` its
    bytes, which is all a Dask worker needs to load the same file elsewhere.
    """

    path: str
    source: bytes
    entry: object
    parameters: tuple[Parameter, ...]
    accepts_extra: bool
    module_name: str

    @property
    def is_function(self) -> bool:
        return callable(self.entry) and not _is_candidate(self.entry)

    @property
    def name(self) -> str:
        return Path(self.path).name

    def parameter(self, name: str) -> Parameter:
        for p in self.parameters:
            if p.name == name:
                return p
        if self.accepts_extra:
            return Parameter(name, "number", None)
        if not self.is_function:
            raise ParameterError(f"{self.name} exposes a fixed candidate without parameters; define "
                                 f"`def {ENTRY_POINT}(...)` with keyword defaults to take --param")
        known = ", ".join(p.name for p in self.parameters) or "none"
        raise ParameterError(f"unknown parameter {name!r} for {self.name}; parameters are: {known}")

    def arguments(self, params: Mapping | None = None) -> dict:
        """Keyword arguments of ``candidate(...)``: every default parsed, overridden by ``params``."""
        params = dict(params or {})
        for key in params:
            self.parameter(key)  # rejects unknown names
        kwargs = {}
        for p in self.parameters:
            if p.name in params:
                kwargs[p.name] = p.parse(params[p.name])
            elif p.required:
                raise ParameterError(f"{self.name}: parameter {p.name} has no default; give --param {p.name}=...")
            elif p.default is not None and p.kind != "fixed":
                kwargs[p.name] = p.parse(p.default)
        for key in params:
            if key not in kwargs:
                kwargs[key] = self.parameter(key).parse(params[key])
        return kwargs

    def build(self, params: Mapping | None = None):
        """The Candidate for ``params`` (strings or numbers); errors name the file and line."""
        if not self.is_function:
            if params:
                self.parameter(next(iter(params)))  # raises: a fixed candidate has no parameters
            return self.entry
        kwargs = self.arguments(params)
        _probe(self.path, self.source, dict(params or {}))
        try:
            with _running_user_code():
                result = self.entry(**kwargs)
        except KeyboardInterrupt:
            raise
        except (Exception, _Forbidden, SystemExit, BudgetExceeded) as error:  # noqa: BLE001 - any failure of user code
            raise self._error(error) from None
        if not _is_candidate(result):
            line = getattr(getattr(self.entry, "__code__", None), "co_firstlineno", None)
            raise CandidateFileError(self.path, line, f"{ENTRY_POINT}(...) returned {_kind(result)}, not an irmd "
                                     "Candidate (build one with irmd.analytic.candidate.make_candidate)")
        return result

    def _error(self, error: BaseException) -> CandidateFileError:
        return CandidateFileError(self.path, _line_in_file(error, self.path), _message(error))


def _is_candidate(value) -> bool:
    return isinstance(value, Candidate)


def _kind(value) -> str:
    return "None" if value is None else f"a {type(value).__name__}"


def _message(error: BaseException) -> str:
    if isinstance(error, _Forbidden):
        return str(error)
    if isinstance(error, SystemExit):
        return f"the file called sys.exit({error.code!r})"
    if isinstance(error, BudgetExceeded):
        return f"still running after {LOAD_SECONDS:g} s (an endless loop?); stopped here"
    if isinstance(error, SyntaxError):
        return f"SyntaxError: {error.msg}"
    text = " ".join(str(error).split())
    if isinstance(error, InputError):  # irmd's own validation: the message says it all
        return text
    return f"{type(error).__name__}: {text}" if text else type(error).__name__


def _line_in_file(error: BaseException, filename: str) -> int | None:
    """The last line of the candidate file in the traceback (where the file called what failed)."""
    if isinstance(error, SyntaxError) and error.filename == filename:
        return error.lineno
    # A time-limit error is re-raised outside the file; the interrupted code is in its context.
    for exc in (error, error.__context__):
        line = None
        for frame, lineno in traceback.walk_tb(getattr(exc, "__traceback__", None)):
            if frame.f_code.co_filename == filename:
                line = lineno
        if line is not None:
            return line
    return None


def _assignment_line(source: bytes, name: str) -> int | None:
    """Line of the last top-level definition of ``name`` (for 'wrong type' messages)."""
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return None
    line = None
    for node in tree.body:
        targets = []
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            targets = [node.name]
        elif isinstance(node, ast.Assign):
            targets = [t.id for t in node.targets if isinstance(t, ast.Name)]
        elif isinstance(node, (ast.AnnAssign, ast.AugAssign)) and isinstance(node.target, ast.Name):
            targets = [node.target.id]
        elif isinstance(node, (ast.Import, ast.ImportFrom)):
            targets = [(a.asname or a.name).split(".")[0] for a in node.names]
        if name in targets:
            line = node.lineno
    return line


def read_candidate_file(path) -> tuple[str, bytes]:
    """(display path, bytes) of a candidate file; rejects anything but an existing ``.py`` file."""
    display = str(path)
    p = Path(path)
    if p.suffix != ".py":
        raise CandidateFileError(display, None, "a candidate file must be a Python module ending in .py")
    if not p.exists():
        raise CandidateFileError(display, None, "no such file")
    if not p.is_file():
        raise CandidateFileError(display, None, "not a regular file")
    try:
        return display, p.read_bytes()
    except OSError as error:
        raise CandidateFileError(display, None, f"cannot read it ({error.strerror or error})") from None


def load_candidate_file(path) -> CandidateFile:
    """Load the candidate file at ``path`` (see the module docstring)."""
    display, source = read_candidate_file(path)
    return load_candidate_source(display, source)


_CACHE: dict[tuple[str, str], CandidateFile] = {}
_CACHE_LOCK = threading.Lock()


def load_candidate_source(path: str, source: bytes, *, cache: bool = False) -> CandidateFile:
    """Load a candidate module from its bytes; ``path`` names it in messages and tracebacks.

    With ``cache=True`` the module is compiled and run once per (path, content)
    in this process, which is what sweep workers use: every point of a sweep
    calls the same ``candidate(...)`` function.
    """
    digest = hashlib.sha256(source).hexdigest()
    key = (path, digest)
    if cache:
        with _CACHE_LOCK:
            if key in _CACHE:
                return _CACHE[key]
    module_name = f"irmd_candidate_{Path(path).stem.replace('-', '_')}_{digest[:12]}"
    # Compiled under the path the user gave: tracebacks are matched to the file by
    # this name, and messages show it as typed.
    filename = path
    spec = importlib.util.spec_from_loader(module_name, loader=None, origin=filename)
    module = importlib.util.module_from_spec(spec)
    module.__file__ = filename
    try:
        code = compile(source, filename, "exec", dont_inherit=True)
    except SyntaxError as error:
        raise CandidateFileError(path, error.lineno, _message(error)) from None
    except ValueError as error:  # null bytes
        raise CandidateFileError(path, None, f"cannot compile it ({error})") from None
    _probe(path, source, None)
    # Registered while it runs: dataclasses and pickling look the module up by name.
    sys.modules[module_name] = module
    try:
        with _running_user_code():
            exec(code, module.__dict__)  # noqa: S102 - a trusted user module, see the module docstring
    except KeyboardInterrupt:
        sys.modules.pop(module_name, None)
        raise
    except (Exception, _Forbidden, SystemExit, BudgetExceeded) as error:  # noqa: BLE001 - any failure of user code
        sys.modules.pop(module_name, None)
        raise CandidateFileError(path, _line_in_file(error, filename), _message(error)) from None
    if not hasattr(module, ENTRY_POINT):
        sys.modules.pop(module_name, None)
        raise CandidateFileError(path, None, f"defines no `{ENTRY_POINT}`: expose a Candidate, or a function "
                                 f"returning one, under that name (irmd new NAME writes a template)")
    entry = getattr(module, ENTRY_POINT)
    if not (_is_candidate(entry) or callable(entry)):
        raise CandidateFileError(path, _assignment_line(source, ENTRY_POINT),
                                 f"`{ENTRY_POINT}` is {_kind(entry)}, "
                                 f"not an irmd Candidate or a function returning one")
    parameters, extra = signature_parameters(entry) if not _is_candidate(entry) else ((), False)
    loaded = CandidateFile(path, source, entry, parameters, extra, module_name)
    if cache:
        with _CACHE_LOCK:
            _CACHE[key] = loaded
    return loaded


# ---------------------------------------------------------------------- sizes of symbolic work
def _size_text(size: float) -> str:
    for unit, scale in (("TiB", 2**40), ("GiB", 2**30), ("MiB", 2**20), ("KiB", 2**10)):
        if size >= scale:
            return f"{size / scale:.3g} {unit}"
    return f"{int(size)} B"


def _candidate_expressions(candidate):
    """(where, expression) of everything of a candidate the verifier simplifies."""
    for label, expr in candidate.information.density:
        yield f"the density sigma(x, {label})", expr
    for coordinate, expr in candidate.mechanism.outcome:
        yield f"the mechanism's {coordinate}", expr
    for constant in candidate.constants:
        for part in (constant.value, constant.equation):
            if isinstance(part, sp.Basic):
                yield f"the constant {constant.symbol}", part
    for function in candidate.functions:
        for part in (function.closed_form, function.ode):
            if isinstance(part, sp.Basic):
                yield f"the function {function.name}", part


def check_symbolic_sizes(candidate, limit: int | None = None) -> None:
    """Raise a ParameterError (one line, exit 3) when a power of a sum would be too large to expand.

    Estimated from the candidate's own expressions before any work: a parameter
    that sets an exponent (bilateral trade's h/g in y^(-h/g)) is bounded here,
    with the largest exponent that fits under ``limit`` (default
    :data:`MAX_EXPANSION_BYTES`).
    """
    limit = MAX_EXPANSION_BYTES if limit is None else limit
    worst = None
    for where, expr in _candidate_expressions(candidate):
        largest = largest_expansion(expr)
        if largest is not None and largest[0] > limit and (worst is None or largest[0] > worst[0]):
            worst = (*largest, where)
    if worst is None:
        return
    size, base, exponent, where = worst
    params = ", ".join(f"{k}={v}" for k, v in getattr(candidate, "parameter_values", {}).items())
    raise ParameterError(
        f"{candidate.name}{' ' + params if params else ''}: {where} contains ({base})^({exponent}), whose symbolic "
        f"expansion would need about {_size_text(size)}, more than the limit of {_size_text(limit)} (a power of "
        f"a {len(base.args)}-term sum fits up to the exponent {largest_exponent(len(base.args), limit)}); "
        "choose parameters that give a smaller exponent")


def build_from_file(path, params: Mapping | None = None):
    """Load the candidate file at ``path`` and build its candidate with ``params`` (strings or numbers)."""
    display, source = read_candidate_file(path)
    _probe(display, source, dict(params or {}))  # one probe for the module and the call
    return load_candidate_source(display, source).build(params)
