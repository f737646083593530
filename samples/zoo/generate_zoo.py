#!/usr/bin/python3
"""Generates the sample model zoo: traced models of the architectures our users ship.

Run with Debian's torch 1.13 + torchvision 0.14:  /usr/bin/python3 samples/zoo/generate_zoo.py [--force]

Every model is our own module code (or a torchvision architecture with random weights), built
with a seed derived from its name, put in eval mode with non-trivial BatchNorm statistics, and
traced with torch.jit.trace. Small models (our own, < 200 KB each) are written to
samples/zoo/models/ and committed; torchvision models go to samples/zoo/cache/ (ignored by git).
samples/zoo/zoo.json describes every model (inputs, dynamic axes, output shapes torch computed
at two test lengths, parameter count, op census of the traced graph) and samples/zoo/op-census.md
summarises which aten/prim ops the zoo needs. A model is skipped when its archive exists with the
sha256 recorded by a manifest written by this same script (same sha256) and torch version.
"""
import os
import sys

SCRIPT_REL = "samples/zoo/generate_zoo.py"

if __name__ == "__main__" and "__file__" in globals():
    # torch records the Python call stack of every traced op (file names included) in the
    # archive's debug info. Re-run this file from the repository root under its relative name so
    # that checkouts at different paths write byte-identical archives.
    os.chdir(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))
    BOOT = "import sys; p = sys.argv[0] = %r; exec(compile(open(p, encoding='utf-8').read(), p, 'exec'))"
    os.execv(sys.executable, [sys.executable, "-c", BOOT % SCRIPT_REL] + sys.argv[1:])

import argparse  # noqa: E402
import collections  # noqa: E402
import hashlib  # noqa: E402
import inspect  # noqa: E402
import json  # noqa: E402
import multiprocessing  # noqa: E402
import multiprocessing.connection  # noqa: E402
import re  # noqa: E402
import time  # noqa: E402
import warnings  # noqa: E402
import zlib  # noqa: E402

import torch  # noqa: E402
import torch.nn as nn  # noqa: E402
import torch.nn.functional as F  # noqa: E402

ZOO = "samples/zoo"
MANIFEST = os.path.join(ZOO, "zoo.json")
CENSUS = os.path.join(ZOO, "op-census.md")
COMMITTED_LIMIT = 200 * 1024
WORKERS = max(1, min(2, os.cpu_count() or 1))
RECURRENT_MODULE_OPS = {"aten::lstm", "aten::gru", "aten::rnn_tanh", "aten::rnn_relu"}
RECURRENT_CELL_OPS = {"aten::lstm_cell", "aten::gru_cell", "aten::rnn_tanh_cell", "aten::rnn_relu_cell"}


# ---------------------------------------------------------------- real-time audio

class CausalConv1d(nn.Module):
    """Conv1d that sees only the past: left padding of (kernel - 1) * dilation samples."""

    def __init__(self, cin, cout, kernel, dilation=1):
        super().__init__()
        self.left = (kernel - 1) * dilation
        self.conv = nn.Conv1d(cin, cout, kernel, dilation=dilation)

    def forward(self, x):
        return self.conv(F.pad(x, (self.left, 0)))


class Tcn(nn.Module):
    """Temporal convolution network: residual causal dilated conv blocks."""

    def __init__(self, channels=16, dilations=(1, 2, 4, 8)):
        super().__init__()
        self.inp = nn.Conv1d(1, channels, 1)
        self.blocks = nn.ModuleList(CausalConv1d(channels, channels, 3, d) for d in dilations)
        self.out = nn.Conv1d(channels, 1, 1)

    def forward(self, x):
        h = self.inp(x)
        for block in self.blocks:
            h = h + torch.relu(block(h))
        return self.out(h)


class GatedResidualBlock(nn.Module):
    """WaveNet block: tanh * sigmoid gate, 1x1 residual and skip projections."""

    def __init__(self, channels, skip_channels, dilation):
        super().__init__()
        self.dilated = CausalConv1d(channels, 2 * channels, 2, dilation)
        self.res = nn.Conv1d(channels, channels, 1)
        self.skip = nn.Conv1d(channels, skip_channels, 1)

    def forward(self, x):
        filt, gate = torch.chunk(self.dilated(x), 2, dim=1)
        z = torch.tanh(filt) * torch.sigmoid(gate)
        return x + self.res(z), self.skip(z)


class WaveNet(nn.Module):
    def __init__(self, channels=16, skip_channels=24, dilations=(1, 2, 4, 8, 1, 2)):
        super().__init__()
        self.inp = CausalConv1d(1, channels, 2)
        self.blocks = nn.ModuleList(GatedResidualBlock(channels, skip_channels, d) for d in dilations)
        self.post1 = nn.Conv1d(skip_channels, skip_channels, 1)
        self.post2 = nn.Conv1d(skip_channels, 1, 1)

    def forward(self, x):
        h = self.inp(x)
        skips = []
        for block in self.blocks:
            h, s = block(h)
            skips.append(s)
        out = torch.relu(torch.stack(skips, dim=0).sum(dim=0))
        return self.post2(torch.relu(self.post1(out)))


