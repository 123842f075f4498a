"""Training loops: masked-token pretraining, supervised/distilled fine-tuning, batched inference."""
from __future__ import annotations

import copy
import math
import time
from typing import Callable

import numpy as np
import torch
import torch.nn.functional as F

from .data import CLS, MASK, PAD
from .metrics import average_precision
from .models import Encoder, MlmHead


def _schedule(opt: torch.optim.Optimizer, total_steps: int, lr: float, warmup: float = 0.05):
    """Linear warm-up then cosine decay to 10 % of lr: robust for short CPU runs."""
    warm = max(1, int(total_steps * warmup))

    def at(step: int) -> None:
        f = step / warm if step < warm else 0.1 + 0.9 * 0.5 * (1 + math.cos(math.pi * (step - warm) / max(1, total_steps - warm)))
        for g in opt.param_groups:
            g["lr"] = lr * f
    return at


def _optimizer(params, lr: float, weight_decay: float) -> torch.optim.Optimizer:
    return torch.optim.AdamW(params, lr=lr, weight_decay=weight_decay)


def mask_tokens(tokens: torch.Tensor, rate: float, gen: torch.Generator) -> tuple[torch.Tensor, torch.Tensor]:
    """Replace `rate` of the non-pad positions 1..L-1 by [MASK]; position 0 ([CLS]) is never masked.

    Pad positions are not masked either: "there was no such history event" is trivially predictable
    and would only dilute the loss. Returns (masked tokens, boolean mask of positions to predict).
    """
    pick = torch.rand(tokens.shape, generator=gen) < rate
    pick[:, 0] = False
    pick &= tokens != PAD
    masked = tokens.masked_fill(pick, MASK)
    return masked, pick


def _out_of_time(t0: float, limit: float | None) -> bool:
    """Stage time limits keep the pipeline inside its budget on a slow or busy machine; a run that hits
    one says so in the report (stopped_by_time_limit), so its numbers are not mistaken for a full run."""
    return bool(limit) and time.time() - t0 > limit


def pretrain_mlm(model: Encoder, tokens: np.ndarray, epochs: int, batch: int, lr: float, seed: int,
                 mask_rate: float = 0.15, log: Callable[[str], None] = print,
                 time_limit: float | None = None) -> dict:
    """Masked-token modelling on unlabelled train sequences; returns a history dict."""
    head = MlmHead(model.cfg.d_model, model.cfg.vocab_size, seed + 1)
    params = list(model.parameters()) + list(head.parameters())
    opt = _optimizer(params, lr, 0.01)
    gen = torch.Generator().manual_seed(seed)
    rng = np.random.default_rng(seed)
    steps = epochs * math.ceil(len(tokens) / batch)
    sched = _schedule(opt, steps, lr)
    model.train()
    hist, step, t0, stopped = [], 0, time.time(), False
    for ep in range(epochs):
        order = rng.permutation(len(tokens))
        tot, cnt, correct = 0.0, 0, 0
        for i in range(0, len(order), batch):
            if _out_of_time(t0, time_limit):
                stopped = True
                break
            x = torch.from_numpy(tokens[order[i:i + batch]].astype(np.int64))
            xm, pick = mask_tokens(x, mask_rate, gen)
            h = model.hidden(xm, all_positions=True)[pick]  # only masked rows go through the head
            logits = head(h)
            loss = F.cross_entropy(logits, x[pick])
            sched(step); step += 1
            opt.zero_grad(set_to_none=True)
            loss.backward()
            torch.nn.utils.clip_grad_norm_(params, 1.0)
            opt.step()
            tot += loss.item() * len(h); cnt += len(h)
            correct += int((logits.argmax(1) == x[pick]).sum())
        if cnt:
            hist.append({"epoch": ep + 1, "loss": tot / cnt, "masked_accuracy": correct / cnt, "fraction": i / len(order) if stopped else 1.0})
            log(f"  mlm epoch {ep + 1}/{epochs}: loss {hist[-1]['loss']:.4f} acc {hist[-1]['masked_accuracy']:.3f} "
                f"({time.time() - t0:.0f}s{', stopped by time limit' if stopped else ''})")
        if stopped:
            break
    return {"epochs": hist, "sequences": int(len(tokens)), "mask_rate": mask_rate, "steps": step,
            "stopped_by_time_limit": stopped, "seconds": time.time() - t0}


@torch.no_grad()
def predict_logits(model: Encoder, tokens: np.ndarray, batch: int = 2048) -> np.ndarray:
    model.eval()
    out = [model(torch.from_numpy(tokens[i:i + batch].astype(np.int64))).squeeze(1).numpy()
           for i in range(0, len(tokens), batch)]
    return np.concatenate(out).astype(np.float32)


def train_classifier(model: Encoder, tokens: np.ndarray, labels: np.ndarray,
                     loss_fn: Callable[[torch.Tensor, torch.Tensor, torch.Tensor | None], torch.Tensor],
                     epochs: int, batch: int, lr: float, seed: int,
                     val_tokens: np.ndarray, val_labels: np.ndarray,
                     soft: np.ndarray | None = None, log: Callable[[str], None] = print,
                     name: str = "model", time_limit: float | None = None) -> dict:
    """Fine-tune on labels (optionally with per-example teacher logits `soft`).

    After every epoch the model is scored on val and the best-AP epoch's weights are kept: the same
    rule for teacher, student and control, so their comparison is fair.
    """
    opt = _optimizer(model.parameters(), lr, 0.01)
    rng = np.random.default_rng(seed)
    torch.manual_seed(seed)  # dropout masks
    steps = epochs * math.ceil(len(tokens) / batch)
    sched = _schedule(opt, steps, lr)
    best, best_state, hist, step, t0, stopped = -1.0, None, [], 0, time.time(), False
    for ep in range(epochs):
        model.train()
        order = rng.permutation(len(tokens))
        tot, seen = 0.0, 0
        for i in range(0, len(order), batch):
            if _out_of_time(t0, time_limit) and (seen or hist):  # at least one step overall
                stopped = True
                break
            idx = order[i:i + batch]
            x = torch.from_numpy(tokens[idx].astype(np.int64))
            y = torch.from_numpy(labels[idx].astype(np.float32)).unsqueeze(1)
            t = None if soft is None else torch.from_numpy(soft[idx]).unsqueeze(1)
            loss = loss_fn(model(x), y, t)
            sched(step); step += 1
            opt.zero_grad(set_to_none=True)
            loss.backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            opt.step()
            tot += loss.item() * len(idx)
            seen += len(idx)
        if seen:
            ap = average_precision(predict_logits(model, val_tokens), val_labels)
            hist.append({"epoch": ep + 1, "loss": tot / seen, "val_average_precision": ap, "fraction": seen / len(order)})
            log(f"  {name} epoch {ep + 1}/{epochs}: loss {tot / seen:.4f} val AP {ap:.4f} ({time.time() - t0:.0f}s"
                f"{', stopped by time limit' if stopped else ''})")
            if best_state is None or ap > best:  # NaN AP (no val positives) keeps the first epoch
                best, best_state, best_ep = ap, copy.deepcopy(model.state_dict()), ep + 1
        if stopped:
            break
    model.load_state_dict(best_state)
    model.eval()
    return {"epochs": hist, "best_epoch": best_ep, "examples": int(len(tokens)), "steps": step,
            "stopped_by_time_limit": stopped, "seconds": time.time() - t0}
