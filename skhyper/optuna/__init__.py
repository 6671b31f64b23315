"""Optuna's ``OptunaSearchCV``, on skhyper's search and without Optuna.

Code written for ``optuna.integration.OptunaSearchCV`` (now
``optuna_integration.OptunaSearchCV``) runs by changing its import::

    from skhyper.optuna import OptunaSearchCV

Optuna's distributions (``FloatDistribution``, ``IntDistribution``,
``CategoricalDistribution``) go in as they are. See :doc:`/migration` for what
maps to what and what raises.
"""

from skhyper.optuna._search import OptunaSearchCV
from skhyper.optuna._trials import FrozenTrial, SearchStudy, StudyDirection, TrialState

__all__ = [
    "FrozenTrial",
    "OptunaSearchCV",
    "SearchStudy",
    "StudyDirection",
    "TrialState",
]
