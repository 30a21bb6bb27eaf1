"""Loading candidate files: parameters, one-line errors naming file and line, the process/network guard."""
import subprocess
import sys
import textwrap

import pytest
import sympy as sp

from irmd.analytic.candidate import Candidate
from irmd.candidate_files import CandidateFileError, build_from_file, load_candidate_file
from irmd.errors import InputError, ParameterError

# A small verified candidate (the template's construction) used by the files below.
BODY = '''
import sympy as sp
from irmd.analytic.candidate import make_candidate
from irmd.analytic.constants import Constant
from irmd.analytic.environment import Environment, State, action_symbols
from irmd.analytic.information import Information
from irmd.analytic.mechanism import Mechanism
from irmd.analytic.outcomes import Interval, Simplex

theta = sp.Symbol("theta", real=True)
q, t = sp.symbols("q t", real=True)
ybar = sp.Symbol("ybar", positive=True)
L1, L0, A = sp.symbols("L_1 L_0 A", real=True)
(x,) = action_symbols(1)


def build(mu1, name="one-buyer"):
    env = Environment(1, (State.make("0", {theta: 0}), State.make("1", {theta: 1})), (1 - mu1, mu1),
                      (Simplex((q,)), Interval(t)), (theta * q - t,), t)
    mech = Mechanism.make({q: sp.Min(x / ybar, 1), t: sp.Piecewise((-L0 * (sp.exp(x) - 1), x <= ybar), (L1, True))})
    v = sp.Min(A * sp.exp(x), 1)
    info = Information.make({"1": sp.exp(-x) * v, "0": sp.exp(-x) * (1 - v)})
    constants = [Constant(ybar, equation=sp.exp(-ybar) * (1 + ybar) - mu1, bracket=(0, 60)),
                 Constant(L1, value=(1 - sp.exp(-ybar)) / ybar), Constant(L0, value=L1 - 1 / ybar),
                 Constant(A, value=sp.exp(-ybar))]
    return make_candidate(name, env, mech, info, constants, svo_levels={"1": L1, "0": L0},
                          parameters={"mu1": mu1})
'''


def write(tmp_path, text, name="cand.py"):
    path = tmp_path / name
    path.write_text(textwrap.dedent(text))
    return path


def line_of(path, needle):
    for number, line in enumerate(path.read_text().splitlines(), start=1):
        if needle in line:
            return number
    raise AssertionError(needle)


def test_fixed_candidate(tmp_path):
    path = write(tmp_path, BODY + "\ncandidate = build(sp.Rational(1, 2))\n")
    loaded = load_candidate_file(path)
    assert not loaded.is_function and loaded.parameters == ()
    assert isinstance(loaded.build(), Candidate) and loaded.build().parameter_values == {"mu1": "1/2"}
    with pytest.raises(ParameterError, match="fixed candidate"):
        loaded.build({"mu1": "0.3"})


def test_function_parameters_are_parsed_exactly_by_the_kind_of_their_default(tmp_path):
    path = write(tmp_path, BODY + '''
seen = {}

def candidate(N=2, mu1="1/2", eps=0.25, c=None, flag=False, label="x", *, scale=sp.Rational(3, 2)):
    seen.update(N=N, mu1=mu1, eps=eps, c=c, flag=flag, label=label, scale=scale)
    return build(mu1)
''')
    loaded = load_candidate_file(path)
    kinds = {p.name: (p.kind, p.default) for p in loaded.parameters}
    assert kinds == {"N": ("integer", "2"), "mu1": ("number", "1/2"), "eps": ("number", "1/4"),
                     "c": ("number", None), "flag": ("boolean", "false"), "label": ("text", "x"),
                     "scale": ("number", "3/2")}
    module = sys.modules[loaded.module_name]
    loaded.build()
    assert module.seen == {"N": 2, "mu1": sp.Rational(1, 2), "eps": sp.Rational(1, 4), "c": None, "flag": False,
                           "label": "x", "scale": sp.Rational(3, 2)}
    assert type(module.seen["N"]) is int
    candidate = loaded.build({"N": "3", "mu1": "0.1", "c": "1/3", "flag": "yes", "label": "abc"})
    assert candidate.parameter_values == {"mu1": "1/10"}
    assert module.seen["N"] == 3 and module.seen["mu1"] == sp.Rational(1, 10) and module.seen["c"] == sp.Rational(1, 3)
    assert module.seen["flag"] is True and module.seen["label"] == "abc"
    with pytest.raises(ParameterError, match="must be an integer"):
        loaded.build({"N": "2.5"})
    with pytest.raises(ParameterError, match="true or false"):
        loaded.build({"flag": "maybe"})
    with pytest.raises(ParameterError, match="unknown parameter 'M'.*N, mu1"):
        loaded.build({"M": "1"})
    with pytest.raises(InputError, match="mu1"):
        loaded.build({"mu1": "abc"})