class FilmTcn(nn.Module):
    """Causal conv stack whose channels are scaled and shifted by a conditioning vector (FiLM)."""

    def __init__(self, channels=12, cond_dim=8, layers=3):
        super().__init__()
        self.inp = nn.Conv1d(1, channels, 1)
        self.convs = nn.ModuleList(CausalConv1d(channels, channels, 3, 2 ** i) for i in range(layers))
        self.films = nn.ModuleList(nn.Linear(cond_dim, 2 * channels) for _ in range(layers))
        self.out = nn.Conv1d(channels, 1, 1)

    def forward(self, x, cond):
        h = self.inp(x)
        for conv, film in zip(self.convs, self.films):
            gamma, beta = film(cond).unsqueeze(-1).chunk(2, dim=1)
            h = h + torch.tanh(conv(h) * gamma + beta)
        return self.out(h)


class GruResidual(nn.Module):
    def __init__(self, features=16, hidden=32):
        super().__init__()
        self.gru = nn.GRU(features, hidden, num_layers=2, batch_first=True)
        self.proj = nn.Linear(hidden, features)

    def forward(self, x):
        y, _ = self.gru(x)
        return x + self.proj(y)


class LstmStateful(nn.Module):
    """Streaming LSTM: state in, state out, residual output."""

    def __init__(self, features=8, hidden=24):
        super().__init__()
        self.lstm = nn.LSTM(features, hidden, batch_first=True)
        self.proj = nn.Linear(hidden, features)

    def forward(self, x, h0, c0):
        y, (h, c) = self.lstm(x, (h0, c0))
        return x + self.proj(y), h, c


class LstmCellLoop(nn.Module):
    """LSTMCell unrolled over a fixed number of steps (the trace unrolls the Python loop)."""

    def __init__(self, features=12, hidden=20):
        super().__init__()
        self.hidden = hidden
        self.cell = nn.LSTMCell(features, hidden)

    def forward(self, x):
        h = x.new_zeros(x.size(0), self.hidden)
        c = x.new_zeros(x.size(0), self.hidden)
        outs = []
        for step in x.unbind(1):
            h, c = self.cell(step, (h, c))
            outs.append(h)
        return torch.stack(outs, dim=1)


class GruCellLoop(nn.Module):
    """GRUCell stepped over a short block with explicit state, as streaming plugins do."""

    def __init__(self, features=10, hidden=16):
        super().__init__()
        self.cell = nn.GRUCell(features, hidden)
        self.out = nn.Linear(hidden, features)

    def forward(self, x, h):
        outs = []
        for step in x.unbind(1):
            h = self.cell(step, h)
            outs.append(self.out(h))
        return torch.stack(outs, dim=1), h


class Waveshaper(nn.Module):
    """Conv distortion model: BatchNorm1d, PReLU, hard clipping and tanh saturation."""

    def __init__(self, channels=8):
        super().__init__()
        self.conv1 = nn.Conv1d(1, channels, 15, padding=7)
        self.bn = nn.BatchNorm1d(channels)
        self.act = nn.PReLU(channels)
        self.conv2 = nn.Conv1d(channels, channels, 5, padding=2)
        self.clip = nn.Hardtanh(-0.5, 0.5)
        self.conv3 = nn.Conv1d(channels, 1, 1)

    def forward(self, x):
        h = self.act(self.bn(self.conv1(x)))
        h = torch.tanh(3.0 * self.clip(self.conv2(h)))
        return torch.clamp(self.conv3(h) + x, -1.0, 1.0)


# ---------------------------------------------------------------- small classifiers for embedded targets

class MlpClassifier(nn.Module):
    def __init__(self, features=20, hidden=32, classes=5):
        super().__init__()
        self.body = nn.Sequential(
            nn.Linear(features, hidden), nn.BatchNorm1d(hidden), nn.ReLU(),
            nn.Linear(hidden, hidden), nn.BatchNorm1d(hidden), nn.ReLU(),
            nn.Linear(hidden, classes))

    def forward(self, x):
        return F.log_softmax(self.body(x), dim=1)


class ConvNetClassifier(nn.Module):
    def __init__(self, classes=10):
        super().__init__()
        self.features = nn.Sequential(
            nn.Conv2d(1, 8, 3, padding=1), nn.BatchNorm2d(8), nn.ReLU(), nn.MaxPool2d(2),
            nn.Conv2d(8, 16, 3, padding=1), nn.BatchNorm2d(16), nn.ReLU(), nn.MaxPool2d(2))
        self.fc = nn.Linear(16 * 7 * 7, classes)

    def forward(self, x):
        return F.log_softmax(self.fc(torch.flatten(self.features(x), 1)), dim=1)


def binarize(t):
    """Sign with sign(0) = -1, written the way binarized-network code usually writes it."""
    return torch.where(t > 0, 1, -1).to(t.dtype)


