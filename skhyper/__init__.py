"""skhyper: hyperparameter search for scikit-learn models.

Drop-in replacements for ``GridSearchCV`` and ``RandomizedSearchCV`` with
pluggable candidate generators and rich search spaces.
"""

from skhyper.generators import GridGenerator, RandomGenerator, SobolGenerator
from skhyper.search import HyperSearchCV, RandomSearchCV
from skhyper.space import Categorical, Integer, Real

__version__ = "0.1.0.dev0"

__all__ = [
    "Categorical",
    "GridGenerator",
    "HyperSearchCV",
    "Integer",
    "RandomGenerator",
    "RandomSearchCV",
    "Real",
    "SobolGenerator",
    "__version__",
]
