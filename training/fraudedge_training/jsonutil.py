"""JSON that C# can read: no NaN/Infinity literals, no numpy scalar types."""
from __future__ import annotations

import math

import numpy as np


def clean(obj):
    """Recursively turn numpy scalars into Python numbers and non-finite floats into None (null)."""
    if isinstance(obj, dict):
        return {str(k): clean(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [clean(v) for v in obj]
    if isinstance(obj, np.generic):
        obj = obj.item()
    if isinstance(obj, float) and not math.isfinite(obj):
        return None
    return obj