def test_required_parameter_and_extra_keywords(tmp_path):
    path = write(tmp_path, BODY + "\ndef candidate(mu1, **extra):\n    assert extra == {} or extra == {'k': 2}\n"
                 "    return build(mu1)\n")
    loaded = load_candidate_file(path)
    with pytest.raises(ParameterError, match="parameter mu1 has no default; give --param mu1="):
        loaded.build()
    assert loaded.build({"mu1": "0.5"}).parameter_values == {"mu1": "1/2"}
    assert loaded.build({"mu1": "0.5", "k": "2"}).parameter_values == {"mu1": "1/2"}


@pytest.mark.parametrize("text, needle, message", [
    ("x = 1\ndef candidate(:\n    pass\n", "def candidate(", "SyntaxError"),
    ("import sympy\nvalue = 1 / 0\ncandidate = None\n", "1 / 0", "ZeroDivisionError: division by zero"),
    (BODY + "\ndef candidate(mu1='1/2'):\n    return helper()\n\ndef helper():\n    raise RuntimeError('no luck')\n",
     "raise RuntimeError", "RuntimeError: no luck"),
    (BODY + "\ndef candidate():\n    return 42\n", "def candidate", "returned a int, not an irmd Candidate"),
    (BODY + "\ncandidate = 'oops'\n", "candidate = 'oops'", "`candidate` is a str"),
    (BODY + "\ndef candidate():\n    return build(sp.Rational(3, 2))\n", "    env = Environment(",
     "prior of state 0 must lie in [0, 1]"),
    ("import sys\nsys.exit(4)\n", "sys.exit(4)", "sys.exit(4)"),
])
def test_errors_name_the_file_and_the_line(tmp_path, text, needle, message):
    path = write(tmp_path, text)
    with pytest.raises(CandidateFileError) as info:
        build_from_file(path)
    error = info.value
    assert error.line == line_of(path, needle), str(error)
    assert str(error).startswith(f"{path}, line {error.line}: ")
    assert message in str(error) and "\n" not in str(error)


def test_missing_entry_wrong_suffix_missing_file(tmp_path):
    with pytest.raises(CandidateFileError, match="defines no `candidate`"):
        load_candidate_file(write(tmp_path, "x = 1\n"))
    other = tmp_path / "cand.txt"
    other.write_text("candidate = None\n")
    with pytest.raises(CandidateFileError, match="must be a Python module ending in .py"):
        load_candidate_file(other)
    with pytest.raises(CandidateFileError, match="no such file"):
        load_candidate_file(tmp_path / "absent.py")
    (tmp_path / "folder.py").mkdir()
    with pytest.raises(CandidateFileError, match="not a regular file"):
        load_candidate_file(tmp_path / "folder.py")


@pytest.mark.parametrize("statement, what", [
    ("import subprocess\nsubprocess.run(['touch', MARKER])", "start processes"),
    ("import os\nos.system('touch ' + MARKER)", "start processes"),
    # (os.exec*, os.fork and os.posix_spawn are refused the same way; not tried here, since a
    # broken guard would replace or fork the test process itself.)
    ("import socket\nsocket.create_connection(('127.0.0.1', 9))", "use the network"),
    ("import urllib.request\nurllib.request.urlopen('http://127.0.0.1:9/')", "use the network"),
    # A file cannot swallow the refusal with a broad except.
    ("import subprocess\ntry:\n    subprocess.run(['touch', MARKER])\nexcept Exception:\n    pass", "start processes"),
])
def test_loading_never_starts_processes_or_uses_the_network(tmp_path, statement, what):
    marker = tmp_path / "marker"
    path = write(tmp_path, f"MARKER = {str(marker)!r}\n{statement}\ncandidate = None\n")
    with pytest.raises(CandidateFileError, match=f"candidate files may not {what}") as info:
        load_candidate_file(path)
    assert info.value.line is not None and info.value.line >= 2
    assert not marker.exists()


