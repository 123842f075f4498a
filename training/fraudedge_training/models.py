"""Transformer encoders for teacher and student.

Written by hand (not nn.TransformerEncoder) for three reasons:
  * nn.TransformerEncoder deep-copies one layer, so every layer would start from identical weights
    (and the ONNX exporter may then merge identical initializers); we initialise each layer ourselves.
  * The exported graph must be small and static: fused QKV projection, reshapes with a literal -1
    batch dimension (no Shape/Gather nodes), opset-17 LayerNormalization, ReLU instead of Erf-GELU.
  * Only the [CLS] output is used for the decision, so the last block computes attention for the
    [CLS] query only and runs its feed-forward on that single row (same numbers, ~1/3 fewer FLOPs).
"""
from __future__ import annotations

import math
from dataclasses import dataclass, asdict

import torch
from torch import nn
import torch.nn.functional as F


@dataclass(frozen=True)
class EncoderConfig:
    vocab_size: int
    seq_len: int = 48
    d_model: int = 64
    heads: int = 4
    d_ff: int = 128
    layers: int = 2
    dropout: float = 0.1

    def as_dict(self) -> dict:
        return asdict(self)


# Teacher d_ff=256 (not 512): measured 236 vs 135 training samples/s (1 thread, batch 256; a shared,
# noisy machine), i.e. more pretraining/fine-tuning steps inside the 45-minute pipeline budget.
TEACHER_SHAPE = dict(d_model=128, heads=4, d_ff=256, layers=4, dropout=0.1)
# Student: distillation is its regulariser; dropout 0 also keeps its training step cheap. One block, whose only
# query is [CLS] (bundle 2.0.0): 38.5 vs 94 µs per ORT run for two blocks (bench/README.md "Kernel by kernel"), and
# on the full dataset its int8 test AP was 0.4947 against the 2-layer bundle's 0.4839 (docs/model-card.md).
STUDENT_SHAPE = dict(d_model=64, heads=4, d_ff=128, layers=1, dropout=0.0)


class Block(nn.Module):
    """Pre-LayerNorm transformer block (pre-LN trains stably without warm-up tricks)."""

    def __init__(self, cfg: EncoderConfig):
        super().__init__()
        self.h, self.dh, self.d = cfg.heads, cfg.d_model // cfg.heads, cfg.d_model
        self.L = cfg.seq_len
        self.ln1 = nn.LayerNorm(cfg.d_model)
        self.qkv = nn.Linear(cfg.d_model, 3 * cfg.d_model)  # one MatMul instead of three
        self.out = nn.Linear(cfg.d_model, cfg.d_model)
        self.ln2 = nn.LayerNorm(cfg.d_model)
        self.ff1 = nn.Linear(cfg.d_model, cfg.d_ff)
        self.ff2 = nn.Linear(cfg.d_ff, cfg.d_model)
        self.drop = nn.Dropout(cfg.dropout) if cfg.dropout > 0 else nn.Identity()
        # 1/sqrt(dh) is folded into the Q weights for export (see fold_attention_scale), after
        # which this becomes 1.0 and no Mul node is emitted.
        self.scale = 1.0 / math.sqrt(self.dh)

    def forward(self, x: torch.Tensor, cls_only: bool) -> torch.Tensor:
        lq = 1 if cls_only else self.L
        h = self.ln1(x)
        # [B, L, 3d] -> [B, L, 3, H, dh] -> [3, B, H, L, dh]; -1 keeps the batch dim shape-free.
        qkv = self.qkv(h).reshape(-1, self.L, 3, self.h, self.dh).permute(2, 0, 3, 1, 4)
        q, k, v = qkv[0], qkv[1], qkv[2]
        if cls_only:
            q = q[:, :, :1]
        scores = q @ k.transpose(-1, -2)
        if self.scale != 1.0:
            scores = scores * self.scale
        att = torch.softmax(scores, dim=-1)
        o = (att @ v).transpose(1, 2).reshape(-1, lq, self.d)
        # Dropout only on the two residual branches: random-mask generation is a large share of a
        # CPU training step with this torch build (measured ~20 %), so it is used sparingly.
        x = (x[:, :1] if cls_only else x) + self.drop(self.out(o))
        x = x + self.drop(self.ff2(F.relu(self.ff1(self.ln2(x)))))
        return x


