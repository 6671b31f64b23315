"""Candidates a second the GP proposes, against history size, pending
candidates and candidates per ask.

``GPGenerator`` on a 6-D space (score: minus Hartmann-6), told ``n``
scrambled Sobol points, hyperparameters fitted once outside the timing (they
are refitted only every 10% of growth); then ``p`` candidates are asked and
left pending (as an asynchronous search leaves the candidates being
evaluated), and asks of ``k`` candidates are timed (CPU time of this
process, median of ``--repeats``), each starting from the same pending set.

Run: python benchmarks/ask_throughput.py [--observations 100 300 1000]
     [--pending 0 64] [--per-ask 1 8] [--repeats 3]
"""

from __future__ import annotations

import argparse
import statistics
import time

try:
    from benchmarks.functions import FUNCTIONS
except ImportError:  # run as a script from benchmarks/
    from functions import FUNCTIONS

import skhyper
from skhyper import Real
from skhyper.generators import GPGenerator, SobolGenerator

HARTMANN6 = FUNCTIONS["hartmann6"]
SPACE = {f"x{i}": Real(0.0, 1.0) for i in range(6)}


def score(candidate: dict) -> float:
    return -HARTMANN6([candidate[f"x{i}"] for i in range(6)])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--observations", type=int, nargs="+", default=[100, 300, 1000])
    parser.add_argument("--pending", type=int, nargs="+", default=[0, 64])
    parser.add_argument("--per-ask", type=int, nargs="+", default=[1, 8])
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    print(f"skhyper from {skhyper.__file__}\n")
    print("| observations | pending | per ask | ms per ask | candidates / s |")
    print("| ---: | ---: | ---: | ---: | ---: |")
    for n in args.observations:
        for pending in args.pending:
            gp = GPGenerator().start(SPACE, random_state=0)
            told = SobolGenerator().start(SPACE, random_state=1).ask(n)
            gp.tell(told, [score(c) for c in told])
            gp.ask(1)  # fits the hyperparameters
            if pending:
                gp.ask(pending)
            # The pending set every timed ask starts from.
            saved = [dict(p) for p in gp._pending]
            for k in args.per_ask:
                times = []
                for _ in range(args.repeats):
                    gp._pending = [dict(p) for p in saved]
                    start = time.process_time()
                    gp.ask(k)
                    times.append(time.process_time() - start)
                ms = 1000 * statistics.median(times)
                print(f"| {n} | {pending} | {k} | {ms:.0f} | {1000 * k / ms:.0f} |")


if __name__ == "__main__":
    main()