class BinaryLinear(nn.Linear):
    def forward(self, x):
        return F.linear(binarize(x), binarize(self.weight), self.bias)


class BinaryConv2d(nn.Conv2d):
    def forward(self, x):
        return F.conv2d(binarize(x), binarize(self.weight), self.bias, padding=self.padding)


class BinarizedMlp(nn.Module):
    def __init__(self, features=16, hidden=32, classes=4):
        super().__init__()
        self.fc1 = nn.Linear(features, hidden)  # real-valued first layer, as usual
        self.bn1 = nn.BatchNorm1d(hidden)
        self.fc2 = BinaryLinear(hidden, hidden)
        self.bn2 = nn.BatchNorm1d(hidden)
        self.fc3 = BinaryLinear(hidden, classes)

    def forward(self, x):
        h = self.bn1(self.fc1(x))
        h = self.bn2(self.fc2(h))
        return F.log_softmax(self.fc3(h), dim=1)


class BinarizedConvNet(nn.Module):
    def __init__(self, classes=10):
        super().__init__()
        self.conv1 = nn.Conv2d(1, 16, 3, padding=1)
        self.bn1 = nn.BatchNorm2d(16)
        self.conv2 = BinaryConv2d(16, 16, 3, padding=1)
        self.bn2 = nn.BatchNorm2d(16)
        self.fc = BinaryLinear(16 * 4 * 4, classes)

    def forward(self, x):
        h = F.max_pool2d(self.bn1(self.conv1(x)), 2)
        h = F.max_pool2d(self.bn2(self.conv2(h)), 2)
        return F.log_softmax(self.fc(h.reshape(h.size(0), -1)), dim=1)


# ---------------------------------------------------------------- sequence models

class BiLstmTextClassifier(nn.Module):
    def __init__(self, vocab=100, embed=16, hidden=24, classes=3):
        super().__init__()
        self.embedding = nn.Embedding(vocab, embed)
        self.lstm = nn.LSTM(embed, hidden, num_layers=2, bidirectional=True, batch_first=True)
        self.fc = nn.Linear(2 * hidden, classes)

    def forward(self, tokens):
        _, (h, _) = self.lstm(self.embedding(tokens))
        return F.log_softmax(self.fc(torch.cat([h[-2], h[-1]], dim=1)), dim=1)


class TensorAlgebra(nn.Module):
    """No parameters: sum, mul, cat, split and friends on two inputs."""

    def forward(self, a, b):
        p, q, r = torch.split(torch.cat([a, b * 2.0], dim=1), [8, 8, 8], dim=1)
        s = (p * q).sum(dim=1, keepdim=True) - r.mean(dim=1, keepdim=True)
        first, second = a.chunk(2, dim=1)
        return s + torch.cat([second, first], dim=1), (a - b).abs().sum(dim=0)


# ---------------------------------------------------------------- vision layers

class Conv2dLayers(nn.Module):
    """The 2-d layers of embedded vision code, each used once."""

    def __init__(self, classes=10):
        super().__init__()
        self.stem = nn.Conv2d(3, 8, 3, stride=2, padding=1)
        self.bn = nn.BatchNorm2d(8)
        self.depthwise = nn.Conv2d(8, 8, 3, padding=1, groups=8)
        self.pointwise = nn.Conv2d(8, 16, 1)
        self.dilated = nn.Conv2d(8, 16, 3, padding=2, dilation=2)
        self.prelu = nn.PReLU()
        self.up = nn.ConvTranspose2d(16, 8, 2, stride=2)
        self.upsample = nn.Upsample(scale_factor=2, mode="nearest")
        self.fc = nn.Linear(24 * 4 * 4, classes)

    def forward(self, x):
        h = torch.relu(self.bn(self.stem(x)))  # 16x16
        a = self.pointwise(self.depthwise(h))
        b = self.prelu(self.dilated(h))
        m = torch.maximum(a, b)
        m = F.max_pool2d(m, 2)  # 8x8
        u = self.up(m)  # 16x16
        u = F.avg_pool2d(F.pad(u, (1, 1, 1, 1)), 3, stride=2, padding=0)  # 8x8
        cat = torch.cat([u, self.upsample(F.max_pool2d(m, 2))], dim=1)  # 24 channels at 8x8
        flat = F.avg_pool2d(cat, 2).reshape(-1, 24 * 4 * 4)
        return torch.softmax(self.fc(flat), dim=-1)


