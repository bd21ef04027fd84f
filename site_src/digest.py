"""Fingerprints of plain data, for telling whether an input changed between builds."""

from __future__ import annotations

import hashlib
import json


def digest(value: object) -> str:
    """A stable sha256 of plain data (dicts, lists, strings, numbers; dates as text)."""
    return measured(value)[0]


def measured(value: object) -> tuple[str, int]:
    """The digest of plain data, and how many bytes it took to write it down."""
    data = json.dumps(value, sort_keys=True, default=str, ensure_ascii=False).encode("utf-8")
    return hashlib.sha256(data).hexdigest(), len(data)
