"""
Minimize a black-box function
=============================

:func:`skhyper.minimize` runs any generator on a plain Python function, no
scikit-learn needed. Here the Branin function, a classic two-dimensional
test with three global minima of value 0.397887, for 40 evaluations; the
plots accept the result as they accept a fitted search (function values
are then minimized).
"""

import math

from skhyper import Real, minimize
from skhyper.plots import plot_convergence, plot_partial_dependence


def branin(x1, x2):
    b, c, t = 5.1 / (4 * math.pi**2), 5 / math.pi, 1 / (8 * math.pi)
    return (x2 - b * x1**2 + c * x1 - 6) ** 2 + 10 * (1 - t) * math.cos(x1) + 10


space = {"x1": Real(-5, 10), "x2": Real(0, 15)}
results = {
    generator: minimize(branin, space, n_calls=40, generator=generator, random_state=0)
    for generator in ("random", "sobol", "gp")
}
for generator, result in results.items():
    print(f"{generator:>6}: lowest value {result.fun:.4f} at {result.x}")

# %%
# Convergence
# -----------
ax = plot_convergence(*results.values(), labels=list(results))
ax.set_yscale("log")
ax.axhline(0.397887, color="0.5", linestyle=":", label="global minimum")
ax.legend()

# %%
# What the Gaussian process learnt
# --------------------------------
# The partial dependence on the pair is the model's mean over the plane
# (there is no other parameter to average over): the three valleys of
# Branin, with the points the search evaluated concentrated in them.
ax = plot_partial_dependence(results["gp"], ("x1", "x2"), n_points=40)
