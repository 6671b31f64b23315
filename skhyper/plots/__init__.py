"""Plots of a fitted search or a :func:`skhyper.minimize` result.

Needs matplotlib (``pip install matplotlib``, the ``plots`` extra), imported only when a
plot is drawn. Every function takes a fitted search (anything with
``cv_results_``, so scikit-learn's own searches too) or an
:class:`~skhyper.OptimizeResult`, accepts ``ax=`` and returns the matplotlib
axes it drew on.

- :func:`plot_convergence`: best value so far against evaluations, several
  searches on one axes.
- :func:`plot_evaluations`: the evaluated values against each parameter,
  coloured by order.
- :func:`plot_partial_dependence`: the Gaussian-process surrogate's partial
  dependence on one parameter or a pair, with the evaluated points.
- :func:`plot_pareto_front`: candidates in the plane of two objectives
  (score against fit time, say) with their Pareto front.
- :func:`plot_importance` and :func:`parameter_importance`: the share of the
  surrogate's variance each parameter explains.
"""

from skhyper.plots._convergence import plot_convergence
from skhyper.plots._dependence import plot_importance, plot_partial_dependence
from skhyper.plots._evaluations import plot_evaluations
from skhyper.plots._pareto import plot_pareto_front
from skhyper.plots._surrogate import parameter_importance

__all__ = [
    "parameter_importance",
    "plot_convergence",
    "plot_evaluations",
    "plot_importance",
    "plot_pareto_front",
    "plot_partial_dependence",
]
