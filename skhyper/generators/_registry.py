"""Resolve a generator given by name or instance."""

from __future__ import annotations

from sklearn.base import clone

from skhyper.generators._base import BaseGenerator
from skhyper.generators._bayes import GPGenerator
from skhyper.generators._gradient import GradientGenerator
from skhyper.generators._grid import GridGenerator
from skhyper.generators._pareto import ParetoGPGenerator
from skhyper.generators._random import RandomGenerator, SobolGenerator

__all__ = ["GENERATORS", "make_generator"]

#: Generators selectable by name.
GENERATORS: dict[str, type[BaseGenerator]] = {
    "gp": GPGenerator,
    "gradient": GradientGenerator,
    "grid": GridGenerator,
    "pareto_gp": ParetoGPGenerator,
    "random": RandomGenerator,
    "sobol": SobolGenerator,
}


def make_generator(generator: str | BaseGenerator) -> BaseGenerator:
    """Return a fresh (unstarted) generator for a name or a configured instance.

    An instance is cloned, so the user's object is never modified.
    """
    if isinstance(generator, str):
        try:
            return GENERATORS[generator]()
        except KeyError:
            raise ValueError(
                f"Unknown generator {generator!r}; choose one of "
                f"{sorted(GENERATORS)} or pass a generator instance."
            ) from None
    if isinstance(generator, BaseGenerator):
        if type(generator)._propose is BaseGenerator._propose:
            raise TypeError(
                f"{type(generator).__name__} subclasses BaseGenerator but does "
                "not implement _propose(n), which returns up to n (sub-space "
                "index, candidate) pairs; see 'Writing a generator' in the "
                "generators guide."
            )
        return clone(generator)
    missing = [
        name
        for name in ("start", "ask", "tell", "exhausted", "n_remaining", "uses_scores")
        if not hasattr(generator, name)
    ]
    lacks = f" It lacks {', '.join(missing)}." if missing else ""
    raise TypeError(
        f"generator must be one of {sorted(GENERATORS)} or an instance of a "
        "subclass of skhyper.generators.BaseGenerator (which provides start, "
        "ask, tell, exhausted and n_remaining; a subclass implements "
        f"_propose(n)), got {generator!r} of type "
        f"{type(generator).__name__}.{lacks}"
    )
