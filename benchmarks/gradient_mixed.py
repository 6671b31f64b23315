"""Gradient search on a mixed space (issue 12): Ridge on diabetes with
``{"alpha": Real(low, high, log=True), "fit_intercept": [True, False]}``.

Before issue 12 the gradient generator started its ascent at the centre's
``fit_intercept=False`` and spent all 20 evaluations there (best R^2 about
-3.6 against about 0.49 for the other generators). Every generator gets the
same budget of sequential asks; the objective is the 5-fold R^2 of
``cross_val_score`` (unshuffled folds, so the same for every candidate).
Four ranges of ``alpha`` move the centre where the ascent starts.

Run: python benchmarks/gradient_mixed.py [--seeds 5] [--budget 20]
"""

from __future__ import annotations

import argparse
import statistics

from sklearn.datasets import load_diabetes
from sklearn.linear_model import Ridge
from sklearn.model_selection import cross_val_score

from skhyper import Real
from skhyper.generators import make_generator

RANGES = [(1e-6, 1e6), (1e-3, 1e3), (1e-2, 1e2), (1e-4, 10.0)]
GENERATORS = ("gradient", "gp", "sobol", "random")


def best_score(generator: str, alpha_range, budget: int, seed: int) -> float:
    X, y = load_diabetes(return_X_y=True)
    space = {"alpha": Real(*alpha_range, log=True), "fit_intercept": [True, False]}
    gen = make_generator(generator).start(space, random_state=seed)
    n = 0
    while n < budget:
        batch = gen.ask(1)
        if not batch:
            break
        gen.tell(batch, [cross_val_score(Ridge(**c), X, y).mean() for c in batch])
        n += len(batch)
    return max(gen.scores_)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=5)
    parser.add_argument("--budget", type=int, default=20)
    args = parser.parse_args()
    print(
        f"# Ridge on diabetes, mixed space, {args.budget} sequential evaluations, "
        f"{args.seeds} seeds: best 5-fold R^2"
    )
    print("(median over seeds; min in brackets)\n")
    print("| alpha range | " + " | ".join(GENERATORS) + " |")
    print("| --- |" + " --- |" * len(GENERATORS))
    for low, high in RANGES:
        cells = []
        for generator in GENERATORS:
            scores = [
                best_score(generator, (low, high), args.budget, seed)
                for seed in range(args.seeds)
            ]
            cells.append(f"{statistics.median(scores):.4f} ({min(scores):.4f})")
        print(f"| {low:g} .. {high:g} | " + " | ".join(cells) + " |")


if __name__ == "__main__":
    main()
