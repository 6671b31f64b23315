"""skhyper ships its type hints (PEP 561), so editors and type checkers see
the API users call; CI type-checks them with mypy (``.ci/run``)."""

import configparser
from importlib.resources import files
from pathlib import Path

import skhyper

ROOT = Path(skhyper.__file__).resolve().parent.parent


def test_the_package_marks_itself_typed():
    assert files("skhyper").joinpath("py.typed").is_file()
    setup = configparser.ConfigParser()
    setup.read(ROOT / "setup.cfg")
    assert "py.typed" in setup["options.package_data"]["skhyper"]
