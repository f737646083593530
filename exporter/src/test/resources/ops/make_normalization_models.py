#!/usr/bin/python3
"""Tiny traced models of the normalisation translators (NormalizationNumericTest).

Run with Debian's torch 1.13:  /usr/bin/python3 exporter/src/test/resources/ops/make_normalization_models.py
"""
import torch
import torch.nn as nn

from make_op_models import Fn
from op_model_io import save


def trained(norm):
    """Random running statistics and affine parameters, as after training (seeded by save())."""
    with torch.no_grad():
        for name, p in list(norm.named_parameters()) + list(norm.named_buffers()):
            if name == "running_var":
                p.copy_(torch.rand_like(p) + 0.5)
            elif p.is_floating_point():
                p.copy_(torch.randn_like(p))
    return norm


def models():
    yield "batch_norm2d", Fn(lambda s, x: s.n(x), n=trained(nn.BatchNorm2d(3))), [(2, 3, 4, 5)]
    yield "batch_norm1d", Fn(lambda s, x, y: (s.a(x), s.b(y)), a=trained(nn.BatchNorm1d(3)),
                             b=trained(nn.BatchNorm1d(3, affine=False))), [(4, 3), (2, 3, 5)]
    # no running statistics: eval mode normalises with the batch's own statistics
    yield "batch_norm_batch_stats", Fn(lambda s, x: s.n(x), n=trained(nn.BatchNorm2d(3, track_running_stats=False))), [(2, 3, 4, 5)]
    yield "layer_norm", Fn(lambda s, x: (s.a(x), s.b(x)), a=trained(nn.LayerNorm(5)),
                           b=nn.LayerNorm((3, 5), elementwise_affine=False)), [(2, 3, 5)]
    yield "group_norm", Fn(lambda s, x, y: (s.a(x), s.b(y)), a=trained(nn.GroupNorm(2, 4)),
                           b=nn.GroupNorm(3, 6, affine=False)), [(2, 4, 3, 3), (2, 6, 5)]
    yield "instance_norm", Fn(lambda s, x, y: (s.a(x), s.b(y), s.c(x)), a=nn.InstanceNorm2d(3),
                              b=trained(nn.InstanceNorm1d(4, affine=True)),
                              c=trained(nn.InstanceNorm2d(3, affine=True, track_running_stats=True))), [(2, 3, 4, 5), (2, 4, 6)]
    # exported with a dynamic axis 2 and run at two lengths of it
    yield "norm_dynamic", Fn(lambda s, x: (s.i(x), s.b(x), s.g(x), s.l(x.transpose(1, 2))),
                             i=nn.InstanceNorm1d(4), b=trained(nn.BatchNorm1d(4)), g=trained(nn.GroupNorm(2, 4)),
                             l=trained(nn.LayerNorm(4))), [(2, 4, 6)]


if __name__ == "__main__":
    save(models())
