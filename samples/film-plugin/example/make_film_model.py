#!/usr/bin/python3
"""Traces the example model of the FiLM plugin: a conv, a FiLM (feature-wise linear modulation:
x * gamma(z) + beta(z) per channel) and a ReLU, saved as film.pt beside this script.

Run with Debian's torch 1.13:  /usr/bin/python3 samples/film-plugin/example/make_film_model.py
"""
import os

import torch
import torch.nn as nn

OUT = os.path.dirname(os.path.abspath(__file__))


class FiLM(nn.Module):
    """Scales and shifts each channel of x [batch, channels, time] by linear functions of z [batch, cond]."""

    def __init__(self, channels, cond):
        super().__init__()
        self.gamma = nn.Linear(cond, channels)
        self.beta = nn.Linear(cond, channels)

    def forward(self, x, z):
        return x * self.gamma(z).unsqueeze(-1) + self.beta(z).unsqueeze(-1)


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv = nn.Conv1d(2, 4, 3, padding=1)
        self.film = FiLM(4, 3)

    def forward(self, x, z):
        return torch.relu(self.film(self.conv(x), z))


def main():
    torch.manual_seed(0)
    model = Net().eval()
    inputs = (torch.randn(1, 2, 6), torch.randn(1, 3))
    with torch.no_grad():
        torch.jit.trace(model, inputs).save(os.path.join(OUT, "film.pt"))


if __name__ == "__main__":
    main()
