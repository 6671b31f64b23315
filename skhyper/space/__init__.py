"""Search spaces: dimensions, parsing of user specifications, unit-cube maps."""

from skhyper.space._dimensions import (
    Categorical,
    Dimension,
    Distribution,
    Fixed,
    Integer,
    Real,
    SampledDistribution,
    to_python_scalar,
)
from skhyper.space._parse import parse_search_space, to_dimension
from skhyper.space._space import GridIndex, SearchSpace, SubSpace

__all__ = [
    "Categorical",
    "Dimension",
    "Distribution",
    "Fixed",
    "GridIndex",
    "Integer",
    "Real",
    "SampledDistribution",
    "SearchSpace",
    "SubSpace",
    "parse_search_space",
    "to_dimension",
    "to_python_scalar",
]
