"""Candidate generators behind one ask/tell protocol."""

from skhyper.generators._base import BaseGenerator
from skhyper.generators._bayes import GPGenerator
from skhyper.generators._fidelity import MultiFidelityGPGenerator
from skhyper.generators._gradient import GradientGenerator
from skhyper.generators._grid import GridGenerator
from skhyper.generators._pareto import ParetoGPGenerator
from skhyper.generators._random import RandomGenerator, SobolGenerator
from skhyper.generators._registry import GENERATORS, make_generator

__all__ = [
    "GENERATORS",
    "BaseGenerator",
    "GPGenerator",
    "GradientGenerator",
    "GridGenerator",
    "MultiFidelityGPGenerator",
    "ParetoGPGenerator",
    "RandomGenerator",
    "SobolGenerator",
    "make_generator",
]
