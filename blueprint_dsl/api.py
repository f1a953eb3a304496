"""The Python API for scripts and notebooks.

    >>> from blueprint_dsl import load
    >>> result = load("examples/coffee.svc")
    >>> result.blueprint.title
    'Coffee to go'
"""

from .loader import LoadResult, load, loads

__all__ = ["LoadResult", "load", "loads"]