class Conv1dLayers(nn.Module):
    """The 1-d layers: strided, transposed, depthwise, dilated conv, pooling, reflect pad, linear upsample."""

    def __init__(self):
        super().__init__()
        self.conv = nn.Conv1d(4, 8, 5, stride=2, padding=2)
        self.depthwise = nn.Conv1d(8, 8, 3, padding=1, groups=8)
        self.dilated = nn.Conv1d(8, 8, 3, padding=4, dilation=4)
        self.prelu = nn.PReLU(8)
        self.up = nn.ConvTranspose1d(8, 4, 4, stride=2, padding=1)
        self.bn = nn.BatchNorm1d(4)

    def forward(self, x):
        h = torch.relu(self.conv(x))
        h = torch.maximum(self.depthwise(h), self.prelu(self.dilated(h)))
        pooled = F.max_pool1d(h, 2) + F.avg_pool1d(h, 2)
        h = h + F.interpolate(pooled, scale_factor=2.0, mode="linear", align_corners=False)
        y = self.bn(self.up(F.pad(h, (1, 1), mode="reflect")))
        return torch.softmax(y, dim=1)


class DetectorHead(nn.Module):
    """Two-level detector: strided conv backbone, upsample + concat neck, anchor-grid heads."""

    def __init__(self, anchors=3, classes=4):
        super().__init__()
        self.anchors, self.values = anchors, 5 + classes
        self.c1 = nn.Conv2d(3, 8, 3, stride=2, padding=1)  # /2
        self.c2 = nn.Conv2d(8, 16, 3, stride=2, padding=1)  # /4
        self.c3 = nn.Conv2d(16, 24, 3, stride=2, padding=1)  # /8
        self.c4 = nn.Conv2d(24, 32, 3, stride=2, padding=1)  # /16
        self.lateral = nn.Conv2d(32, 24, 1)
        self.head8 = nn.Conv2d(48, anchors * self.values, 1)
        self.head16 = nn.Conv2d(32, anchors * self.values, 1)

    def grid(self, p):
        b, _, h, w = p.shape
        return p.view(b, self.anchors, self.values, h, w).permute(0, 1, 3, 4, 2).reshape(b, -1, self.values)

    def forward(self, x):
        f8 = F.leaky_relu(self.c3(F.leaky_relu(self.c2(F.leaky_relu(self.c1(x), 0.1)), 0.1)), 0.1)
        f16 = F.leaky_relu(self.c4(f8), 0.1)
        up = F.interpolate(self.lateral(f16), scale_factor=2.0, mode="nearest")
        p8 = self.head8(torch.cat([f8, up], dim=1))
        return torch.sigmoid(torch.cat([self.grid(p8), self.grid(self.head16(f16))], dim=1))


class SpeechRecognizer(nn.Module):
    """CTC-style acoustic model: conv front end over mel frames, bidirectional GRU, log_softmax."""

    def __init__(self, mels=40, channels=32, hidden=32, symbols=29):
        super().__init__()
        self.front = nn.Sequential(
            nn.Conv1d(mels, channels, 5, stride=2, padding=2), nn.BatchNorm1d(channels), nn.ReLU(),
            nn.Conv1d(channels, channels, 3, padding=1), nn.ReLU())
        self.gru = nn.GRU(channels, hidden, bidirectional=True, batch_first=True)
        self.fc = nn.Linear(2 * hidden, symbols)

    def forward(self, feats):
        y, _ = self.gru(self.front(feats).transpose(1, 2))
        return F.log_softmax(self.fc(y), dim=-1)


class TransformerEncoderModel(nn.Module):
    def __init__(self, d_model=32, heads=4, layers=2):
        super().__init__()
        layer = nn.TransformerEncoderLayer(d_model, heads, dim_feedforward=64, dropout=0.0, batch_first=True)
        self.encoder = nn.TransformerEncoder(layer, layers)

    def forward(self, src):
        return self.encoder(src)


class FastPathTransformer(nn.Module):
    """Pre-norm gelu TransformerEncoder and a self-attention read-out with its weights. Traced under
    torch.no_grad() in eval mode, as most users trace, torch 1.13 records its fused inference kernels
    (aten::_transformer_encoder_layer_fwd, aten::_native_multi_head_attention) instead of their ops."""

    def __init__(self, d_model=32, heads=4, layers=2):
        super().__init__()
        layer = nn.TransformerEncoderLayer(d_model, heads, dim_feedforward=64, activation="gelu", norm_first=True,
                                           batch_first=True)
        self.encoder = nn.TransformerEncoder(layer, layers, norm=nn.LayerNorm(d_model))
        self.readout = nn.MultiheadAttention(d_model, heads, batch_first=True)

    def forward(self, src):
        h = self.encoder(src)
        return self.readout(h, h, h)


# ---------------------------------------------------------------- public architectures (torchvision)

def torchvision_model(factory_name, **kwargs):
    def build():
        import torchvision.models as tvm
        return getattr(tvm, factory_name)(weights=None, **kwargs)
    return build


def small_vit():
    from torchvision.models.vision_transformer import VisionTransformer
    return VisionTransformer(image_size=32, patch_size=8, num_layers=2, num_heads=4, hidden_dim=64,
                             mlp_dim=128, num_classes=10)


# ---------------------------------------------------------------- the zoo

class In:
    """One forward argument. shape may hold symbol names (str) for dynamic axes."""

    def __init__(self, name, shape, dtype="float32", value_range=None):
        self.name, self.shape, self.dtype, self.value_range = name, shape, dtype, value_range


