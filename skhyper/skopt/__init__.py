"""scikit-optimize's ``BayesSearchCV`` and dimensions, on skhyper's search.

Code written for scikit-optimize runs by changing its imports::

    from skhyper.skopt import BayesSearchCV, Real, Integer, Categorical

See :doc:`/migration` for what maps to what and what raises.
"""

from skhyper.skopt._dimensions import Categorical, Integer, Real
from skhyper.skopt._search import BayesSearchCV

__all__ = ["BayesSearchCV", "Categorical", "Integer", "Real"]
