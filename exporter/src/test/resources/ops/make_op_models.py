#!/usr/bin/python3
"""Regenerates the tiny traced models of the op-translator tests (one per translator family case).

Run with Debian's torch 1.13:  /usr/bin/python3 exporter/src/test/resources/ops/make_op_models.py

Each model is traced in eval() mode with a fixed seed and saved as <name>.pt beside this script,
with <name>.json holding its input shapes and dtypes (the tests declare the inputs from it and
compare the NNEF run with the DJL run of the .pt); family_models.save_all says how to run it.
"""
import os

import numpy
import torch
import torch.nn as nn
import torch.nn.functional as F

from family_models import save_all

OUT = os.path.dirname(os.path.abspath(__file__))


class Fn(nn.Module):
    """Wraps a function of the inputs so one-op models need no class each."""

    def __init__(self, fn, **modules):
        super().__init__()
        self.fn = fn
        for k, m in modules.items():
            self.add_module(k, m)

    def forward(self, *xs):
        return self.fn(self, *xs)


def models():
    f32 = torch.float32
    yield "conv1d_stride_dilation", Fn(lambda s, x: s.c(x), c=nn.Conv1d(3, 4, 3, stride=2, padding=2, dilation=2)), [(2, 3, 17)]
    yield "conv2d_groups", Fn(lambda s, x: s.c(x), c=nn.Conv2d(4, 6, (3, 2), padding=(1, 0), groups=2)), [(1, 4, 7, 6)]
    yield "conv2d_depthwise_nobias", Fn(lambda s, x: s.c(x), c=nn.Conv2d(3, 3, 3, groups=3, bias=False)), [(1, 3, 6, 6)]
    yield "conv2d_same", Fn(lambda s, x: s.c(x), c=nn.Conv2d(2, 3, 4, padding="same")), [(1, 2, 7, 7)]
    yield "conv_transpose1d", Fn(lambda s, x: s.c(x), c=nn.ConvTranspose1d(3, 2, 3, stride=2, padding=1, output_padding=1)), [(1, 3, 5)]
    # output_padding beyond the end padding: rows that only hold the bias
    yield "conv_transpose2d_output_padding", Fn(lambda s, x: s.c(x), c=nn.ConvTranspose2d(2, 3, 3, stride=(2, 3), padding=(0, 1), output_padding=(1, 2))), [(1, 2, 4, 3)]
    yield "conv_transpose2d_groups", Fn(lambda s, x: s.c(x), c=nn.ConvTranspose2d(4, 6, 3, stride=2, groups=2)), [(1, 4, 3, 4)]
    yield "linear_2d", Fn(lambda s, x: s.l(x), l=nn.Linear(5, 3)), [(4, 5)]
    yield "linear_3d_nobias", Fn(lambda s, x: s.l(x), l=nn.Linear(5, 3, bias=False)), [(2, 4, 5)]
    yield "linear_1d", Fn(lambda s, x: s.l(x), l=nn.Linear(5, 3)), [(5,)]
    yield "matmul_broadcast", Fn(lambda s, a, b: torch.matmul(a, b)), [(2, 3, 4), (4, 5)]
    yield "matmul_vector", Fn(lambda s, a, b: torch.matmul(a, b)), [(3, 4), (4,)]
    yield "mm_t", Fn(lambda s, a, b: torch.mm(a, b.t().clone())), [(3, 4), (5, 4)]
    yield "bmm", Fn(lambda s, a, b: torch.bmm(a, b)), [(2, 3, 4), (2, 4, 5)]
    yield "addmm", Fn(lambda s, a, b, c: torch.addmm(c, a, b, beta=0.5, alpha=2.0)), [(3, 4), (4, 5), (5,)]
    yield "activations", Fn(lambda s, x: (
        torch.relu(x), torch.sigmoid(x), torch.tanh(x), F.leaky_relu(x, 0.2), F.elu(x, 0.7),
        F.gelu(x, approximate="tanh"), F.silu(x), F.mish(x), F.hardtanh(x, -0.5, 0.8), torch.clamp(x, min=-0.3),
        F.hardswish(x), F.hardsigmoid(x), F.softplus(x, beta=2.0, threshold=3.0), F.relu6(x * 4),
        torch.clamp(x, max=0.4), torch.clamp(x, -0.2, 0.3))), [(2, 3, 4)]
    yield "selu", Fn(lambda s, x: F.selu(x)), [(2, 3)]
    yield "gelu_exact", Fn(lambda s, x: F.gelu(x)), [(2, 8)]
    yield "prelu", Fn(lambda s, x: s.p(x), p=nn.PReLU(3, 0.1)), [(2, 3, 4)]
    yield "softmaxes", Fn(lambda s, x: (torch.softmax(x, 1), torch.log_softmax(x, -1))), [(2, 3, 4)]
    yield "arithmetic", Fn(lambda s, x, y: (torch.add(x, y, alpha=2.0) - 3.0 * x, torch.sub(x, y, alpha=0.5), torch.add(x, 1.5, alpha=2),
                                             1.5 - x, x * y / (y.abs() + 1.0), torch.pow(x.abs(), 1.7), -x)), [(2, 3), (3,)]
    yield "unary", Fn(lambda s, x: (torch.exp(x), torch.log(x.abs() + 0.1), torch.sqrt(x.abs()), torch.rsqrt(x.abs() + 0.5),
                                     torch.reciprocal(x + 3.0), torch.floor(x * 3), torch.ceil(x * 3), torch.round(x * 4),
                                     torch.sign(x), torch.sin(x), torch.cos(x))), [(2, 5)]
    yield "div_rounding", Fn(lambda s, x, y: (torch.div(x, y, rounding_mode="floor"), torch.div(x, y, rounding_mode="trunc"))), [(2, 4), (2, 4)]
    yield "shapes", Fn(lambda s, x: torch.flatten(x.transpose(1, 2).contiguous(), 1).view(x.size(0), -1, 2)
                       .permute(2, 0, 1).unsqueeze(0).squeeze(0).reshape(2, -1)), [(2, 3, 4)]
    # exported with a dynamic axis 1 and run at two lengths of it
    yield "dynamic_sequence", Fn(lambda s, x: s.c(x).transpose(1, 2).reshape(x.size(0), -1, 2),
                                 c=nn.Conv1d(4, 6, 3, padding=1)), [(2, 4, 5)]
    # outputs that are an alias (eval dropout), a value also used inside, and an input
    yield "aliased_outputs", Fn(lambda s, x: (lambda y: (s.d(y), y, x))(torch.relu(x)), d=nn.Dropout(0.5)), [(2, 3)]
    yield "dropout_eval", Fn(lambda s, x: s.d(x) + 1.0, d=nn.Dropout(0.3)), [(2, 3)]
    yield "feature_alpha_dropout_eval", Fn(lambda s, x: torch.nn.functional.feature_alpha_dropout(x, 0.5, training=False) + 1.0), [(2, 3, 4)]
    yield "view_reshape_as", Fn(lambda s, x, y: (x.view_as(y) * 2.0, x.t().reshape_as(y) + 1.0)), [(2, 6), (3, 4)]
    yield "tuple_return", Fn(lambda s, x: (lambda ab: ab[0] * ab[1])(s.pair(x)), pair=Fn(lambda s, x: (torch.relu(x), torch.sigmoid(x)))), [(2, 3)]
    # two ops no translator handles, in two submodules, followed by one that depends on them
    yield "unsupported", Fn(lambda s, x: torch.relu(s.a(x) + s.b(x)),
                            a=Fn(lambda s, x: torch.erfinv(x * 0.5)), b=Fn(lambda s, x: torch.cumsum(x, 1))), [(2, 3)]
    yield "erf", Fn(lambda s, x: torch.erf(x)), [(2, 5)]
    # log and sqrt of negative numbers are NaN
    yield "isnan", Fn(lambda s, x: (torch.isnan(torch.log(x)), torch.isnan(torch.sqrt(x + 0.5)))), [(3, 4)]
    # the result takes the divisor's sign; float and integer tensors, tensor and number divisors
    yield "remainder", Fn(lambda s, x, y: (torch.remainder(x * 3, y.abs() + 0.5), torch.remainder(x * 3, -(y.abs() + 0.5)),
                                           x % 0.7, torch.remainder((x * 10).long(), 3),
                                           torch.remainder((x * 10).long(), -4))), [(2, 5), (2, 5)]
    # aten::conv3d, aten::conv_transpose3d and aten::convolution, which tracing records as
    # aten::_convolution: called from scripted submodules, whose code keeps the call
    yield "conv3d", Fn(lambda s, x: s.c(x), c=torch.jit.script(Conv3dCall())), [(1, 2, 4, 5, 5)]
    yield "conv_transpose3d", Fn(lambda s, x: s.c(x), c=torch.jit.script(ConvTranspose3dCall())), [(1, 2, 4, 5, 5)]
    yield "aten_convolution", Fn(lambda s, x: s.c(x), c=torch.jit.script(ConvolutionCall())), [(1, 4, 6, 5)]
    yield "conv_calls", Fn(lambda s, x: s.c(x), c=torch.jit.script(ConvCalls())), [(1, 2, 4, 5)]
    # the kinds below appear in traced code only through these calls; a scripted function called
    # from the trace is inlined by the exporter, so its float(), tuples and list of tuples stay ops
    yield "float_of_size", Fn(lambda s, x: _scale_by_width(x)), [(2, 3)]
    # a traced size turned into a number torch.full takes: torch prints aten::ScalarImplicit as annotate(number, t)
    yield "scalar_implicit", Fn(lambda s, x: x + torch.full((2, 3), x.size(1) * 0.5)), [(2, 3)]
    yield "alpha_dropout_eval", Fn(lambda s, x: s.d(x) + 1.0, d=nn.AlphaDropout(0.5)), [(2, 3)]
    yield "feature_dropout_eval", Fn(lambda s, x: F.dropout2d(x, 0.5, training=False) + 1.0), [(2, 3, 4, 4)]
    yield "fill_fresh", Fn(lambda s, x: x + torch.zeros(2, 3).fill_(2.0)), [(2, 3)]
    yield "unsafe_chunk", Fn(lambda s, x: (lambda l: (l[0], l[1] * 2.0))(torch.ops.aten.unsafe_chunk(x, 2, 1))), [(2, 4)]
    yield "unsafe_split", Fn(lambda s, x: (lambda l: (l[0], l[1] * 2.0, l[2] - 1.0))(torch.ops.aten.unsafe_split(x, 2, 1))), [(2, 5)]
    yield "tuple_in_list", Fn(lambda s, x: _pair_from_list(x)), [(2, 3)]
    # quantized tensors stored in the archive: per-channel (axis 1) and per-tensor qint8, quint8, qint32
    yield "quantized_stored", QuantizedStored(), [(2, 4)]
    yield "trigonometry", Fn(lambda s, x: (torch.tan(x * 0.5), torch.atan(x * 3.0))), [(2, 5)]


