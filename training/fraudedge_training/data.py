"""Loading the `fe-dataset-1` folder written by `fraudedge dataset` (docs/dataset-and-bundle.md).

The C# tokenizer is the only tokenizer: this module never re-tokenises, it only validates that
the arrays are exactly what the contract promises and refuses anything else with a clear error.
"""
from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass

import numpy as np

FORMAT = "fe-dataset-1"
TOKENIZER = "fe-tok-1"
SPLITS = ("train", "val", "test")
# name -> (dtype, ndim); the contract fixes dtypes exactly, so no silent casting on load.
ARRAYS = {
    "tokens": (np.dtype("<i4"), 2),
    "labels": (np.dtype("u1"), 1),
    "typology": (np.dtype("u1"), 1),
    "features": (np.dtype("<f4"), 2),
    "day": (np.dtype("<i4"), 1),
    "card": (np.dtype("<i4"), 1),
}
CLS, MASK, PAD = 2, 3, 0


class DatasetError(ValueError):
    pass


@dataclass
class Split:
    tokens: np.ndarray    # int32 [N, L]
    labels: np.ndarray    # uint8 [N]
    typology: np.ndarray  # uint8 [N]; 0 legit, 1..7 typology, 255 unknown
    features: np.ndarray  # float32 [N, F]
    day: np.ndarray       # int32 [N]
    card: np.ndarray      # int32 [N]

    def __len__(self) -> int:
        return len(self.labels)

    def take(self, idx: np.ndarray) -> "Split":
        return Split(*(getattr(self, k)[idx] for k in ARRAYS))

    @property
    def positives(self) -> int:
        return int(self.labels.sum())


@dataclass
class Dataset:
    root: str
    meta: dict
    train: Split
    val: Split
    test: Split
    sha256: str

    @property
    def seq_len(self) -> int:
        return int(self.meta["seq_len"])

    @property
    def vocab_size(self) -> int:
        return int(self.meta["vocab_size"])

    def typology_names(self) -> dict[int, str]:
        return {int(k): v for k, v in self.meta.get("typologies", {}).items()}


def folder_sha256(root: str) -> str:
    """SHA-256 of a `sha256sum`-style listing ("<hex>  <name>\\n", names sorted bytewise) of the
    folder's regular files: one value that changes if any file of the dataset changes."""
    lines = []
    for name in sorted(os.listdir(root), key=lambda n: n.encode()):
        path = os.path.join(root, name)
        if os.path.isfile(path):
            h = hashlib.sha256()
            with open(path, "rb") as f:
                for chunk in iter(lambda: f.read(1 << 20), b""):
                    h.update(chunk)
            lines.append(f"{h.hexdigest()}  {name}\n")
    return hashlib.sha256("".join(lines).encode()).hexdigest()


def _load_array(root: str, split: str, name: str) -> np.ndarray:
    path = os.path.join(root, f"{split}.{name}.npy")
    if not os.path.exists(path):
        raise DatasetError(f"missing {path}")
    arr = np.load(path, allow_pickle=False)
    dtype, ndim = ARRAYS[name]
    if arr.dtype != dtype or arr.ndim != ndim:
        raise DatasetError(f"{path}: expected {dtype.str} with {ndim} dims, got {arr.dtype.str} {arr.shape}")
    return np.ascontiguousarray(arr)


def _load_split(root: str, split: str, meta: dict) -> Split:
    s = Split(*(_load_array(root, split, k) for k in ARRAYS))
    n, L, vocab = len(s.labels), int(meta["seq_len"]), int(meta["vocab_size"])
    for k in ARRAYS:
        if len(getattr(s, k)) != n:
            raise DatasetError(f"{split}.{k}.npy has {len(getattr(s, k))} rows, labels has {n}")
    if s.tokens.shape[1] != L:
        raise DatasetError(f"{split}.tokens.npy has length {s.tokens.shape[1]}, dataset.json says {L}")
    if n and (s.tokens.min() < 0 or s.tokens.max() >= vocab):
        raise DatasetError(f"{split}.tokens.npy ids outside [0, {vocab})")
    if n and s.labels.max() > 1:
        raise DatasetError(f"{split}.labels.npy must be 0/1")
    if n and np.any((s.typology > 7) & (s.typology != 255)):
        raise DatasetError(f"{split}.typology.npy must be 0..7 or 255")
    if n and not np.all(s.tokens[:, 0] == CLS):
        # [CLS] pooling and 'never mask position 0' assume it; a tokenizer change must be noticed.
        raise DatasetError(f"{split}.tokens.npy: position 0 is not [CLS]={CLS} in every row")
    expected = meta.get("splits", {}).get(split, {}).get("count")
    if expected is not None and int(expected) != n:
        raise DatasetError(f"{split}: dataset.json count {expected} != {n} rows")
    return s


def load_dataset(root: str) -> Dataset:
    meta_path = os.path.join(root, "dataset.json")
    try:
        with open(meta_path, encoding="utf-8") as f:
            meta = json.load(f)
    except FileNotFoundError:
        raise DatasetError(f"missing {meta_path}") from None
    if meta.get("format") != FORMAT:
        raise DatasetError(f"{meta_path}: format {meta.get('format')!r}, expected {FORMAT!r}")
    if meta.get("tokenizer") != TOKENIZER:
        raise DatasetError(f"{meta_path}: tokenizer {meta.get('tokenizer')!r}, expected {TOKENIZER!r}")
    special = meta.get("special_tokens", {})
    if special and (special.get("cls"), special.get("mask"), special.get("pad")) != (CLS, MASK, PAD):
        raise DatasetError(f"{meta_path}: special tokens {special} differ from pad=0 cls=2 mask=3")
    splits = {s: _load_split(root, s, meta) for s in SPLITS}
    if any(len(splits[s]) == 0 for s in SPLITS):
        raise DatasetError("every split needs at least one event")
    return Dataset(root=root, meta=meta, sha256=folder_sha256(root), **splits)


def balanced_subset(split: Split, cap: int, rng: np.random.Generator) -> np.ndarray:
    """Indices of at most `cap` events: every positive, plus a uniform sample of negatives.

    Fraud is ~0.5-2 % of events and CPU time is the budget, so negatives are what we drop.
    Ranking metrics are unaffected by the prior shift; calibration is fitted on the full val split.
    """
    n = len(split)
    if cap <= 0 or n <= cap:
        return np.arange(n)
    pos = np.flatnonzero(split.labels == 1)
    neg = np.flatnonzero(split.labels == 0)
    if len(pos) > cap // 2:  # keep at least half negatives so the model still sees normal traffic
        pos = rng.choice(pos, cap // 2, replace=False)
    neg = rng.choice(neg, min(len(neg), cap - len(pos)), replace=False)
    return np.sort(np.concatenate([pos, neg]))
