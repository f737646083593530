#!/usr/bin/python3
"""Regenerates the traced models of the creation, comparison/logic and cast translator tests.

Run with Debian's torch 1.13:  /usr/bin/python3 exporter/src/test/resources/ops/make_misc_models.py

Same conventions as make_op_models.py: each model is traced in eval() mode with a fixed seed and
saved as <name>.pt beside this script, with <name>.json holding its float32 input shapes. Models
take float inputs only; integer and bool tensors are made inside (comparisons, casts).
"""
import torch
import torch.nn as nn

from family_models import save_all


class Fn(nn.Module):
    """Wraps a function of the inputs so one-op models need no class each."""

    def __init__(self, fn):
        super().__init__()
        self.fn = fn

    def forward(self, *xs):
        return self.fn(*xs)


def models():
    yield "creation_constants", Fn(lambda x: (
        torch.zeros(2, 3) + x, torch.ones(2, 3, dtype=torch.int64), torch.full((2, 3), 2.5), torch.full((4,), 7),
        torch.full((2,), 1, dtype=torch.bool), torch.zeros_like(x), torch.ones_like(x, dtype=torch.int32), torch.full_like(x, 3),
        x.new_zeros(2, 3), x.new_ones((3,)), x.new_full((1, 3), -1.5), torch.scalar_tensor(3.5) + x,
        torch.scalar_tensor(4, dtype=torch.int64), x.clone().fill_(2.0), torch.zeros((), dtype=torch.bool))), [(2, 3)]
    yield "creation_arange", Fn(lambda x: (
        torch.arange(5), torch.arange(1, 7, 2, dtype=torch.float32), torch.arange(0.5, 2.0, 0.25),
        torch.arange(10, 2, -3), torch.arange(0, 6, 2, dtype=torch.int32), x + torch.arange(3),
        torch.arange(-1.0, 1.0, 0.4))), [(2, 3)]
    # exported with axis 0 dynamic (B) and run at two batch sizes
    yield "creation_dynamic", Fn(lambda x: (
        torch.zeros_like(x), torch.full_like(x, 2.0) * x, x.new_ones(x.size(0), 4), torch.zeros(x.size(0), 2),
        torch.arange(x.size(0)), torch.arange(1, x.size(0) + 1, dtype=torch.float32))), [(3, 5)]
    yield "comparisons", Fn(lambda x, y: (
        x == y, x.round() == y.round(), x != x.round(), x < y, x <= y, x > y, x >= y, x > 0.5, x <= 0,
        x.round() == 1, x.round() != 0, x < 0.25, x >= -0.5, torch.eq(x.round(), 0.0))), [(2, 3), (3,)]
    yield "logical", Fn(lambda x, y: (
        torch.logical_and(x > 0, y > 0), torch.logical_or(x > 0, y > 0), torch.logical_not(x > 0),
        torch.logical_xor(x > 0, y > 0), (x > 0) & (y > 0), (x > 0) | (y < 0), (x > 0) ^ (y > 0), ~(x > 0),
        torch.bitwise_and(x > 0, y < 0), torch.bitwise_or(x < 0, y < 0), torch.bitwise_xor(x < 0, y < 0),
        torch.bitwise_not(x < 0))), [(2, 3), (2, 3)]
    yield "where_select", Fn(lambda x, y: (
        torch.where(x > 0, 1, -1), torch.where(x > 0, 1.0, -1.0), torch.where(x > 0, x, y), torch.where(x > 0, x, 0.0),
        torch.where(y < 0, 2.0, x), torch.sign(x), x.masked_fill(x < 0, 0.25), x.masked_fill(y > 0, -2.0),
        torch.where(x > 0, 1, -1).float() * x)), [(2, 3), (3,)]
    yield "min_max", Fn(lambda x, y: (
        torch.maximum(x, y), torch.minimum(x, y), torch.clamp_min(x, 0.1), torch.clamp_max(x, 0.2),
        torch.maximum(x, y.unsqueeze(0)))), [(2, 3), (3,)]
    # forms that keep the dtype are identities; they feed another op because an output that is an
    # input is written as NNEF copy, which tract reads only from 0.23
    yield "casts", Fn(lambda x, y: (
        (x * 3).long(), (x * 3).int(), x.bool(), (x > 0).float(), x.half(), x.double(), (x * 3).to(torch.int64),
        x.to("cpu") + 1, x.to("cpu", torch.float64), (x * 3).type_as(y.long()), (x * 3).long().float(), x.to(y) - y,
        (x > 0).long() + 1, (x * 4).to(torch.int32).to(torch.float32) * y, x.float() * 2)), [(2, 3), (2, 3)]
    # a dtype tract has no datum type for, which the cast translator refuses naming it
    yield "cast_bfloat16", Fn(lambda x: x.bfloat16()), [(2, 3)]
    # integer bit arithmetic, which the translators refuse naming the op
    yield "bitwise_int", Fn(lambda x: (x * 3).long() & 1), [(2, 3)]


def main():
    save_all(models(), check_trace=False)


if __name__ == "__main__":
    main()