class Conv3dCall(nn.Module):
    """torch.conv3d with stride, padding and dilation per axis."""

    def __init__(self):
        super().__init__()
        self.weight = nn.Parameter(torch.randn(3, 2, 3, 3, 3) * 0.2)
        self.bias = nn.Parameter(torch.randn(3))

    def forward(self, x):
        return torch.conv3d(x, self.weight, self.bias, [1, 2, 1], [1, 0, 1], [1, 1, 2], 1)


class ConvTranspose3dCall(nn.Module):
    """torch.conv_transpose3d with stride, padding and output_padding per axis."""

    def __init__(self):
        super().__init__()
        self.weight = nn.Parameter(torch.randn(2, 3, 3, 2, 3) * 0.2)
        self.bias = nn.Parameter(torch.randn(3))

    def forward(self, x):
        return torch.conv_transpose3d(x, self.weight, self.bias, [2, 1, 2], [1, 0, 1], [1, 0, 1], 1, [1, 1, 1])


class ConvolutionCall(nn.Module):
    """torch.ops.aten.convolution, the op torch 2's traces record: grouped, padded 2d convolution."""

    def __init__(self):
        super().__init__()
        self.weight = nn.Parameter(torch.randn(6, 2, 3, 2) * 0.2)
        self.bias = nn.Parameter(torch.randn(6))

    def forward(self, x):
        return torch.ops.aten.convolution(x, self.weight, self.bias, [1, 2], [1, 0], [1, 1], False, [0, 0], 2)


