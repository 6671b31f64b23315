"""Search meta-estimators built on scikit-learn's BaseSearchCV."""

from skhyper.search._base import BaseHyperSearchCV
from skhyper.search._searches import BayesSearchCV, HyperSearchCV, RandomSearchCV

__all__ = [
    "BaseHyperSearchCV",
    "BayesSearchCV",
    "HyperSearchCV",
    "RandomSearchCV",
]
