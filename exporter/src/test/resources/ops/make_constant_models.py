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


if __name__ == "__main__":
    save([("small_constants", SmallConstants(), [(2, 3)])])
