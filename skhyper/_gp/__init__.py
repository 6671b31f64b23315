"""Gaussian-process numerics for Bayesian optimisation (numpy/scipy only).

Everything maximises: larger scores are better. Inputs live in ``[0, 1]^d``.

Typical use, one suggestion per call::

    gp = GaussianProcess()            # keep it: refits are warm-started
    gp.fit(X, y, rng)                 # X (n, d) in [0, 1], y (n,) finite
    X_next = propose_batch(
        gp, 1, get_acquisition("log_ei"), rng=rng,
        exclude=pending, snap=snap,   # snap rounds integers / one-hot blocks
    )                                 # (1, d), not in X nor in pending

``gp.predict(Xs)`` gives mean and standard deviation in score units;
``gp.predict(Xs, standardized=True)`` the standardised ones used by the
acquisition functions (compare with ``gp.best_standardized``).
"""

from ._acquisition import (
    Acquisition,
    LogExpectedImprovement,
    LogProbabilityOfImprovement,
    UpperConfidenceBound,
    get_acquisition,
    log_h,
)
from ._kernel import matern52, matern52_grad_x, matern52_with_grad
from ._likelihood import HyperPrior, neg_log_posterior
from ._optimize import (
    AcquisitionFunction,
    draw_pool,
    jitter,
    make_acquisition_function,
    maximize_acquisition,
    pick_from_pool,
    propose_batch,
)
from ._regression import GaussianProcess, fit_reusing_theta
from ._transform import Standardizer

__all__ = [
    "Acquisition",
    "AcquisitionFunction",
    "GaussianProcess",
    "HyperPrior",
    "LogExpectedImprovement",
    "LogProbabilityOfImprovement",
    "Standardizer",
    "UpperConfidenceBound",
    "draw_pool",
    "fit_reusing_theta",
    "get_acquisition",
    "jitter",
    "log_h",
    "make_acquisition_function",
    "matern52",
    "matern52_grad_x",
    "matern52_with_grad",
    "maximize_acquisition",
    "neg_log_posterior",
    "pick_from_pool",
    "propose_batch",
]
