#!/usr/bin/python3
"""Regenerates the models with small traced constants (tract has no NNEF `constant` op, so the
exporter must write them as variables or literals).

Run with Debian's torch 1.13:  /usr/bin/python3 exporter/src/test/resources/ops/make_constant_models.py
"""
import torch
import torch.nn as nn

from op_model_io import save


class SmallConstants(nn.Module):
    """A 3-item row, a 2x3 matrix and a 0-d tensor held as plain attributes (neither parameters nor
    buffers), so the trace bakes them in as graph constants; one output depends on constants only."""

    def __init__(self):
        super().__init__()
        self.row = torch.tensor([1.0, -2.0, 3.0])
        self.grid = torch.tensor([[0.5, 1.5, 2.5], [-1.0, 0.0, 1.0]])
        self.scale = torch.tensor(2.5)

    def forward(self, x):
        return x * self.row + self.grid * self.scale, self.row * 2.0


class ConstantOutputs(nn.Module):
    """Outputs that do not depend on the input: 0-d float and int tensors made in forward (torch.tensor,
    torch.full), a parameter and a buffer returned as they are, products of traced constants and a
    range, beside one output that does depend on it. (The tracer refuses a plain tensor attribute
    returned as it is: it has no data dependence on the trace.)"""

    def __init__(self):
        super().__init__()
        self.scale = torch.tensor(2.5)
        self.steps = torch.tensor(7)
        self.row = torch.tensor([1.0, -2.0, 3.0])
        self.weight = nn.Parameter(torch.tensor([0.25, 0.5, 0.75]))
        self.register_buffer("offsets", torch.tensor([[4.0, 5.0]]))

    def forward(self, x):
        return (x * self.row, torch.tensor(3.0), torch.tensor(4), torch.full((), 1.5), self.weight, self.offsets,
                self.scale * 2.0, self.steps + 1, torch.arange(3))


if __name__ == "__main__":
    save([("small_constants", SmallConstants(), [(2, 3)]), ("constant_outputs", ConstantOutputs(), [(2, 3)])])
