"""XGBoost on the hand-crafted aggregate features: the non-sequence baseline the student must beat."""
from __future__ import annotations

import time

import numpy as np
import xgboost as xgb


def train_xgboost(train_x: np.ndarray, train_y: np.ndarray, val_x: np.ndarray, val_y: np.ndarray,
                  rounds: int, seed: int, threads: int) -> tuple[xgb.Booster, dict]:
    n_pos = max(1, int(train_y.sum()))
    n_neg = len(train_y) - n_pos
    params = {
        "objective": "binary:logistic", "eval_metric": "aucpr", "tree_method": "hist",
        "max_depth": 6, "eta": 0.1, "subsample": 0.8, "colsample_bytree": 0.8, "min_child_weight": 1,
        # sqrt of the imbalance, the same rule as the neural models' pos_weight (not tuned separately).
        "scale_pos_weight": float(np.sqrt(n_neg / n_pos)), "seed": seed, "nthread": threads,
    }
    t0 = time.time()
    dtrain = xgb.DMatrix(train_x, label=train_y)
    dval = xgb.DMatrix(val_x, label=val_y)
    booster = xgb.train(params, dtrain, rounds, evals=[(dval, "val")], early_stopping_rounds=30,
                        verbose_eval=False)
    info = {"params": params, "rounds": rounds, "best_iteration": int(booster.best_iteration),
            "examples": int(len(train_y)), "seconds": time.time() - t0}
    return booster, info


def predict_margin(booster: xgb.Booster, x: np.ndarray) -> np.ndarray:
    """Raw margins (log-odds) of the best iteration, comparable in kind to the networks' logits."""
    return booster.predict(xgb.DMatrix(x), output_margin=True,
                           iteration_range=(0, booster.best_iteration + 1)).astype(np.float32)
