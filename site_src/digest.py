"""Fingerprints of plain data, for telling whether an input changed between builds."""

from __future__ import annotations

import hashlib
import json


def digest(value: object) -> str:
    """A stable sha256 of plain data (dicts, lists, strings, numbers; dates as text)."""
    text = json.dumps(value, sort_keys=True, default=str, ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()
