"""Search meta-estimators built on scikit-learn's BaseSearchCV."""

from skhyper.search._base import BaseHyperSearchCV
from skhyper.search._halving import HalvingBayesSearchCV
from skhyper.search._searches import BayesSearchCV, HyperSearchCV, RandomSearchCV
from skhyper.search._state import SearchState
from skhyper.search._stopping import NoImprovement, TargetScore

__all__ = [
    "BaseHyperSearchCV",
    "BayesSearchCV",
    "HalvingBayesSearchCV",
    "HyperSearchCV",
    "NoImprovement",
    "RandomSearchCV",
    "SearchState",
    "TargetScore",
]
