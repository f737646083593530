#!/usr/bin/python3
"""Models of ScalarArithmeticNumericTest: arithmetic on traced sizes (0-d int64 tensors from
ops.prim.NumToTensor and 0-d constants), which the exporter folds into sizes and numbers known at
export time, the way nn.MultiheadAttention computes its view sizes.

Run with Debian's torch 1.13:  /usr/bin/python3 exporter/src/test/resources/ops/make_scalar_arithmetic_models.py
"""
import math

import torch
import torch.nn as nn

from family_models import save_all
from make_op_models import Fn


def size_arithmetic(s, x):
    # x: (2, T, 8), exported with T dynamic: sizes from T stay symbolic, the others fold to numbers
    b, t, c = x.shape
    heads = 2
    y1 = x.reshape(b * t, heads, c // heads)
    y2 = x.view(b, t * 2, torch.div(c, heads, rounding_mode="trunc"))
    # trunc of a negative size expression: -trunc(-4T / 2) == 2T
    y3 = x.view(b, -torch.div(-t * 4, 2, rounding_mode="trunc"), torch.div(c, 2, rounding_mode="floor"))
    # floor and trunc differ on negative quotients: floor(-9 / 2) = -5, trunc(-9 / 2) = -4
    neg = torch.div(-c - 1, 2, rounding_mode="floor") * 10 + torch.div(-c - 1, 2, rounding_mode="trunc")
    y4 = x * neg
    # true division of int sizes gives a float; math.sqrt of it is traced as a float64 constant
    y5 = x * (c / heads) + x / math.sqrt(c / heads)
    y6 = x * (c % 3) - x * ((c / 2) * 0.5 + 1.0)
    y7 = x.reshape(b, t, torch.sub(c, 2, alpha=2), 2)
    y8 = x * torch.floor_divide(-c, 3) + x * ((-c) % 3)
    return y1, y2, y3, y4, y5, y6, y7, y8


def models():
    yield "size_arithmetic", Fn(size_arithmetic), [(2, 3, 8)]
    # self-attention: the head split views sizes computed from the batch and sequence sizes (an odd
    # number of heads keeps torch 1.13 off its fused _native_multi_head_attention under no_grad)
    yield "mha_self_attention", Fn(lambda s, x: s.m(x, x, x), m=nn.MultiheadAttention(9, 3, batch_first=True)), \
        [(2, 5, 9)]
    yield "mha_sequence_first", Fn(lambda s, q, kv: s.m(q, kv, kv, need_weights=False)[0],
                                   m=nn.MultiheadAttention(8, 4, kdim=6, vdim=6)), [(5, 2, 8), (7, 2, 6)]


if __name__ == "__main__":
    save_all(models())
