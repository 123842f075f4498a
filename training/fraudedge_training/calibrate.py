"""Platt scaling and rate-based thresholds, both fitted on the validation split."""
from __future__ import annotations

import numpy as np

from .metrics import threshold_at_rate


def sigmoid(z):
    return 1.0 / (1.0 + np.exp(-z))


def fit_platt(logits: np.ndarray, labels: np.ndarray, iters: int = 100) -> tuple[float, float]:
    """(a, b) minimising log-loss of sigmoid(a * logit + b), by Newton's method.

    Uses Platt's smoothed targets ((N+ + 1)/(N+ + 2) and 1/(N- + 2)) so a split with very few
    positives cannot push the fit to infinite confidence.
    """
    z = logits.astype(np.float64)
    y = labels.astype(bool)
    n_pos, n_neg = y.sum(), (~y).sum()
    t = np.where(y, (n_pos + 1.0) / (n_pos + 2.0), 1.0 / (n_neg + 2.0))
    a, b = 1.0, float(np.log((n_pos + 1.0) / (n_neg + 1.0)) - np.median(z))  # start near the prior
    X = np.stack([z, np.ones_like(z)], 1)
    for _ in range(iters):
        p = sigmoid(a * z + b)
        grad = X.T @ (p - t)
        w = np.maximum(p * (1 - p), 1e-12)
        hess = X.T @ (X * w[:, None]) + 1e-9 * np.eye(2)
        step = np.linalg.solve(hess, grad)
        # Backtracking keeps Newton monotone on flat/separable data.
        loss = _loss(X, t, a, b)
        s = 1.0
        while s > 1e-6 and _loss(X, t, a - s * step[0], b - s * step[1]) > loss:
            s /= 2
        a, b = a - s * step[0], b - s * step[1]
        if np.abs(s * step).max() < 1e-10:
            break
    return float(a), float(b)


def _loss(X, t, a, b):
    z = X[:, 0] * a + b
    return float(np.sum(np.logaddexp(0, z) - t * z))


def thresholds(val_logits: np.ndarray, a: float, b: float, review_rate: float, deny_rate: float) -> dict:
    """Review/deny thresholds as calibrated probabilities, set so about `rate` of val events score above.

    Rates (not probabilities) are the operational knob: a terminal fleet can absorb a known share of
    reviews and declines, whatever the model's calibration happens to be.
    """
    if a <= 0:
        raise ValueError(f"Platt slope a={a} <= 0: the model ranks fraud below legitimate traffic")
    if not 0 < deny_rate <= review_rate < 1:
        raise ValueError("need 0 < deny rate <= review rate < 1")
    z_review = threshold_at_rate(val_logits, review_rate)
    z_deny = threshold_at_rate(val_logits, deny_rate)
    return {
        "review": float(sigmoid(a * z_review + b)),
        "deny": float(sigmoid(a * z_deny + b)),
        "target_review_rate": review_rate,
        "target_deny_rate": deny_rate,
        "review_logit": float(z_review),
        "deny_logit": float(z_deny),
    }
