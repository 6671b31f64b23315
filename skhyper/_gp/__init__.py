"""Gaussian-process numerics for Bayesian optimisation (numpy/scipy only).

Everything maximises: larger scores are better. Inputs live in ``[0, 1]^d``.
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
    make_acquisition_function,
    maximize_acquisition,
    propose_batch,
)
from ._regression import GaussianProcess
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
    "get_acquisition",
    "log_h",
    "make_acquisition_function",
    "matern52",
    "matern52_grad_x",
    "matern52_with_grad",
    "maximize_acquisition",
    "neg_log_posterior",
    "propose_batch",
]