class Encoder(nn.Module):
    """Token + learned positional embeddings -> blocks -> final LN -> [CLS] row -> logit."""

    def __init__(self, cfg: EncoderConfig, seed: int):
        super().__init__()
        self.cfg = cfg
        self.tok = nn.Embedding(cfg.vocab_size, cfg.d_model)
        self.pos = nn.Parameter(torch.zeros(1, cfg.seq_len, cfg.d_model))
        self.blocks = nn.ModuleList([Block(cfg) for _ in range(cfg.layers)])
        self.norm = nn.LayerNorm(cfg.d_model)
        self.head = nn.Linear(cfg.d_model, 1)
        self.drop = nn.Dropout(cfg.dropout) if cfg.dropout > 0 else nn.Identity()
        self.reset_parameters(seed)

    @torch.no_grad()
    def reset_parameters(self, seed: int) -> None:
        # Own generator: every layer gets distinct weights, reproducible from the seed alone.
        g = torch.Generator().manual_seed(seed)
        std = 0.02
        self.tok.weight.normal_(0.0, std, generator=g)
        self.pos.normal_(0.0, std, generator=g)
        # GPT-2 style: residual-branch output projections scaled by 1/sqrt(2*layers) so the
        # residual stream variance does not grow with depth.
        resid_std = std / math.sqrt(2 * self.cfg.layers)
        for blk in self.blocks:
            for lin, s in ((blk.qkv, std), (blk.out, resid_std), (blk.ff1, std), (blk.ff2, resid_std)):
                lin.weight.normal_(0.0, s, generator=g)
                lin.bias.zero_()
            for ln in (blk.ln1, blk.ln2):
                ln.weight.fill_(1.0)
                ln.bias.zero_()
        self.norm.weight.fill_(1.0)
        self.norm.bias.zero_()
        self.head.weight.normal_(0.0, std, generator=g)
        self.head.bias.zero_()

    def hidden(self, tokens: torch.Tensor, all_positions: bool = False) -> torch.Tensor:
        """Final-LN hidden states: [B, L, d] if all_positions (MLM) else the [CLS] row [B, d]."""
        x = self.drop(self.tok(tokens) + self.pos)
        n = len(self.blocks)
        for i, blk in enumerate(self.blocks):
            x = blk(x, cls_only=(not all_positions and i == n - 1))
        x = self.norm(x)
        return x if all_positions else x[:, 0]

    def forward(self, tokens: torch.Tensor) -> torch.Tensor:
        return self.head(self.hidden(tokens))  # [B, 1] logit


class MlmHead(nn.Module):
    """Predicts the original token at masked positions (teacher pretraining only)."""

    def __init__(self, d_model: int, vocab_size: int, seed: int):
        super().__init__()
        self.proj = nn.Linear(d_model, vocab_size)
        with torch.no_grad():
            self.proj.weight.normal_(0.0, 0.02, generator=torch.Generator().manual_seed(seed))
            self.proj.bias.zero_()

    def forward(self, h: torch.Tensor) -> torch.Tensor:
        return self.proj(h)


def count_parameters(model: nn.Module) -> int:
    return sum(p.numel() for p in model.parameters())


def fold_attention_scale(model: Encoder) -> Encoder:
    """Return an eval-mode copy whose Q projection already includes 1/sqrt(dh) (one Mul fewer per layer)."""
    import copy

    m = copy.deepcopy(model).eval()
    with torch.no_grad():
        for blk in m.blocks:
            d = blk.d
            blk.qkv.weight[:d] *= blk.scale
            blk.qkv.bias[:d] *= blk.scale
            blk.scale = 1.0
    return m
