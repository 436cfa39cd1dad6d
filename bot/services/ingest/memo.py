"""Bounded caches for the pure steps of reading a text (a sentence's places, dates, cues).

Reports repeat sentences, names and dates; each is worked out once. Every cache is bounded, so
memory stays flat however much is read, and thread-safe, as extraction runs off the event loop.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, TypeVar

_T = TypeVar("_T")
_CACHES: list[Any] = []


def cached(maxsize: int) -> Callable[[Callable[..., _T]], functools._lru_cache_wrapper[_T]]:
    def wrap(function: Callable[..., _T]) -> functools._lru_cache_wrapper[_T]:
        wrapped = functools.lru_cache(maxsize=maxsize)(function)
        _CACHES.append(wrapped)
        return wrapped
    return wrap


def clear_caches() -> None:
    """Forgets everything remembered, so a measurement counts all the work (tests, benchmarks)."""
    for cache in _CACHES:
        cache.cache_clear()
