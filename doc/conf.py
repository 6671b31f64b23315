"""Sphinx configuration of the skhyper documentation.

Build it with ``python -m sphinx -W -b html doc doc/_build/html`` (warnings
are errors; ``pip install -e ".[doc]"`` first). The gallery examples in
``doc/examples`` whose names start with ``plot_`` run during the build.
"""

import os
import sys

import matplotlib

# Document (and run the examples of) this tree, even if another is installed.
sys.path.insert(0, os.path.abspath(".."))
matplotlib.use("Agg")

import skhyper

project = "skhyper"
copyright = "skhyper developers"
release = skhyper.__version__
version = release

extensions = [
    "sphinx.ext.autodoc",
    "sphinx.ext.autosummary",
    "sphinx.ext.mathjax",
    "numpydoc",
    "sphinx_gallery.gen_gallery",
]

templates_path = ["_templates"]
# examples/ is the gallery's source: sphinx-gallery turns it into auto_examples/.
exclude_patterns = ["_build", "examples", "auto_examples/*.ipynb"]

# API reference: one page per public name, written by autosummary.
autosummary_generate = True
autodoc_typehints = "none"
autodoc_default_options = {"members": False}
numpydoc_show_class_members = False
numpydoc_class_members_toctree = False
# numpydoc turns "Returns" types into cross-references only inside skhyper.
numpydoc_xref_param_type = False

sphinx_gallery_conf = {
    "examples_dirs": "examples",
    "gallery_dirs": "auto_examples",
    # Only the plotting examples run; the cluster recipe needs a cluster.
    "filename_pattern": r"/plot_",
    "download_all_examples": False,
    "remove_config_comments": True,
    "abort_on_example_error": True,
    "reset_modules": ("matplotlib",),
    "within_subsection_order": "FileNameSortKey",
    "min_reported_time": 1,
    # Show printed output only, not the value of a cell's last expression.
    "capture_repr": (),
}

html_theme = "pydata_sphinx_theme"
html_title = f"skhyper {release}"
html_theme_options = {
    "navigation_with_keys": False,
    "show_toc_level": 2,
}
# The left sidebar would list a section's sub-pages: the guide pages have
# none (it showed an empty "Section Navigation"), and on the API and gallery
# pages it squeezed the code to about 70 columns. The navigation bar, the API
# reference page and the gallery index link every page.
html_sidebars = {"**": []}
html_static_path: list[str] = []
html_show_sourcelink = False


def _skip_scikit_learn_members(app, what, name, obj, skip, options):
    """Document skhyper's own members only: the methods inherited from
    scikit-learn (``predict``, ``get_params``, metadata routing...) are
    documented there, and their docstrings refer to its glossary."""
    # A property has no module of its own; its getter has.
    module = getattr(getattr(obj, "fget", obj), "__module__", None) or ""
    if module.startswith("sklearn.") or (
        name.startswith("set_") and name.endswith("_request")
    ):
        return True
    return None


def setup(app):
    app.connect("autodoc-skip-member", _skip_scikit_learn_members)