class Entry:
    def __init__(self, name, family, description, build, inputs, outputs, symbols=None, committed=True, no_grad=False):
        """symbols: symbol -> (length used for tracing, (two test lengths)); no_grad: traced under
        torch.no_grad(), where torch takes fused inference paths (attention) that it does not take
        with gradients on."""
        self.name, self.family, self.description, self.build = name, family, description, build
        self.inputs, self.outputs, self.symbols, self.committed = inputs, outputs, symbols or {}, committed
        self.no_grad = no_grad


def torchvision_entry(factory):
    return Entry(factory, "public", "torchvision %s, random weights" % factory, torchvision_model(factory),
                 [In("x", ["batch", 3, 224, 224])], ["logits"], BATCH, committed=False)


BATCH = {"batch": (2, (1, 3))}
TIME = {"time": (96, (64, 130))}

ZOO_ENTRIES = [
    Entry("tcn_causal", "audio", "causal dilated Conv1d stack (TCN) with residual adds",
          Tcn, [In("x", [1, 1, "time"])], ["y"], TIME),
    Entry("wavenet_gated", "audio", "WaveNet-style gated residual blocks with skip connections",
          WaveNet, [In("x", [1, 1, "time"])], ["y"], TIME),
    Entry("film_conditioned_tcn", "audio", "causal conv stack with FiLM conditioning from a second input",
          FilmTcn, [In("x", [1, 1, "time"]), In("cond", [1, 8])], ["y"], TIME),
    Entry("gru_residual", "audio", "two-layer GRU with a residual projection",
          GruResidual, [In("x", [1, "time", 16])], ["y"], TIME),
    Entry("lstm_stateful", "audio", "streaming LSTM with explicit state inputs and outputs, residual output",
          LstmStateful, [In("x", [1, "time", 8]), In("h0", [1, 1, 24]), In("c0", [1, 1, 24])],
          ["y", "h", "c"], TIME),
    Entry("lstm_cell_loop", "audio", "LSTMCell loop over 8 unrolled steps, zero initial state",
          LstmCellLoop, [In("x", ["batch", 8, 12])], ["y"], BATCH),
    Entry("gru_cell_loop", "audio", "GRUCell loop over 6 unrolled steps with state in and out",
          GruCellLoop, [In("x", [1, 6, 10]), In("h", [1, 16])], ["y", "h_out"]),
    Entry("waveshaper_conv", "audio", "conv waveshaper: BatchNorm1d, PReLU, hardtanh clipping, tanh, clamp",
          Waveshaper, [In("x", [1, 1, "time"])], ["y"], TIME),
    Entry("mlp_classifier", "embedded", "MLP with BatchNorm1d and a log_softmax head",
          MlpClassifier, [In("x", ["batch", 20])], ["log_probs"], BATCH),
    Entry("convnet_classifier", "embedded", "ConvNet with BatchNorm2d, max pooling and a log_softmax head",
          ConvNetClassifier, [In("x", ["batch", 1, 28, 28])], ["log_probs"], BATCH),
    Entry("binarized_mlp", "embedded", "binarized MLP: sign as torch.where(x > 0, 1, -1) on activations and weights",
          BinarizedMlp, [In("x", ["batch", 16])], ["log_probs"], BATCH),
    Entry("binarized_convnet", "embedded", "binarized ConvNet: sign as torch.where(x > 0, 1, -1), BatchNorm2d",
          BinarizedConvNet, [In("x", ["batch", 1, 16, 16])], ["log_probs"], BATCH),
    Entry("bilstm_text_classifier", "sequence", "token embedding + 2-layer bidirectional LSTM classifier",
          BiLstmTextClassifier, [In("tokens", ["batch", "seq"], "int64", [0, 100])], ["log_probs"],
          {"batch": (2, (1, 3)), "seq": (9, (5, 17))}),
    Entry("tensor_algebra", "sequence", "parameter-free sum, mul, cat, split, chunk, abs, mean",
          TensorAlgebra, [In("a", ["batch", 12]), In("b", ["batch", 12])], ["mixed", "distance"], BATCH),
    Entry("transformer_encoder", "sequence", "nn.TransformerEncoder, 2 layers, d_model 32, 4 heads, batch_first",
          TransformerEncoderModel, [In("src", [1, "seq", 32])], ["encoded"], {"seq": (8, (5, 12))}),
    Entry("transformer_encoder_fastpath", "sequence", "pre-norm gelu nn.TransformerEncoder and nn.MultiheadAttention "
          "read-out traced under torch.no_grad() (fused attention kernels)", FastPathTransformer,
          [In("src", ["batch", "seq", 32])], ["encoded", "attention"], {"batch": (2, (1, 3)), "seq": (8, (5, 12))},
          no_grad=True),
    Entry("conv2d_layers", "vision", "Conv2d strided/depthwise/dilated/transposed, PReLU, maximum, pools, pad, "
          "BatchNorm2d, concat, upsample, Linear, Softmax", Conv2dLayers, [In("x", ["batch", 3, 32, 32])],
          ["probs"], BATCH),
    Entry("conv1d_layers", "vision", "Conv1d strided/depthwise/dilated/transposed, PReLU, maximum, pools, reflect "
          "pad, linear upsample, BatchNorm1d, Softmax", Conv1dLayers, [In("x", ["batch", 4, "time"])], ["probs"],
          {"batch": (2, (1, 3)), "time": (32, (16, 40))}),
    Entry("detector_head", "vision", "strided conv backbone, upsample + concat neck, permuted anchor-grid heads",
          DetectorHead, [In("x", ["batch", 3, 64, 64])], ["detections"], BATCH),
    Entry("speech_recognizer", "vision", "conv front end over mel frames + bidirectional GRU + log_softmax",
          SpeechRecognizer, [In("feats", [1, 40, "time"])], ["log_probs"], TIME),
    *(torchvision_entry(factory) for factory in ("resnet18", "mobilenet_v2", "mobilenet_v3_small", "squeezenet1_1",
                                                 "shufflenet_v2_x0_5", "efficientnet_b0")),
    Entry("vit_small", "public", "torchvision VisionTransformer: 32x32 images, 8x8 patches, 2 layers, 4 heads, "
          "hidden 64", small_vit, [In("x", ["batch", 3, 32, 32])], ["logits"], BATCH, committed=False),
]


