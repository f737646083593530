#!/usr/bin/python3
"""Models of PromotionNumericTest: integer division of tensors (true division gives floats,
rounding_mode "trunc" and "floor", floor_divide, negative operands) and torch's type promotion
between integer, bool and float operands, which the exporter makes explicit with casts.

Run with Debian's torch 1.13:  /usr/bin/python3 exporter/src/test/resources/ops/make_promotion_models.py
"""
import torch
import torch.nn as nn

from family_models import save_all
from make_op_models import Fn


def int_division(s, a, b):
    a = a - 10  # numerators of both signs, divisors never zero
    d = b + 1
    nd = -d
    return (a / d, torch.div(a, d, rounding_mode="trunc"), torch.div(a, nd, rounding_mode="trunc"),
            torch.div(a, d, rounding_mode="floor"), torch.div(a, nd, rounding_mode="floor"), torch.floor_divide(a, nd),
            a // 4, torch.div(a, -3, rounding_mode="trunc"), a / 4, torch.div(a, 2, rounding_mode="floor"),
            torch.div(d, a.abs() + 1, rounding_mode="floor"), d // 3)


def promotion(s, x, i):
    positive = x > 0
    return (i * x, i + 0.5, positive + i, positive * 2.5, positive + (x < -1), positive * (x < 1), i * s.p.bias,
            i.int() * i, x.double() * i, i < 2.5, torch.maximum(i, x), x + i.sum(), i - 3, (i * 2).int() + 1,
            x * (i.sum() > 3), 1.5 - i, torch.where(positive, i, x))


def models():
    # the first input's axis 0 is dynamic in the tests; the second broadcasts against it
    yield "int_division", Fn(int_division), [("int64", (2, 6), 20), ("int64", (6,), 5)]
    yield "promotion", Fn(promotion, p=nn.Linear(6, 6)), [(2, 6), ("int64", (6,), 7)]


if __name__ == "__main__":
    save_all(models())
