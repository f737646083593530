#!/usr/bin/python3
"""Regenerates the tiny traced recurrent models of the extractor tests.

Run with Debian's torch 1.13:  /usr/bin/python3 extractors/src/test/resources/recurrent/make_recurrent_models.py

Each model wraps one nn.LSTM / nn.GRU / nn.RNN (attribute `rnn`, so the extractor replaces the call
`rnn`) or one cell op, is traced in eval() mode with a fixed seed and saved as <name>.pt beside
this script, with <name>.json holding its input shapes and the time axis of its first input (-1 for
the cell models, which have none). The tests export them with that axis symbolic and compare the
NNEF run with the DJL run of the .pt at two lengths.

The quantized_* models are dynamically quantized layers (quantize_dynamic, int8: aten::quantized_lstm,
quantized_gru), quantized under the qnnpack engine (Debian's torch 1.13 has no fbgemm). Names given
on the command line regenerate only those models.
"""
import sys
import json
import os

import torch
import torch.ao.quantization as tq
import torch.nn as nn

OUT = os.path.dirname(os.path.abspath(__file__))
TRAINING = {"gru_training"}


class Seq(nn.Module):
    """Runs `rnn` on x (and the initial states when `states` is 1 or 2), returning every output, or
    with `last_states` the last layer's final states of both directions, as text classifiers do."""

    def __init__(self, rnn, states=0, post=False, last_states=False):
        super().__init__()
        self.rnn = rnn
        self.states = states
        self.post = post
        self.last_states = last_states

    def forward(self, x, *hx):
        if self.states == 2:
            out, (h, c) = self.rnn(x, (hx[0], hx[1]))
        elif self.states == 1:
            out, h = self.rnn(x, hx[0])
        else:
            out, h = self.rnn(x)
        if isinstance(h, tuple):
            h, c = h
        else:
            c = None
        if self.last_states:
            return torch.cat([h[-2], h[-1]], dim=1)
        if self.post:
            # every output used downstream by further ops
            return torch.relu(out) * 2.0, torch.tanh(h) + 1.0, c * 3.0
        return (out, h) if c is None else (out, h, c)


@torch.jit.script
def lstm_step(x, h, c, wih, whh, bih, bhh):
    hy, cy = torch.lstm_cell(x, (h, c), wih, whh, bih, bhh)
    return hy, cy


@torch.jit.script
def gru_step(x, h, wih, whh, bih, bhh):
    return torch.gru_cell(x, h, wih, whh, bih, bhh)


@torch.jit.script
def gru_step_nobias(x, h, wih, whh):
    return torch.gru_cell(x, h, wih, whh, None, None)


@torch.jit.script
def rnn_tanh_step(x, h, wih, whh, bih, bhh):
    return torch.rnn_tanh_cell(x, h, wih, whh, bih, bhh)


@torch.jit.script
def rnn_relu_step(x, h, wih, whh, bih, bhh):
    return torch.rnn_relu_cell(x, h, wih, whh, bih, bhh)


class Cell(nn.Module):
    """One cell op: tracing nn.LSTMCell & co. records their decomposition (linear, chunk, ...), so the
    step is a scripted function calling the op, which the trace keeps as a call (inlined on export)."""

    def __init__(self, cell, step, bias=True):
        super().__init__()
        self.cell = cell
        self.step = step
        self.bias = bias

    def forward(self, x, h, *c):
        w = [self.cell.weight_ih, self.cell.weight_hh] + ([self.cell.bias_ih, self.cell.bias_hh] if self.bias else [])
        return self.step(x, h, c[0], *w) if c else self.step(x, h, *w)


def quantized(model):
    torch.backends.quantized.engine = "qnnpack"
    return tq.quantize_dynamic(model.eval(), {nn.LSTM, nn.GRU}, dtype=torch.qint8)


