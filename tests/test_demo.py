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


def demo_env(columns=120):
    """This tree's skhyper, and no variable that overrides terminal detection."""
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"TTY_INTERACTIVE", "TTY_COMPATIBLE", "FORCE_COLOR", "NO_COLOR"}
    }
    root = str(Path(skhyper.__file__).resolve().parent.parent)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [root, env.get("PYTHONPATH")]))
    env.update(TERM="xterm-256color", COLUMNS=str(columns), OMP_NUM_THREADS="1")
    return env


def run_in_terminal(command, timeout=120, columns=120):
    """Run with stdin, stdout and stderr on one pseudo-terminal; return what
    it showed."""
    leader, follower = pty.openpty()
    process = subprocess.Popen(
        command,
        stdin=follower,
        stdout=follower,
        stderr=follower,
        env=demo_env(columns),
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


@pytest.mark.parametrize("columns", [80, 120])
def test_demo_in_a_terminal_shows_the_progress_bar(columns):
    shown = run_in_terminal(DEMO, columns=columns)
    frames = [ESCAPE.sub("", frame).rstrip() for frame in re.split(r"[\r\n]", shown)]
    bars = [frame for frame in frames if frame.startswith("BayesSearchCV ")]
    assert bars, shown
    assert all(BAR in bar for bar in bars)
    assert "0/4 best score -" in bars[0]
    assert re.search(r"4/4 best score 0\.9\d+ \d:\d\d:\d\d\s+done$", bars[-1])
    # The status ("1 running", "done") is never cut short at 80 columns.
    assert not any("…" in bar for bar in bars), bars
    assert all(len(frame) <= columns for frame in frames)
    assert not any(frame.startswith("[BayesSearchCV]") for frame in frames)
    assert any(frame.startswith("tuned    0.9") for frame in frames)


def test_demo_in_a_pipe_prints_short_lines_and_no_bar():
    done = subprocess.run(
        DEMO, capture_output=True, text=True, env=demo_env(), timeout=120, check=True
    )
    for stream in (done.stdout, done.stderr):
        assert BAR not in stream
        assert "\x1b[" not in stream
    lines = done.stdout.splitlines()
    assert all(len(line) <= 80 for line in lines), lines
    assert lines[0].startswith("skhyper demo: BayesSearchCV tunes C, gamma and kernel")
    progress = [line for line in lines if "candidates  best CV accuracy" in line]
    assert progress[0].lstrip().startswith("1/4 candidates")
    assert progress[-1].lstrip().startswith("4/4 candidates")
    assert re.match(
        r"Searched in \d+\.\d s \(n_iter=4 candidates evaluated\)", lines[-4]
    )
    assert lines[-3] == "         CV accuracy  parameters"
    default, tuned = lines[-2:]
    assert re.match(
        r"default  0\.9\d{3} +svc__C=1 svc__gamma='scale' svc__kernel='rbf'$", default
    )
    # Rounded to 3 significant digits, not 16.
    match = re.match(
        r"tuned    0\.9\d{3} +svc__C=(\S+) svc__gamma=(\S+) svc__kernel='\w+'$", tuned
    )
    assert match, tuned
    for number in match.groups():
        assert len(number.split("e")[0].lstrip("0.").replace(".", "")) <= 3


@pytest.mark.parametrize(
    "generator, name", [("random", "RandomSearchCV"), ("sobol", "HyperSearchCV")]
)
def test_demo_names_the_class_a_user_types(generator, name):
    done = subprocess.run(
        [*DEMO, "--generator", generator],
        capture_output=True, text=True, env=demo_env(), timeout=120, check=True,
    )  # fmt: skip
    assert done.stdout.startswith(f"skhyper demo: {name} tunes")
