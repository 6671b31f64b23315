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
    if all(hasattr(generator, m) for m in ("start", "ask", "tell")):
        return clone(generator)
    raise TypeError(
        "generator must be a name or an object with start, ask and tell methods, "
        f"got {generator!r}."
    )