# ---------------------------------------------------------------- generation

def sha256_file(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def seed_of(name):
    return zlib.crc32(name.encode("utf-8"))


def randomize_norm_statistics(model):
    """Fresh BatchNorm and LayerNorm layers are identities in eval mode; give them statistics and
    scales worth exporting."""
    for m in model.modules():
        with torch.no_grad():
            if isinstance(m, nn.modules.batchnorm._BatchNorm):
                m.running_mean.normal_(0.0, 0.2)
                m.running_var.uniform_(0.5, 1.5)
            if isinstance(m, (nn.modules.batchnorm._BatchNorm, nn.LayerNorm)) and m.weight is not None:
                m.weight.uniform_(0.5, 1.5)
                m.bias.normal_(0.0, 0.2)


def randomize_zero_weights(model):
    """Architectures that zero-initialise a weight (torchvision's VisionTransformer: its classifier head
    and class token) would make a constant output or leave a path untested; give such weights seeded
    random values."""
    with torch.no_grad():
        for p in model.parameters():
            if p.dim() > 1 and not p.any():
                p.normal_(0.0, 0.2)


def concrete_shape(shape, lengths):
    return [lengths[d] if isinstance(d, str) else d for d in shape]


def make_inputs(entry, lengths, seed):
    g = torch.Generator().manual_seed(seed)
    values = []
    for i in entry.inputs:
        shape = concrete_shape(i.shape, lengths)
        if i.dtype == "int64":
            values.append(torch.randint(i.value_range[0], i.value_range[1], shape, generator=g))
        else:
            values.append(torch.randn(shape, generator=g))
    return tuple(values)


def as_tuple(out):
    return tuple(out) if isinstance(out, (tuple, list)) else (out,)


DTYPE_NAMES = {torch.float32: "float32", torch.int64: "int64", torch.float64: "float64", torch.bool: "bool"}


def op_census(graph):
    counts = collections.Counter()

    def visit(block):
        for node in block.nodes():
            counts[node.kind()] += 1
            for sub in node.blocks():
                visit(sub)

    visit(graph)
    return dict(sorted(counts.items()))


def run_checks(entry, model, traced, example):
    """Output shapes at each test length (or at the example), after checking the trace against eager
    mode there: a shape frozen into the traced graph shows up as a mismatch."""
    checks = []
    for k in range(2 if entry.symbols else 1):
        lengths = {s: v[1][k] for s, v in entry.symbols.items()}
        inputs = make_inputs(entry, lengths, seed_of(entry.name) + 2 + k) if entry.symbols else example
        with torch.no_grad():
            expected = as_tuple(model(*inputs))
            actual = as_tuple(traced(*inputs))
        if len(actual) != len(entry.outputs):
            raise ValueError("%s: %d outputs, %d names" % (entry.name, len(actual), len(entry.outputs)))
        for name, e, a in zip(entry.outputs, expected, actual):
            if e.shape != a.shape:
                raise ValueError("%s: traced output %s has shape %s, eager %s, at lengths %s" % (
                    entry.name, name, list(a.shape), list(e.shape), lengths))
            if not torch.allclose(e, a, rtol=1e-4, atol=1e-5):
                raise ValueError("%s: traced output %s differs from eager by up to %g at lengths %s" % (
                    entry.name, name, (e - a).abs().max().item(), lengths))
            if a.is_floating_point() and a.numel() > 1 and (a == a.flatten()[0]).all():
                # a check of a constant output proves nothing (e.g. a zero-initialised classifier head)
                raise ValueError("%s: output %s is the constant %g at lengths %s" % (
                    entry.name, name, a.flatten()[0].item(), lengths))
        checks.append({
            "lengths": lengths,
            "inputs": {i.name: list(t.shape) for i, t in zip(entry.inputs, inputs)},
            "outputs": [{"name": n, "shape": list(t.shape), "dtype": DTYPE_NAMES[t.dtype]}
                        for n, t in zip(entry.outputs, actual)],
        })
    return checks


def generate(entry):
    """Traces one model, writes its archive, and returns its manifest entry."""
    torch.manual_seed(seed_of(entry.name))
    model = entry.build()
    randomize_norm_statistics(model)
    randomize_zero_weights(model)
    model.eval()
    forward_args = [p for p in inspect.signature(model.forward).parameters]
    declared = [i.name for i in entry.inputs]
    if forward_args != declared:
        raise ValueError("%s: declared inputs %s are not forward's arguments %s" % (entry.name, declared, forward_args))

    trace_lengths = {s: v[0] for s, v in entry.symbols.items()}
    example = make_inputs(entry, trace_lengths, seed_of(entry.name) + 1)
    with warnings.catch_warnings(), torch.set_grad_enabled(not entry.no_grad):
        warnings.simplefilter("ignore", torch.jit.TracerWarning)
        traced = torch.jit.trace(model, example, check_trace=False)

    directory = os.path.join(ZOO, "models" if entry.committed else "cache")
    os.makedirs(directory, exist_ok=True)
    path = os.path.join(directory, entry.name + ".pt")
    tmp = path + ".tmp"
    traced.save(tmp)
    os.replace(tmp, path)
    size = os.path.getsize(path)
    if entry.committed and size > COMMITTED_LIMIT:
        raise ValueError("%s: %d bytes, over the %d-byte limit for committed models; make it smaller or "
                         "mark it committed=False" % (entry.name, size, COMMITTED_LIMIT))

    checks = run_checks(entry, model, traced, example)
    ops = op_census(traced.inlined_graph)
    tensors = list(traced.named_parameters()) + list(traced.named_buffers())
    inputs = []
    for i, t in zip(entry.inputs, example):
        described = {"name": i.name, "shape": list(t.shape), "dtype": i.dtype}
        if i.value_range is not None:
            described["value_range"] = list(i.value_range)  # [low, high)
        inputs.append(described)
    dynamic = []
    for i in entry.inputs:
        for axis, d in enumerate(i.shape):
            if isinstance(d, str):
                dynamic.append({"spec": "%s:%d=%s" % (i.name, axis, d), "input": i.name, "axis": axis,
                                "symbol": d, "test_lengths": list(entry.symbols[d][1])})
    return {
        "name": entry.name,
        "family": entry.family,
        "description": entry.description,
        "file": os.path.relpath(path, ZOO),
        "committed": entry.committed,
        "sha256": sha256_file(path),
        "bytes": size,
        "torch_version": torch.__version__,
        "parameter_count": sum(p.numel() for p in model.parameters()),
        "state_tensors": len(tensors),
        "state_elements": sum(t.numel() for _, t in tensors),
        "inputs": inputs,
        "dynamic_axes": dynamic,
        "outputs": list(entry.outputs),
        "checks": checks,
        "recurrent_modules": sorted({type(m).__name__ for m in model.modules()
                                     if isinstance(m, (nn.RNNBase, nn.RNNCellBase))}),
        "recurrent_module_ops": sorted(op for op in ops if op in RECURRENT_MODULE_OPS),
        "recurrent_cell_ops": sorted(op for op in ops if op in RECURRENT_CELL_OPS),
        "ops": ops,
    }


# ---------------------------------------------------------------- manifest and census

def load_manifest():
    if not os.path.exists(MANIFEST):
        return {}
    with open(MANIFEST, encoding="utf-8") as f:
        return json.load(f)


def reusable(previous, script_sha, entry):
    """The previous manifest entry when this script, this torch and the archive on disk all match it."""
    if previous.get("script_sha256") != script_sha or previous.get("torch_version") != torch.__version__:
        return None
    old = next((m for m in previous.get("models", []) if m["name"] == entry.name), None)
    if old is None:
        return None
    path = os.path.join(ZOO, old["file"])
    return old if os.path.exists(path) and sha256_file(path) == old["sha256"] else None


def write_census(models):
    users = collections.defaultdict(list)
    totals = collections.Counter()
    for m in models:
        for op, count in m["ops"].items():
            users[op].append(m["name"])
            totals[op] += count
    rows = sorted(users, key=lambda op: (-len(users[op]), op))
    lines = [
        "# Op census of the sample model zoo",
        "",
        "Written by `samples/zoo/generate_zoo.py` from the traced graphs (`traced.inlined_graph`, nested",
        "blocks included) of the %d models in `zoo.json`; do not edit by hand." % len(models),
        "Translator work should follow this order: ops at the top are needed by the most models.",
        "",
        "## Recurrent layers",
        "",
        "torch 1.13's tracer records nn.LSTM/GRU/RNN as one whole-module op, but decomposes",
        "nn.LSTMCell/GRUCell into linear, unsafe_chunk, sigmoid_, tanh_, mul, add_ (no cell op appears):",
        "cell-loop models need only elementwise translators; whole-module ops need an extractor.",
        "",
        "| model | torch modules | whole-module ops | cell ops |",
        "| --- | --- | --- | --- |",
    ]
    for m in models:
        if m["recurrent_modules"]:
            lines.append("| %s | %s | %s | %s |" % (m["name"], ", ".join(m["recurrent_modules"]),
                                                   ", ".join(m["recurrent_module_ops"]) or "-",
                                                   ", ".join(m["recurrent_cell_ops"]) or "-"))
    lines += [
        "",
        "## Ops by number of models using them",
        "",
        "| op | models | occurrences | used by (when fewer than 6 models) |",
        "| --- | ---: | ---: | --- |",
    ]
    for op in rows:
        who = ", ".join(users[op]) if len(users[op]) < 6 else ""
        lines.append("| `%s` | %d | %d | %s |" % (op, len(users[op]), totals[op], who))
    with open(CENSUS + ".tmp", "w", encoding="utf-8") as f:
        f.write("\n".join(lines) + "\n")
    os.replace(CENSUS + ".tmp", CENSUS)


def generate_in_child(index, sender):
    """Child process: sends ("ok", manifest entry, seconds) or ("error", message) for ZOO_ENTRIES[index]."""
    torch.set_num_threads(1)  # WORKERS processes share the cores
    entry = ZOO_ENTRIES[index]
    t0 = time.monotonic()
    try:
        sender.send(("ok", generate(entry), time.monotonic() - t0))
    except Exception as e:
        sender.send(("error", "%s: cannot generate zoo model %r: %s: %s" % (SCRIPT_REL, entry.name, type(e).__name__, e)))
        raise


def generate_all(indices):
    """Manifest entries of ZOO_ENTRIES[i] for i in indices, each traced in a fresh forked process.

    torch numbers the classes it compiles per process (___torch_mangle_N) and records the Python
    stack of each traced op, forking frames included: every child is forked from this same call
    site of a process that traced nothing, so an archive never depends on which models were
    generated with it.
    """
    ctx = multiprocessing.get_context("fork")
    pending, running, results = list(indices), [], {}
    while pending or running:
        while pending and len(running) < WORKERS:
            index = pending.pop(0)
            receiver, sender = ctx.Pipe(duplex=False)
            process = ctx.Process(target=generate_in_child, args=(index, sender))
            process.start()
            sender.close()
            running.append((index, process, receiver))
        ready = multiprocessing.connection.wait([r for _, _, r in running])
        for item in [r for r in running if r[2] in ready]:
            index, process, receiver = item
            try:
                reply = receiver.recv()
            except EOFError:
                reply = ("error", "%s: zoo model %r: generator process died" % (SCRIPT_REL, ZOO_ENTRIES[index].name))
            process.join()
            running.remove(item)
            if reply[0] != "ok":
                for _, other, _ in running:
                    other.terminate()
                raise SystemExit(reply[1])
            print("%-24s %9d bytes %6.2f s" % (reply[1]["name"], reply[1]["bytes"], reply[2]), flush=True)
            results[index] = reply[1]
    return results


def main():
    parser = argparse.ArgumentParser(description="Generate the sample model zoo (samples/zoo).")
    parser.add_argument("--force", action="store_true", help="regenerate every model, even unchanged ones")
    args = parser.parse_args()
    with open(SCRIPT_REL, "rb") as f:
        script_sha = hashlib.sha256(f.read()).hexdigest()
    previous = {} if args.force else load_manifest()
    started = time.monotonic()
    models = [reusable(previous, script_sha, entry) for entry in ZOO_ENTRIES]
    stale = [i for i, m in enumerate(models) if m is None]
    for i, described in generate_all(stale).items():
        models[i] = described
    generated = len(stale)
    manifest = {
        "script_sha256": script_sha,
        "torch_version": torch.__version__,
        "generator": SCRIPT_REL,
        "models": models,
    }
    text = json.dumps(manifest, indent=1)
    # one line per list of plain values (shapes, ranges, op lists): a readable, diffable manifest
    text = re.sub(r"\[\s*([^\[\]{}]*?)\s*\]", lambda m: "[" + re.sub(r",\s+", ", ", m.group(1)) + "]", text)
    with open(MANIFEST + ".tmp", "w", encoding="utf-8") as f:
        f.write(text + "\n")
    os.replace(MANIFEST + ".tmp", MANIFEST)
    write_census(models)
    print("zoo: %d models, %d generated, %d up to date, %.1f s" % (
        len(models), generated, len(models) - generated, time.monotonic() - started))


if __name__ == "__main__":
    main()