def models():
    # name, module, input shapes, time axis of input 0
    yield "lstm_1layer", Seq(nn.LSTM(3, 4)), [(5, 2, 3)], 0
    yield "lstm_2layer_bidir_batch_first", Seq(nn.LSTM(3, 4, num_layers=2, batch_first=True, bidirectional=True)), [(2, 5, 3)], 1
    yield "lstm_proj_2layer", Seq(nn.LSTM(3, 5, num_layers=2, proj_size=2, batch_first=True)), [(2, 5, 3)], 1
    yield "lstm_nobias_bidir_given_states", Seq(nn.LSTM(3, 4, bias=False, bidirectional=True), states=2), [(5, 2, 3), (2, 2, 4), (2, 2, 4)], 0
    yield "lstm_proj_bidir_given_states", Seq(nn.LSTM(3, 5, proj_size=2, bidirectional=True, batch_first=True), states=2), [(1, 5, 3), (2, 1, 2), (2, 1, 5)], 1
    yield "lstm_outputs_downstream", Seq(nn.LSTM(3, 4, num_layers=2), post=True), [(5, 1, 3)], 0
    yield "gru_1layer", Seq(nn.GRU(3, 4)), [(5, 2, 3)], 0
    yield "gru_2layer_bidir_batch_first", Seq(nn.GRU(3, 4, num_layers=2, batch_first=True, bidirectional=True)), [(2, 5, 3)], 1
    yield "gru_nobias_given_state", Seq(nn.GRU(3, 4, num_layers=2, bias=False), states=1), [(5, 2, 3), (2, 2, 4)], 0
    yield "rnn_tanh_2layer_bidir_batch_first", Seq(nn.RNN(3, 4, num_layers=2, batch_first=True, bidirectional=True)), [(2, 5, 3)], 1
    yield "rnn_relu_nobias_given_state", Seq(nn.RNN(3, 4, nonlinearity="relu", bias=False), states=1), [(5, 2, 3), (1, 2, 4)], 0
    yield "lstm_unbatched", Seq(nn.LSTM(3, 4)), [(5, 3)], 0
    yield "gru_2layer_bidir_last_states", Seq(nn.GRU(3, 4, num_layers=2, batch_first=True, bidirectional=True),
                                              last_states=True), [(2, 5, 3)], 1
    yield "quantized_lstm_2layer_bidir_batch_first", quantized(
        Seq(nn.LSTM(3, 4, num_layers=2, batch_first=True, bidirectional=True))), [(2, 5, 3)], 1
    yield "quantized_gru_2layer_bidir_given_state", quantized(
        Seq(nn.GRU(3, 4, num_layers=2, bidirectional=True), states=1)), [(5, 2, 3), (4, 2, 4)], 0
    # refused with a reason: a module traced in training mode (see TRAINING)
    yield "gru_training", Seq(nn.GRU(3, 4)), [(5, 2, 3)], 0
    yield "lstm_cell", Cell(nn.LSTMCell(3, 4), lstm_step), [(2, 3), (2, 4), (2, 4)], -1
    yield "gru_cell", Cell(nn.GRUCell(3, 4), gru_step), [(2, 3), (2, 4)], -1
    yield "gru_cell_nobias", Cell(nn.GRUCell(3, 4, bias=False), gru_step_nobias, bias=False), [(2, 3), (2, 4)], -1
    yield "rnn_tanh_cell", Cell(nn.RNNCell(3, 4), rnn_tanh_step), [(2, 3), (2, 4)], -1
    yield "rnn_relu_cell", Cell(nn.RNNCell(3, 4, nonlinearity="relu"), rnn_relu_step), [(2, 3), (2, 4)], -1


def main():
    torch.manual_seed(0)
    only = sys.argv[1:]
    for name, model, shapes, time_axis in models():
        if only and name not in only:
            continue
        model.train(name in TRAINING)
        inputs = tuple(torch.randn(*shape) for shape in shapes)
        with torch.no_grad():
            traced = torch.jit.trace(model, inputs)
        traced.save(os.path.join(OUT, name + ".pt"))
        with open(os.path.join(OUT, name + ".json"), "w") as f:
            json.dump({"inputs": [{"shape": list(s), "dtype": "float32"} for s in shapes], "time_axis": time_axis}, f,
                      indent=1)
            f.write("\n")


if __name__ == "__main__":
    main()
