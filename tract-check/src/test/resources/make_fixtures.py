#!/usr/bin/python3
"""Regenerates the tract-check test fixtures. Run with Debian's torch:

    /usr/bin/python3 tract-check/src/test/resources/make_fixtures.py

Writes, beside this script (the npy/npz reader and writer fixtures mixed_dtypes.*, vector_f32.npy
and matrix_i64.npy into nnef-writer's test resources, beside the code they test):
  tiny_tuple.pt      traced model: (x[2,4] f32, y[2,3] f32) -> (relu(lin(x)+y), sum(lin(x)+y, 1))
  tiny_tuple_io.npz  inputs x, y and the torch outputs out_relu, out_sum (keys NAME.npy)
  mixed_dtypes.npz   small arrays of several dtypes written by numpy (compressed), for the reader tests
  nested_outputs.pt, nested_outputs_io.npz  x -> (2x, [x+1, int64(x-1)]), input v and outputs
  vector_f32.npy, matrix_i64.npy  np.save output, for byte-exact comparison with our writer
  mixed_dtypes.json  the same arrays as numpy reads them: dtype, shape, values as doubles
  tiny_tuple_weights.npz  TinyTuple's parameters under the labels of nnef/tiny_tuple.nnef
  tiny_conv.pt       traced model: x[1,2,4,4] -> (conv(x).transpose(2,3), relu(conv(x))), 4 channels
  tiny_conv_weights.npz   its parameters under the labels of nnef/tiny_conv.nnef
  tiny_conv_io.npz   an input x and torch's outputs conv_t, act
  tiny_conv_intermediates.npz  torch's values on that x for the NNEF tensors c, conv_t, act
  tiny_conv_probe.pt  the same conv traced to return (c, conv_t, act): a torch probe of the
                     intermediate values, in the order of the NNEF tensor names c, conv_t, act
The nnef/*.nnef graphs are written by hand; the tests pair them with the weights npz files.
"""
import json
import os

import numpy as np
import torch

HERE = os.path.dirname(os.path.abspath(__file__))
NPY_FIXTURES = os.path.join(HERE, "..", "..", "..", "..", "nnef-writer", "src", "test", "resources")


class TinyTuple(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.lin = torch.nn.Linear(4, 3)

    def forward(self, x, y):
        a = self.lin(x) + y
        return torch.relu(a), a.sum(dim=1)


class TinyConv(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.conv = torch.nn.Conv2d(2, 4, 3, padding=1)

    def forward(self, x):
        c = self.conv(x)
        return c.transpose(2, 3), torch.relu(c)


class TinyConvProbe(torch.nn.Module):
    """TinyConv's computation returning its intermediate value too, with the same weights."""

    def __init__(self, conv):
        super().__init__()
        self.conv = conv.conv

    def forward(self, x):
        c = self.conv(x)
        return c, c.transpose(2, 3), torch.relu(c)


class NestedOutputs(torch.nn.Module):
    def forward(self, x):
        return x * 2, [x + 1, (x - 1).to(torch.int64)]


def main():
    torch.manual_seed(7)
    model = TinyTuple().eval()
    x = torch.randn(2, 4)
    y = torch.randn(2, 3)
    traced = torch.jit.trace(model, (x, y))
    traced.save(os.path.join(HERE, "tiny_tuple.pt"))
    with torch.no_grad():
        out_relu, out_sum = traced(x, y)
    np.savez(
        os.path.join(HERE, "tiny_tuple_io.npz"),
        x=x.numpy(), y=y.numpy(), out_relu=out_relu.numpy(), out_sum=out_sum.numpy(),
    )
    # Bias as [1, C], the shape NNEF's linear and conv take.
    np.savez(os.path.join(HERE, "tiny_tuple_weights.npz"),
             **{"lin.weight": model.lin.weight.detach().numpy(),
                "lin.bias": model.lin.bias.detach().numpy().reshape(1, -1)})
    conv = TinyConv().eval()
    cx = torch.randn(1, 2, 4, 4)
    traced_conv = torch.jit.trace(conv, (cx,))
    traced_conv.save(os.path.join(HERE, "tiny_conv.pt"))
    np.savez(os.path.join(HERE, "tiny_conv_weights.npz"),
             **{"conv.weight": conv.conv.weight.detach().numpy(),
                "conv.bias": conv.conv.bias.detach().numpy().reshape(1, -1)})
    with torch.no_grad():
        conv_t, act = traced_conv(cx)
        c = conv.conv(cx)
    np.savez(os.path.join(HERE, "tiny_conv_io.npz"), x=cx.numpy(), conv_t=conv_t.numpy(),
             act=act.numpy())
    np.savez(os.path.join(HERE, "tiny_conv_intermediates.npz"), c=c.numpy(),
             conv_t=conv_t.numpy(), act=act.numpy())
    torch.jit.trace(TinyConvProbe(conv).eval(), (cx,)).save(
        os.path.join(HERE, "tiny_conv_probe.pt"))
    # Outputs nested in a tuple and a list, one of them int64; traced with strict=False because
    # a list output is otherwise refused.
    nested = torch.jit.trace(NestedOutputs().eval(), (torch.tensor([[0.5, -1.5, 3.0]]),),
                             strict=False)
    nested.save(os.path.join(HERE, "nested_outputs.pt"))
    v = torch.tensor([[4.25, -2.0, 7.5]])
    with torch.no_grad():
        doubled, (plus, minus) = nested(v)
    np.savez(os.path.join(HERE, "nested_outputs_io.npz"), v=v.numpy(), doubled=doubled.numpy(),
             plus=plus.numpy(), minus=minus.numpy())
    mixed = dict(
        f64=np.array([[1.5, -2.25], [3.0, 1e-300]], dtype=np.float64),
        f16=np.array([0.5, -1.0, 65504.0, 6.1035e-05], dtype=np.float16),
        i64=np.array([-(2 ** 40), 0, 7], dtype=np.int64),
        i32=np.arange(6, dtype=np.int32).reshape(1, 2, 3),
        u8=np.array([0, 255], dtype=np.uint8),
        b=np.array([True, False, True]),
        scalar=np.array(3.25, dtype=np.float32),
    )
    np.savez_compressed(os.path.join(NPY_FIXTURES, "mixed_dtypes.npz"), **mixed)
    # Byte-exact reference for the .npy writer.
    np.save(os.path.join(NPY_FIXTURES, "vector_f32.npy"), np.array([1, 2, 3], dtype=np.float32))
    np.save(os.path.join(NPY_FIXTURES, "matrix_i64.npy"), np.arange(6, dtype=np.int64).reshape(2, 3))
    # What numpy itself reads back, for the Java reader test to compare against.
    with open(os.path.join(NPY_FIXTURES, "mixed_dtypes.json"), "w") as f:
        json.dump({k: {"dtype": v.dtype.str, "shape": list(v.shape),
                       "values": [float(e) for e in v.reshape(-1)]} for k, v in mixed.items()}, f, indent=1)


if __name__ == "__main__":
    main()
