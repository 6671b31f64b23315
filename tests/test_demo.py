"""The README's demo, ``python -m skhyper``: a progress bar in a terminal,
plain lines in a pipe."""

import os
import re
import select
import subprocess
import sys
import time
from pathlib import Path

import pytest

import skhyper

pytest.importorskip("rich")
pty = pytest.importorskip("pty")  # POSIX only

DEMO = [sys.executable, "-m", "skhyper", "--n-iter", "4"]
BAR = "━"
ESCAPE = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")


def demo_env():
    """This tree's skhyper, and no variable that overrides terminal detection."""
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"TTY_INTERACTIVE", "TTY_COMPATIBLE", "FORCE_COLOR", "NO_COLOR"}
    }
    root = str(Path(skhyper.__file__).resolve().parent.parent)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [root, env.get("PYTHONPATH")]))
    env.update(TERM="xterm-256color", COLUMNS="120", OMP_NUM_THREADS="1")
    return env


def run_in_terminal(command, timeout=120):
    """Run with stdin, stdout and stderr on one pseudo-terminal; return what
    it showed."""
    leader, follower = pty.openpty()
    process = subprocess.Popen(
        command,
        stdin=follower,
        stdout=follower,
        stderr=follower,
        env=demo_env(),
        close_fds=True,
    )
    os.close(follower)
    shown = b""
    deadline = time.monotonic() + timeout
    try:
        while time.monotonic() < deadline:
            ready, _, _ = select.select([leader], [], [], 1.0)
            if not ready:
                if process.poll() is not None:
                    break
                continue
            try:
                chunk = os.read(leader, 65536)
            except OSError:  # the terminal closed: the demo ended
                break
            if not chunk:
                break
            shown += chunk
    finally:
        os.close(leader)
        returncode = process.wait(timeout=30)
    assert returncode == 0, shown.decode(errors="replace")
    return shown.decode()


def test_demo_in_a_terminal_shows_the_progress_bar():
    shown = run_in_terminal(DEMO)
    frames = [ESCAPE.sub("", frame).strip() for frame in re.split(r"[\r\n]", shown)]
    bars = [frame for frame in frames if frame.startswith("HyperSearchCV ")]
    assert bars, shown
    assert all(BAR in bar for bar in bars)
    assert "0/4 best score -" in bars[0]
    assert re.search(r"4/4 best score 0\.9\d+ \d:\d\d:\d\d\s+done$", bars[-1])
    assert not any(frame.startswith("[HyperSearchCV]") for frame in frames)
    assert any(frame.startswith("Best CV accuracy: 0.9") for frame in frames)


def test_demo_in_a_pipe_prints_lines_and_no_bar():
    done = subprocess.run(
        DEMO, capture_output=True, text=True, env=demo_env(), timeout=120, check=True
    )
    for stream in (done.stdout, done.stderr):
        assert BAR not in stream
        assert "\x1b[" not in stream
    lines = done.stdout.splitlines()
    iterations = [line for line in lines if line.startswith("[HyperSearchCV] iter")]
    assert len(iterations) == 4
    assert iterations[-1].startswith("[HyperSearchCV] iteration 3: 4/4 candidates")
    assert lines[-2].startswith("Best CV accuracy: 0.9")
