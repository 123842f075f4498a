"""A synthetic `fe-dataset-1` folder for developing and testing training/ without the C# side.

It mimics fe-tok-1's layout (not its exact ids): [CLS], 15 field tokens from disjoint id ranges,
then 8 history groups of 4 tokens (gap, amount, same-card/BIN, issuer outcome), missing history as pad.
Each fraud typology plants a noisy signal; some signals need several positions at once (e.g. card
testing = several recent same-card small amounts), so a sequence model has something to learn that a
single field cannot give away. Legitimate traffic also shows every signal at a lower rate.
"""
from __future__ import annotations

import json
import os

import numpy as np

L, N_FIELDS, N_HIST, GROUP = 48, 15, 8, 4
FIELD_BASE, FIELD_VALUES = 8, 16
HIST_BASE = FIELD_BASE + N_FIELDS * FIELD_VALUES  # 248
VOCAB = HIST_BASE + GROUP * 16 + 8                # a little unused headroom, like a real vocabulary
TYPOLOGIES = {1: "card_testing", 2: "counterfeit_fallback", 3: "lost_stolen", 4: "foreign_burst",
              5: "night_high_value", 6: "atc_anomaly", 7: "merchant_collusion"}
F_ENTRY, F_CVM, F_MCC, F_AMOUNT, F_VS_USUAL, F_HOUR, F_FOREIGN, F_FALLBACK, F_ATC = range(9)


def _field(tok: np.ndarray, f: int, values: np.ndarray) -> None:
    tok[:, 1 + f] = FIELD_BASE + f * FIELD_VALUES + values


def _hist(tok: np.ndarray, g: int, kind: int, values: np.ndarray) -> None:
    tok[:, 1 + N_FIELDS + g * GROUP + kind] = HIST_BASE + kind * 16 + values