class ConvCalls(nn.Module):
    """torch.conv1d, conv2d, conv_transpose1d and conv_transpose2d, the ops torch 2's traces record."""

    def __init__(self):
        super().__init__()
        self.w1 = nn.Parameter(torch.randn(3, 2, 3) * 0.2)
        self.w2 = nn.Parameter(torch.randn(3, 2, 3, 2) * 0.2)
        self.t1 = nn.Parameter(torch.randn(2, 3, 3) * 0.2)
        self.t2 = nn.Parameter(torch.randn(2, 3, 2, 3) * 0.2)

    def forward(self, x):
        x1 = x[:, :, 0]
        return (torch.conv1d(x1, self.w1, None, [2], [1], [1], 1),
                torch.conv2d(x, self.w2, None, [1, 2], [1, 0], [1, 1], 1),
                torch.conv_transpose1d(x1, self.t1, None, [2], [1], [1], 1, [1]),
                torch.conv_transpose2d(x, self.t2, None, [1, 2], [0, 1], [0, 1], 1, [1, 1]))


@torch.jit.script
def _scale_by_width(x):
    return x * float(x.size(1))


@torch.jit.script
def _pair_from_list(x):
    pairs = [(torch.relu(x), torch.sigmoid(x))]
    pair, = pairs
    a, b = pair
    return a * b


class QuantizedStored(nn.Module):
    def __init__(self):
        super().__init__()
        w = torch.randn(3, 4)
        self.register_buffer("q_channel", torch.quantize_per_channel(
            w, torch.tensor([0.1, 0.05, 0.02, 0.2], dtype=torch.double), torch.tensor([0, 1, -2, 5]), 1, torch.qint8))
        self.register_buffer("q_i8", torch.quantize_per_tensor(w, 0.05, 3, torch.qint8))
        self.register_buffer("q_u8", torch.quantize_per_tensor(w, 0.02, 128, torch.quint8))
        self.register_buffer("q_i32", torch.quantize_per_tensor(w, 0.001, -7, torch.qint32))

    def forward(self, x):
        return (x @ (self.q_channel.dequantize() + self.q_i8.dequantize()).t(),
                x + self.q_u8.int_repr()[0].float(), x - self.q_i8.int_repr()[1].float(), x * self.q_i32.int_repr()[2].float())


def main():
    def inputs_file(name, inputs):
        if name == "linear_2d":
            # an inputs file for the --inputs-npz path: names, shapes and dtypes come from it
            numpy.savez(os.path.join(OUT, name + "_inputs.npz"), features=inputs[0].numpy())

    save_all(models(), on_saved=inputs_file)


if __name__ == "__main__":
    main()
