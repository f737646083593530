#!/usr/bin/python3
"""Models of the PaddingOps tests: constant_pad_nd / pad constant, reflection_pad1d/2d, replication_pad1d/2d.

Run with Debian's torch 1.13:  /usr/bin/python3 exporter/src/test/resources/ops/make_padding_models.py
"""
import torch
import torch.nn as nn
import torch.nn.functional as F

from family_models import save_all
from make_op_models import Fn


def models():
    # asymmetric pads, a value, pads on more axes than the spatial ones, a zero pad
    yield "pad_constant", Fn(lambda s, x: (F.pad(x, (1, 2)), F.pad(x, (0, 1, 2, 0), value=-0.5), s.p(x),
                                           F.pad(x, (1, 1, 0, 0, 1, 0), mode="constant", value=2.0)),
                             p=nn.ConstantPad2d((2, 0, 1, 3), 1.5)), [(2, 3, 4)]
    yield "pad_reflect", Fn(lambda s, x: (s.p1(x[0]), s.p2(x), F.pad(x, (2, 1, 0, 2), mode="reflect")),
                            p1=nn.ReflectionPad1d((2, 1)), p2=nn.ReflectionPad2d((1, 2, 3, 0))), [(1, 2, 4, 5)]
    yield "pad_replicate", Fn(lambda s, x: (s.p1(x[0]), s.p2(x), F.pad(x, (3, 0, 1, 2), mode="replicate")),
                              p1=nn.ReplicationPad1d((2, 3)), p2=nn.ReplicationPad2d((1, 2, 3, 0))), [(1, 2, 4, 5)]
    # exported with axis 2 dynamic: every mode along the dynamic axis
    yield "pad_dynamic", Fn(lambda s, x: (F.pad(x, (1, 2), value=0.25), F.pad(x, (2, 1), mode="reflect"),
                                          F.pad(x, (1, 3), mode="replicate"))), [(1, 2, 5)]
    # exported with axis 2 dynamic: the padded axis merged with the channels by a reshape or a flatten
    yield "pad_reshape_dynamic", Fn(lambda s, x: (F.pad(x, (1, 3), mode="replicate").reshape(x.size(0), -1),
                                                  F.pad(x, (2, 1), mode="reflect").flatten(1),
                                                  F.pad(x, (0, 2), value=0.5).reshape(x.size(0), -1))), [(2, 3, 5)]
    # the padding ops themselves, which torch 1.13 traces record as aten::pad: called from a scripted
    # submodule, whose code keeps the call
    yield "pad_calls", Fn(lambda s, x: s.p(x), p=torch.jit.script(PadCalls())), [(2, 3, 4, 5)]


class PadCalls(nn.Module):
    """constant_pad_nd, reflection_pad1d/2d and replication_pad1d/2d, asymmetric pads."""

    def forward(self, x):
        return (torch.constant_pad_nd(x, [1, 2, 0, 1], 0.5), torch._C._nn.reflection_pad1d(x[0], [2, 1]),
                torch._C._nn.reflection_pad2d(x, [1, 2, 2, 0]), torch._C._nn.replication_pad1d(x[0], [0, 3]),
                torch._C._nn.replication_pad2d(x, [2, 1, 0, 2]))


if __name__ == "__main__":
    save_all(models())
