"""Choosing a model by score and cost.

Refit rules (callables for ``refit=``, in skhyper's searches and in
scikit-learn's own), Pareto fronts of ``cv_results_`` and hypervolumes.

- :class:`OneStandardError`: the simplest candidate within one standard
  error of the best.
- :class:`FastestWithinTolerance`: the fastest candidate nearly as good as
  the best.
- :class:`ParetoRefit`: a candidate picked from the Pareto front of
  several objectives.
- :func:`pareto_front`, :func:`hypervolume`: the front and its measure.
"""

from skhyper.selection._objectives import (
    generator_objectives,
    hypervolume,
    objective_matrix,
    pareto_front,
    pareto_mask,
)
from skhyper.selection._rules import (
    FastestWithinTolerance,
    OneStandardError,
    ParetoRefit,
)

__all__ = [
    "FastestWithinTolerance",
    "OneStandardError",
    "ParetoRefit",
    "generator_objectives",
    "hypervolume",
    "objective_matrix",
    "pareto_front",
    "pareto_mask",
]
