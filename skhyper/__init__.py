"""skhyper: hyperparameter search for scikit-learn models.

Drop-in replacements for ``GridSearchCV`` and ``RandomizedSearchCV`` with
pluggable candidate generators (grid, random, Sobol, Gaussian-process
Bayesian optimization, finite-difference gradient ascent) and rich search spaces.
"""

from skhyper._minimize import OptimizeResult, minimize
from skhyper.generators import (
    GPGenerator,
    GradientGenerator,
    GridGenerator,
    MultiFidelityGPGenerator,
    ParetoGPGenerator,
    RandomGenerator,
    SobolGenerator,
)
from skhyper.search import (
    BayesSearchCV,
    HalvingBayesSearchCV,
    HyperSearchCV,
    NoImprovement,
    RandomSearchCV,
    SearchState,
    TargetScore,
)
from skhyper.space import Categorical, Integer, Real

__version__ = "0.1.0.dev0"

__all__ = [
    "BayesSearchCV",
    "Categorical",
    "GPGenerator",
    "GradientGenerator",
    "GridGenerator",
    "HalvingBayesSearchCV",
    "HyperSearchCV",
    "Integer",
    "MultiFidelityGPGenerator",
    "NoImprovement",
    "OptimizeResult",
    "ParetoGPGenerator",
    "RandomGenerator",
    "RandomSearchCV",
    "Real",
    "SearchState",
    "SobolGenerator",
    "TargetScore",
    "__version__",
    "minimize",
]
