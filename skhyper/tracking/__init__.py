"""Experiment tracking of searches.

:class:`MLflowLogger` logs every candidate of a search as a child run of
one MLflow parent run, and the best model to the parent. Needs MLflow:
``pip install "skhyper[mlflow]"``.
"""

from skhyper.tracking._mlflow import MLflowLogger

__all__ = ["MLflowLogger"]
