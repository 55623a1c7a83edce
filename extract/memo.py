"""Memo: a function's answers kept per argument, in a dict that `map` can read in C."""
from __future__ import annotations

from typing import Callable


class Memo(dict):
    """`memo[x]` is `compute(x)`, computed once per x; past `limit` kept answers the memory starts again.

    The per-token scans run `compress(count(), map(memo.__getitem__, words))`: Python is called
    only for words not seen before, and news text repeats its words.
    """

    LIMIT = 200_000  # distinct arguments remembered by default

    def __init__(self, compute: Callable, limit: int | None = None):
        super().__init__()
        self.compute = compute
        self.limit = self.LIMIT if limit is None else limit

    def __missing__(self, key):
        if len(self) >= self.limit:
            self.clear()
        found = self[key] = self.compute(key)
        return found