def test_the_guard_covers_the_candidate_function_and_ends_with_it(tmp_path):
    marker = tmp_path / "marker"
    path = write(tmp_path, BODY + f"\nimport os\ndef candidate():\n    os.system('touch {marker}')\n"
                 "    return build(sp.Rational(1, 2))\n")
    loaded = load_candidate_file(path)
    with pytest.raises(CandidateFileError, match="may not start processes"):
        loaded.build()
    assert not marker.exists()
    # Outside loading, this thread may start processes as usual.
    assert subprocess.run([sys.executable, "-c", "pass"]).returncode == 0


def test_no_bytecode_next_to_the_file_and_dataclasses_work(tmp_path):
    path = write(tmp_path, BODY + '''
from dataclasses import dataclass

@dataclass(frozen=True)
class Settings:
    mu1: object

def candidate(mu1="1/2"):
    return build(Settings(mu1).mu1)
''')
    assert build_from_file(path, {"mu1": "0.25"}).parameter_values == {"mu1": "1/4"}
    assert not (tmp_path / "__pycache__").exists()


def test_sibling_modules_are_not_importable(tmp_path):
    write(tmp_path, "VALUE = 1\n", "helper.py")
    path = write(tmp_path, "import helper\ncandidate = None\n")
    with pytest.raises(CandidateFileError, match="line 1: ModuleNotFoundError"):
        load_candidate_file(path)


def test_an_endless_loop_is_stopped_and_named(tmp_path, monkeypatch):
    import irmd.candidate_files as files

    monkeypatch.setattr(files, "LOAD_SECONDS", 0.5)
    path = write(tmp_path, "x = 0\nwhile True:\n    x += 1\ncandidate = None\n")
    with pytest.raises(CandidateFileError, match=r"line [23]: still running after 0.5 s \(an endless loop\?\)"):
        load_candidate_file(path)
    path = write(tmp_path, BODY + "\ndef candidate():\n    while True:\n        pass\n", "slow.py")
    loaded = load_candidate_file(path)
    with pytest.raises(CandidateFileError, match="still running") as info:
        loaded.build()
    assert info.value.line in (line_of(path, "while True"), line_of(path, "        pass"))


def test_code_blocked_in_c_is_stopped_at_the_limit_and_named(tmp_path, monkeypatch):
    # time.sleep holds no bytecode boundary, so no exception reaches it: the probe process is stopped instead.
    import time

    import irmd.candidate_files as files

    monkeypatch.setattr(files, "LOAD_SECONDS", 0.5)
    path = write(tmp_path, "import time\ntime.sleep(10**6)\ncandidate = None\n")
    started = time.monotonic()
    with pytest.raises(CandidateFileError, match=r"line 2: still running after 0.5 s \(blocked in a call"):
        load_candidate_file(path)
    path = write(tmp_path, BODY + "\nimport time\n\ndef candidate(mu1='1/2'):\n    time.sleep(10**6)\n"
                 "    return build(mu1)\n", "blocked.py")
    loaded = load_candidate_file(path)  # the module itself finishes
    with pytest.raises(CandidateFileError, match="still running after 0.5 s") as info:
        loaded.build({"mu1": "0.3"})
    assert info.value.line == line_of(path, "time.sleep(10**6)")
    with pytest.raises(CandidateFileError, match="still running after 0.5 s"):
        build_from_file(path)
    assert time.monotonic() - started < 30


def test_a_file_that_ends_the_process_is_bad_input(tmp_path):
    path = write(tmp_path, "import os\nos._exit(5)\ncandidate = None\n")
    with pytest.raises(CandidateFileError, match=r"cand.py: ended the Python process that ran it \(exit code 5\)"):
        load_candidate_file(path)
    path = write(tmp_path, "import ctypes\nctypes.string_at(0)\ncandidate = None\n", "crash.py")
    with pytest.raises(CandidateFileError, match=r"line 2: crashed the Python process that ran it \(Segmentation"):
        load_candidate_file(path)


def test_a_probed_file_runs_again_here_with_its_own_objects(tmp_path):
    # The candidate used is built in this process (the probe's is discarded): the module's state is here.
    path = write(tmp_path, BODY + "\ncalls = []\n\ndef candidate(mu1='1/2'):\n    calls.append(mu1)\n"
                 "    return build(mu1)\n")
    loaded = load_candidate_file(path)
    loaded.build({"mu1": "0.3"})
    loaded.build({"mu1": "0.3"})  # probed once per parameters
    assert sys.modules[loaded.module_name].calls == [sp.Rational(3, 10)] * 2
