#!/usr/bin/python3
"""Tiny traced models whose code keeps in-place ops (aten::relu_, add_, ...): InPlaceNumericTest.

Run with Debian's torch 1.13:  /usr/bin/python3 exporter/src/test/resources/ops/make_inplace_models.py
"""
import torch

from op_model_io import save


class InPlace(torch.nn.Module):
    """The in-place forms torchvision blocks trace to (ReLU(inplace=True), Hardswish, residual +=)."""

    def __init__(self):
        super().__init__()
        self.conv = torch.nn.Conv2d(3, 4, 3, padding=1)
        self.act = torch.nn.ReLU(inplace=True)
        self.hs = torch.nn.Hardswish(inplace=True)
        self.clip = torch.nn.ReLU6(inplace=True)
        self.drop = torch.nn.Dropout(0.2, inplace=True)

    def forward(self, x):
        y = self.act(self.conv(x))
        y += x.mean(1, keepdim=True)
        z = self.hs(y.clone())
        z.mul_(0.5).add_(1.0)
        w = torch.sigmoid_(self.clip(y * 3.0)).tanh_()
        return self.drop(z) + w


def models():
    yield "inplace_ops", InPlace(), [(1, 3, 6, 6)]


if __name__ == "__main__":
    save(models())
