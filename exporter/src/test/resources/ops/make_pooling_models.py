#!/usr/bin/python3
"""Tiny traced models of the pooling translators (PoolingNumericTest).

Run with Debian's torch 1.13:  /usr/bin/python3 exporter/src/test/resources/ops/make_pooling_models.py
"""
import torch.nn as nn
import torch.nn.functional as F

from make_op_models import Fn
from op_model_io import save


def models():
    yield "max_pool2d_plain", Fn(lambda s, x: s.p(x), p=nn.MaxPool2d(2)), [(1, 3, 6, 7)]
    yield "max_pool2d_args", Fn(lambda s, x: s.p(x), p=nn.MaxPool2d((3, 2), stride=(2, 1), padding=(1, 1), dilation=(1, 2))), [(2, 2, 9, 8)]
    # the last window of each axis starts inside the input but runs past the padding
    yield "max_pool2d_ceil", Fn(lambda s, x: s.p(x), p=nn.MaxPool2d(3, stride=2, padding=1, ceil_mode=True)), [(1, 2, 8, 10)]
    yield "max_pool2d_indices", Fn(lambda s, x: F.max_pool2d(x, 2, return_indices=True)[0]), [(1, 2, 5, 6)]
    # indices are not exported: the test expects a clear error
    yield "max_pool2d_indices_used", Fn(lambda s, x: F.max_pool2d(x, 2, return_indices=True)), [(1, 2, 4, 4)]
    yield "max_pool1d_variants", Fn(lambda s, x: (F.max_pool1d(x, 3, stride=2, padding=1, ceil_mode=True),
                                                  F.max_pool1d(x, 2, dilation=2), F.max_pool1d(x, 3, return_indices=True)[0])), [(2, 3, 10)]
    yield "avg_pool2d_include_pad", Fn(lambda s, x: s.p(x), p=nn.AvgPool2d(3, stride=2, padding=1)), [(1, 2, 7, 8)]
    yield "avg_pool2d_exclude_pad", Fn(lambda s, x: s.p(x), p=nn.AvgPool2d((3, 2), stride=(2, 2), padding=(1, 1), count_include_pad=False)), [(1, 2, 7, 8)]
    # ceil mode with counted padding: torch's divisor counts the padding but not the ceil extension
    yield "avg_pool2d_ceil", Fn(lambda s, x: (F.avg_pool2d(x, 3, 2, 1, ceil_mode=True),
                                              F.avg_pool2d(x, 3, 2, 1, ceil_mode=True, count_include_pad=False),
                                              F.avg_pool2d(x, 2, 3, 0, ceil_mode=True))), [(1, 2, 8, 9)]
    yield "avg_pool2d_divisor", Fn(lambda s, x: F.avg_pool2d(x, 3, 2, 1, divisor_override=5)), [(1, 2, 6, 6)]
    yield "avg_pool1d_variants", Fn(lambda s, x: (F.avg_pool1d(x, 3, 2, 1), F.avg_pool1d(x, 3, 2, 1, ceil_mode=True, count_include_pad=False))), [(2, 3, 10)]
    yield "adaptive_avg_pool2d", Fn(lambda s, x: (F.adaptive_avg_pool2d(x, (3, 2)), F.adaptive_avg_pool2d(x, 1),
                                                  F.adaptive_avg_pool2d(x, (7, 3)), F.adaptive_avg_pool2d(x, (5, 4)))), [(1, 2, 7, 6)]
    yield "adaptive_max_pool2d", Fn(lambda s, x: (F.adaptive_max_pool2d(x, (3, 4)), F.adaptive_max_pool2d(x, 1),
                                                  F.adaptive_max_pool2d(x, (1, 3)))), [(2, 2, 7, 9)]
    yield "adaptive_pool1d", Fn(lambda s, x: (F.adaptive_avg_pool1d(x, 3), F.adaptive_max_pool1d(x, 4),
                                              F.adaptive_avg_pool1d(x, 5))), [(2, 3, 10)]
    # unbatched (C, L) inputs
    yield "pool1d_unbatched", Fn(lambda s, x: (F.max_pool1d(x, 3), F.avg_pool1d(x, 2), F.adaptive_max_pool1d(x, 1),
                                               F.adaptive_avg_pool1d(x, 3))), [(3, 10)]
    # exported with a dynamic axis 2 and run at two lengths of it
    yield "pool_dynamic", Fn(lambda s, x: (F.max_pool1d(x, 3, stride=2), F.adaptive_avg_pool1d(x, 1),
                                           F.avg_pool1d(x, 2, ceil_mode=True), F.adaptive_max_pool1d(x, 1))), [(2, 3, 10)]

    # exported with a dynamic axis 3 and run at two lengths of it
    yield "pool2d_dynamic", Fn(lambda s, x: (F.max_pool2d(x, 2), F.avg_pool2d(x, 3, 2, 1), F.adaptive_avg_pool2d(x, (2, 1)),
                                             F.adaptive_max_pool2d(x, 1))), [(1, 2, 6, 7)]


if __name__ == "__main__":
    save(models())
