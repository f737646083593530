#!/usr/bin/python3
"""Tiny traced model of aten::floor_divide on float tensors (FloorDivideNumericTest).

Run with Debian's torch 1.13:  /usr/bin/python3 exporter/src/test/resources/ops/make_floor_divide_models.py
"""
import torch

from make_op_models import Fn
from op_model_io import save


def models():
    # negative quotients check that the rounding is towards minus infinity, as torch 1.13 does
    yield "floor_divide", Fn(lambda s, x, y: (torch.floor_divide(x * 7.0, y.abs() + 0.5), torch.floor_divide(x * 5.0, 2.0))), \
        [(2, 3, 4), (3, 4)]


if __name__ == "__main__":
    save(models())
