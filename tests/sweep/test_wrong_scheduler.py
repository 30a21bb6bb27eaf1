"""--scheduler at an address where no Dask scheduler answers: one line, exit 3, within the connect timeout.

The servers here listen on 127.0.0.1 only and stand for what a mistyped host or port may reach.
"""
import socket
import threading
import time

import pytest

from irmd.cli import main
from irmd.errors import InputError
from irmd.sweep import BuiltinSpec, run_sweep


@pytest.fixture
def server():
    """Start a loopback server that answers every connection with ``greeting`` (None: says nothing)."""
    sockets = []

    def start(greeting):
        listener = socket.socket()
        listener.bind(("127.0.0.1", 0))
        listener.listen()
        sockets.append(listener)

        def serve():
            while True:
                try:
                    conn, _ = listener.accept()
                except OSError:  # closed at the end of the test
                    return
                sockets.append(conn)
                if greeting is not None:
                    try:
                        conn.sendall(greeting)
                    except OSError:
                        pass

        threading.Thread(target=serve, daemon=True).start()
        return f"tcp://127.0.0.1:{listener.getsockname()[1]}"

    yield start
    for s in sockets:
        s.close()


def _command(capsys, address):
    started = time.monotonic()
    code = main(["sweep", "common-value-auction", "--param", "N=1", "--dps", "15", "--scheduler", address])
    out, err = capsys.readouterr()
    return code, out, err, time.monotonic() - started


def test_a_server_that_says_nothing(server, capsys):
    address = server(None)
    code, out, err, seconds = _command(capsys, address)
    assert code == 3 and out == "" and err.count("\n") == 1, err
    assert f"cannot reach the Dask scheduler at {address} within 10 s" in err and "no Dask handshake" in err
    assert seconds < 15


@pytest.mark.parametrize("greeting", [
    # An HTTP server's answer: its first 8 bytes read as a frame length of exabytes.
    b"HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n" * 20,
    b"SSH-2.0-OpenSSH_9.6\r\n",
    b"\x08\x00\x00\x00\x00\x00\x00\x00garbage!",  # a plausible length, then no Dask frames
    b"\x02",  # too short, then silence
])
def test_a_server_of_another_protocol(server, capsys, greeting):
    address = server(greeting)
    code, out, err, seconds = _command(capsys, address)
    assert code == 3 and out == "" and err.count("\n") == 1, err
    assert address in err and ("not as a Dask scheduler" in err or "no Dask handshake" in err)
    assert "Traceback" not in err and seconds < 15


def test_nothing_listening_and_bad_addresses(capsys):
    with socket.socket() as probe:  # a port that was free a moment ago
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    code, _, err, seconds = _command(capsys, f"tcp://127.0.0.1:{port}")
    assert code == 3 and err.count("\n") == 1 and "cannot reach the Dask scheduler" in err and seconds < 15
    for address, needle in (("bogus://127.0.0.1:1", "unknown address scheme"), ("tcp://127.0.0.1:99999", "99999")):
        code, _, err, _ = _command(capsys, address)
        assert code == 3 and err.count("\n") == 1 and needle in err, err


def test_the_connect_timeout_is_the_bound(server):
    address = server(None)
    started = time.monotonic()
    with pytest.raises(InputError, match="within 2 s"):
        run_sweep(BuiltinSpec("common-value-auction"), [], dps=15, scheduler=address, connect_timeout=2)
    assert time.monotonic() - started < 5
