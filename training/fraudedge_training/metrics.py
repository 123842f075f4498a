"""Ranking and operating-point metrics, in plain numpy (no scikit-learn on Debian's python here).

All functions take raw scores (logits or probabilities: only the order matters, except where a
threshold is passed in the same units as the scores).
"""
from __future__ import annotations

import numpy as np


def average_precision(scores: np.ndarray, labels: np.ndarray) -> float:
    """Step-wise AP, sum_n (R_n - R_{n-1}) P_n over distinct thresholds (same as sklearn)."""
    y = labels.astype(bool)
    if y.sum() == 0:
        return float("nan")
    order = np.argsort(-scores, kind="mergesort")
    s, y = scores[order], y[order]
    last = np.r_[np.flatnonzero(np.diff(s) != 0), len(s) - 1]  # end of each tie group
    tp = np.cumsum(y)[last]
    precision = tp / (last + 1)
    recall = tp / y.sum()
    return float(np.sum(np.diff(np.r_[0.0, recall]) * precision))


def roc_auc(scores: np.ndarray, labels: np.ndarray) -> float:
    """Mann-Whitney U with average ranks for ties."""
    y = labels.astype(bool)
    n_pos, n_neg = int(y.sum()), int((~y).sum())
    if n_pos == 0 or n_neg == 0:
        return float("nan")
    order = np.argsort(scores, kind="mergesort")
    s = scores[order]
    ranks = np.empty(len(s))
    starts = np.r_[0, np.flatnonzero(np.diff(s) != 0) + 1]
    ends = np.r_[starts[1:], len(s)]
    for a, b in zip(starts, ends):  # loops over distinct values only
        ranks[a:b] = (a + b + 1) / 2.0
    r = np.empty(len(s))
    r[order] = ranks
    return float((r[y].sum() - n_pos * (n_pos + 1) / 2.0) / (n_pos * n_neg))


def threshold_at_rate(scores: np.ndarray, rate: float) -> float:
    """Score t such that about `rate` of events have score > t (t = a score of the population)."""
    k = int(np.floor(rate * len(scores)))
    s = np.sort(scores)[::-1]
    return float(s[min(k, len(s) - 1)])


def recall_at_fpr(scores: np.ndarray, labels: np.ndarray, fpr: float) -> float:
    """Recall when flagging `score > t`, t chosen so at most fpr * negatives are flagged."""
    y = labels.astype(bool)
    if y.sum() == 0 or (~y).sum() == 0:
        return float("nan")
    t = threshold_at_rate(scores[~y], fpr)
    return float(np.mean(scores[y] > t))


def card_precision_at_k(scores: np.ndarray, labels: np.ndarray, day: np.ndarray, card: np.ndarray,
                        k: int = 100) -> float:
    """Per day: rank cards by their highest score that day, take the top k, count the fraction that had
    a fraud event that day; mean over days. Days with fewer than k cards use all their cards."""
    vals = []
    for d in np.unique(day):
        m = day == d
        c, s, y = card[m], scores[m], labels[m]
        cards, inv = np.unique(c, return_inverse=True)
        best = np.full(len(cards), -np.inf)
        np.maximum.at(best, inv, s)
        fraud = np.zeros(len(cards), bool)
        np.logical_or.at(fraud, inv, y.astype(bool))
        top = np.argsort(-best, kind="mergesort")[:k]
        vals.append(fraud[top].mean())
    return float(np.mean(vals)) if vals else float("nan")


def typology_recall(scores: np.ndarray, typology: np.ndarray, threshold: float,
                    names: dict[int, str]) -> dict:
    """Recall per simulated typology (ground truth, independent of label delay) at `score >= threshold`."""
    out = {}
    for t in range(1, 8):
        m = typology == t
        out[names.get(t, str(t))] = {"events": int(m.sum()),
                                     "recall": float(np.mean(scores[m] >= threshold)) if m.any() else None}
    return out


def evaluate(scores: np.ndarray, split, deny_threshold: float, names: dict[int, str]) -> dict:
    """Every metric of the report for one model on one split (`split` is a data.Split)."""
    y = split.labels
    return {
        "events": int(len(y)),
        "positives": int(y.sum()),
        "average_precision": average_precision(scores, y),
        "roc_auc": roc_auc(scores, y),
        "recall_at_fpr_0_1pct": recall_at_fpr(scores, y, 0.001),
        "recall_at_fpr_1pct": recall_at_fpr(scores, y, 0.01),
        "card_precision_at_100_per_day": card_precision_at_k(scores, y, split.day, split.card, 100),
        "deny_threshold_score": float(deny_threshold),
        "deny_rate": float(np.mean(scores >= deny_threshold)),
        "typology_recall_at_deny": typology_recall(scores, split.typology, deny_threshold, names),
    }
