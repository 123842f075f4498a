"""Loss functions for the imbalanced fraud label and for distillation."""
from __future__ import annotations

import torch
import torch.nn.functional as F


def weighted_bce(logit: torch.Tensor, y: torch.Tensor, pos_weight: float) -> torch.Tensor:
    """BCE with positives up-weighted (fraud is ~0.5-2 % of events)."""
    return F.binary_cross_entropy_with_logits(logit, y, pos_weight=torch.tensor(pos_weight))


def focal(logit: torch.Tensor, y: torch.Tensor, gamma: float = 2.0, alpha: float = 0.75) -> torch.Tensor:
    """Focal loss (Lin et al. 2017): down-weights easy negatives instead of up-weighting positives."""
    p = torch.sigmoid(logit)
    ce = F.binary_cross_entropy_with_logits(logit, y, reduction="none")
    pt = p * y + (1 - p) * (1 - y)
    a = alpha * y + (1 - alpha) * (1 - y)
    return (a * (1 - pt) ** gamma * ce).mean()


def distillation(student: torch.Tensor, teacher: torch.Tensor, y: torch.Tensor, temperature: float,
                 alpha: float, pos_weight: float) -> torch.Tensor:
    """alpha * T^2 * BCE(sigmoid(s/T), sigmoid(t/T)) + (1 - alpha) * weighted BCE(s, y).

    Binary classification has one logit, so the "softmax with temperature" of Hinton et al. becomes a
    sigmoid of logit/T. T^2 keeps the soft term's gradient scale independent of T.
    """
    soft_target = torch.sigmoid(teacher / temperature)
    soft = F.binary_cross_entropy_with_logits(student / temperature, soft_target)
    return alpha * temperature ** 2 * soft + (1 - alpha) * weighted_bce(student, y, pos_weight)
