#!/usr/bin/python3
"""Models of the SymbolicSizesNumericTest: exported with one dynamic axis (S), they need sizes of S
reasoned about: operands of a broadcast equal for every S by different expressions, or equal only at
some S (torch checks them when it runs: the export assumes them equal at the example length), and
linear upsampling of a length S.

Run with Debian's torch 1.13:  /usr/bin/python3 exporter/src/test/resources/ops/make_symbolic_models.py
"""
import torch
import torch.nn as nn
import torch.nn.functional as F

from family_models import save_all
from make_op_models import Fn


def models():
    # halves (S//2) meet upsampled quarters (2*(S//4)): equal when S % 4 is 0 or 1; the last output
    # reshapes the assumed size
    yield "assumed_broadcast", Fn(lambda s, x: (lambda a, up: (a + up, torch.maximum(up, a), torch.where(up > 0, a, up),
                                                               (a * up).flatten(1)))(
        F.max_pool1d(x, 2), F.interpolate(F.max_pool1d(x, 4), scale_factor=2))), [(2, 3, 16)]
    # S//2 pooled items then (S+1)//2 strided ones: S for every S, written otherwise
    yield "proven_broadcast", Fn(lambda s, x: torch.cat([F.max_pool1d(x, 2), s.c(x)], -1) + x,
                                 c=nn.Conv1d(2, 2, 1, stride=2)), [(1, 2, 7)]
    # linear upsampling of a length S by integer factors, as F.interpolate traces it
    yield "linear_dynamic_length", Fn(lambda s, x: (F.interpolate(x, scale_factor=2, mode="linear"),
                                                    F.interpolate(x, scale_factor=3, mode="linear"))), [(1, 3, 5)]
    # bilinear: the constant height by a matrix, the width S by phases
    yield "bilinear_dynamic_width", Fn(lambda s, x: (F.interpolate(x, scale_factor=2, mode="bilinear"),
                                                     F.interpolate(x, scale_factor=(3, 2), mode="bilinear"))),\
        [(1, 2, 3, 4)]


if __name__ == "__main__":
    save_all(models())