def _events(n: int, typ: np.ndarray, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    tok = np.zeros((n, L), np.int32)
    tok[:, 0] = 2
    for f in range(N_FIELDS):  # skewed categorical background for every field; values 12..15 are rare
        _field(tok, f, np.minimum(rng.geometric(0.35, n) - 1, 11))
    n_hist = rng.integers(0, N_HIST + 1, n)
    for g in range(N_HIST):
        for kind in range(GROUP):
            _hist(tok, g, kind, rng.integers(0, 16, n))
        same_card = (rng.random(n) < 0.08).astype(np.int64)
        _hist(tok, g, 2, same_card)
        tok[n_hist <= g, 1 + N_FIELDS + g * GROUP: 1 + N_FIELDS + (g + 1) * GROUP] = 0  # no such event
    def plant(t: int, p: float) -> np.ndarray:  # events of typology t that show its signal
        return (typ == t) & (rng.random(n) < p)
    m = plant(1, 0.9)  # card testing: >=4 recent same-card, tiny amounts, short gaps
    for g in range(4):
        sel = np.flatnonzero(m)
        tok[sel, 1 + N_FIELDS + g * GROUP: 1 + N_FIELDS + (g + 1) * GROUP] = (
            HIST_BASE + np.array([0, 16, 32, 48]) + np.array([rng.integers(0, 2), 0, 1, rng.integers(0, 16)]))
    _field(tok, F_AMOUNT, np.where(m, rng.integers(0, 2, n), tok[:, 1 + F_AMOUNT] - FIELD_BASE - F_AMOUNT * FIELD_VALUES))
    m = plant(2, 0.9)  # chip card swiped (fallback) + magstripe entry
    _field(tok, F_FALLBACK, np.where(m, 13, tok[:, 1 + F_FALLBACK] - FIELD_BASE - F_FALLBACK * FIELD_VALUES))
    _field(tok, F_ENTRY, np.where(m | (rng.random(n) < 0.05), 12, tok[:, 1 + F_ENTRY] - FIELD_BASE - F_ENTRY * FIELD_VALUES))
    for t, f, v, p in ((3, F_CVM, 14, 0.85), (3, F_VS_USUAL, 12, 0.8), (4, F_FOREIGN, 13, 0.9),
                       (5, F_HOUR, 13, 0.85), (5, F_AMOUNT, 14, 0.85), (6, F_ATC, 15, 0.9), (7, F_MCC, 12, 0.85)):
        m = plant(t, p)
        _field(tok, f, np.where(m, v, tok[:, 1 + f] - FIELD_BASE - f * FIELD_VALUES))
    m = plant(4, 0.8)  # foreign burst: previous event was foreign too, same BIN
    _hist(tok, 0, 2, np.where(m, 3, tok[:, 1 + N_FIELDS + 2] - HIST_BASE - 32))
    # Noise: rare values (the signals) also appear in legitimate traffic now and then.
    legit_noise = (typ == 0) & (rng.random(n) < 0.01)
    f, v = rng.integers(0, 9, n), rng.integers(12, 16, n)
    tok[legit_noise, 1 + f[legit_noise]] = FIELD_BASE + f[legit_noise] * FIELD_VALUES + v[legit_noise]
    feats = np.stack([
        (tok[:, 1 + N_FIELDS + 2::GROUP] == HIST_BASE + 33).sum(1),          # recent same-card count
        tok[:, 1 + F_AMOUNT] - FIELD_BASE - F_AMOUNT * FIELD_VALUES,
        tok[:, 1 + F_FALLBACK] == FIELD_BASE + F_FALLBACK * FIELD_VALUES + 13,
        tok[:, 1 + F_FOREIGN] - FIELD_BASE - F_FOREIGN * FIELD_VALUES,
        tok[:, 1 + F_HOUR] - FIELD_BASE - F_HOUR * FIELD_VALUES,
        n_hist,
    ], 1).astype(np.float32)
    feats = np.concatenate([feats + rng.normal(0, 0.3, feats.shape).astype(np.float32),
                            rng.normal(0, 1, (n, 4)).astype(np.float32)], 1)
    return tok, feats


def _split(n: int, fraud_rate: float, day0: int, days: int, n_cards: int, delay_miss: float,
           rng: np.random.Generator) -> dict:
    typ = np.where(rng.random(n) < fraud_rate, rng.integers(1, 8, n), 0).astype(np.uint8)
    tok, feats = _events(n, typ, rng)
    labels = ((typ > 0) & (rng.random(n) >= delay_miss)).astype(np.uint8)  # late notices -> 0
    day = np.sort(rng.integers(day0, day0 + days, n)).astype(np.int32)
    card = rng.integers(0, n_cards, n).astype(np.int32)
    return dict(tokens=tok, labels=labels, typology=typ, features=feats, day=day, card=card)


def make_synthetic_dataset(out: str, n_train: int = 20000, n_val: int = 5000, n_test: int = 5000,
                           fraud_rate: float = 0.015, seed: int = 0) -> str:
    """Write a complete fe-dataset-1 folder to `out` and return it."""
    rng = np.random.default_rng(seed)
    os.makedirs(out, exist_ok=True)
    d0 = 20500  # 2026-02-16 as a UTC day number
    sizes = {"train": (n_train, d0, 28, 0.15), "val": (n_val, d0 + 28, 7, 0.05), "test": (n_test, d0 + 42, 7, 0.0)}
    splits = {}
    for name, (n, day0, days, miss) in sizes.items():
        s = _split(n, fraud_rate, day0, days, max(300, n // 3), miss, rng)  # >100 cards a day
        for k, v in s.items():
            np.save(os.path.join(out, f"{name}.{k}.npy"), v)
        splits[name] = {"count": n, "positives": int(s["labels"].sum()),
                        "from_utc": f"day {day0}", "to_utc": f"day {day0 + days}"}
    meta = {
        "format": "fe-dataset-1", "tokenizer": "fe-tok-1", "seq_len": L, "vocab_size": VOCAB,
        "special_tokens": {"pad": 0, "unk": 1, "cls": 2, "mask": 3}, "label_delay_days": 7,
        "feature_names": ["same_card_recent", "amount_bucket", "fallback", "foreign", "hour", "history_len",
                          "noise0", "noise1", "noise2", "noise3"],
        "typologies": {str(k): v for k, v in TYPOLOGIES.items()}, "splits": splits,
        "source_log_sha256": "0" * 64,
    }
    with open(os.path.join(out, "dataset.json"), "w", encoding="utf-8") as f:
        json.dump(meta, f, indent=2)
    return out


if __name__ == "__main__":
    import argparse

    ap = argparse.ArgumentParser(description="write a synthetic fe-dataset-1 folder")
    ap.add_argument("out")
    ap.add_argument("--train", type=int, default=20000)
    ap.add_argument("--val", type=int, default=5000)
    ap.add_argument("--test", type=int, default=5000)
    ap.add_argument("--fraud-rate", type=float, default=0.015)
    ap.add_argument("--seed", type=int, default=0)
    a = ap.parse_args()
    make_synthetic_dataset(a.out, a.train, a.val, a.test, a.fraud_rate, a.seed)
