#!/usr/bin/python3
"""Writes pulsed_conv.npz, the fixture of the streaming check's alignment (PulsedOutputsTest). Run
with Debian's torch:

    /usr/bin/python3 tract-check/src/test/resources/make_pulse_fixture.py

A Conv1d(1, 2, kernel 3, padding 1) looks one frame ahead, so a streaming engine outputs each frame
one frame late (delay 1). torch computes both sides:
  x       the input, [1, 1, 10]
  y       the convolution of the whole sequence, [1, 2, 10]
  turn_K/y  the outputs of turn K when the model runs chunk by chunk, 4 frames per chunk, keeping
          its last 2 input frames between chunks (starting from zeros, as padding) and fed zeros
          after the input ends, until frame delay + 10 is out (3 turns), as tract's run does
"""
import os

import numpy as np
import torch

HERE = os.path.dirname(os.path.abspath(__file__))
PULSE = 4
DELAY = 1
LENGTH = 10

torch.manual_seed(0)
conv = torch.nn.Conv1d(1, 2, 3, padding=1)
x = torch.randn(1, 1, LENGTH)
with torch.no_grad():
    y = conv(x)
    turns = -(-(LENGTH + DELAY) // PULSE)
    stream = torch.cat([x, torch.zeros(1, 1, turns * PULSE - LENGTH)], dim=2)
    kept = torch.zeros(1, 1, 2)  # the frames before the chunk: the left padding at first
    out = {"x": x.numpy(), "y": y.numpy()}
    for k in range(turns):
        chunk = stream[:, :, k * PULSE:(k + 1) * PULSE]
        window = torch.cat([kept, chunk], dim=2)
        out["turn_%d/y" % k] = torch.nn.functional.conv1d(window, conv.weight, conv.bias).numpy()
        kept = window[:, :, -2:]
np.savez(os.path.join(HERE, "pulsed_conv.npz"), **out)
