"""Search meta-estimators built on scikit-learn's BaseSearchCV."""

from skhyper.search._base import BaseHyperSearchCV
from skhyper.search._searches import HyperSearchCV, RandomSearchCV

__all__ = ["BaseHyperSearchCV", "HyperSearchCV", "RandomSearchCV"]
