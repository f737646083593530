"""Regenerates the TorchScript code texts used as parser test resources.

Run from this directory with Debian's torch 1.13:  /usr/bin/python3 generate_code_examples.py
Each model is traced (one is scripted, on purpose, to test the refusal), saved to a temporary
.pt and only its code/**/*.py entries are extracted to <model-name>/code/... next to this
script. The .pt files themselves are not kept.
"""
import math
import os
import shutil
import tempfile
import warnings
import zipfile
from typing import List, Tuple

import torch
import torch.nn as nn
import torch.nn.functional as F

warnings.filterwarnings("ignore")
torch.manual_seed(0)
HERE = os.path.dirname(os.path.abspath(__file__))


class ConvNet(nn.Module):
    """Conv2d/BatchNorm/ReLU/MaxPool, then x.view(x.size(0), -1) into a Linear."""

    def __init__(self):
        super().__init__()
        self.features = nn.Sequential(
            nn.Conv2d(3, 8, 3, padding=1), nn.BatchNorm2d(8), nn.ReLU(),
            nn.MaxPool2d(2), nn.Conv2d(8, 4, 3, stride=2, bias=False))
        self.fc = nn.Linear(4 * 2 * 2, 10)

    def forward(self, x):
        x = self.features(x)
        x = x.view(x.size(0), -1)
        return F.log_softmax(self.fc(x), dim=1)


class Block(nn.Module):
    """A user submodule instantiated twice with different layers: mangled class names."""

    def __init__(self, c, k):
        super().__init__()
        self.conv = nn.Conv1d(c, c, k, padding=k // 2)
        self.norm = nn.LayerNorm(c)

    def forward(self, x):
        y = self.conv(x).transpose(1, 2)
        return self.norm(y).transpose(1, 2) + x


class Mangled(nn.Module):
    def __init__(self):
        super().__init__()
        self.a = Block(4, 3)
        self.b = Block(4, 5)
        self.head = nn.Sequential(nn.Sequential(nn.Linear(4, 4), nn.GELU()), nn.Linear(4, 2))

    def forward(self, x):
        x = self.b(self.a(x))
        return self.head(x.mean(-1))


class Recurrent(nn.Module):
    def __init__(self):
        super().__init__()
        self.lstm = nn.LSTM(6, 8, num_layers=2, batch_first=True)
        self.gru = nn.GRU(8, 5, bidirectional=True)

    def forward(self, x, h0: Tuple[torch.Tensor, torch.Tensor]):
        out, (h, c) = self.lstm(x, h0)
        out2, hg = self.gru(out.transpose(0, 1))
        return out2, h, c, hg


class ShapeOps(nn.Module):
    """chunk/split with tuple unpacking, cat, size arithmetic, slicing, constants."""

    def forward(self, x, y):
        a, b = torch.chunk(x, 2, dim=1)
        p, q, r = torch.split(y, [1, 2, 1], 1)
        n = x.shape[0] * x.size(1) // 2
        z = torch.cat([a * 2.5, b - 1, p, q, r], 1)
        z = z.reshape(n, -1)
        w = torch.zeros([2, z.shape[1]], dtype=torch.float32)
        s = z[:, 1:-1] + x.new_ones(1)
        m = x.masked_fill(x > 0, float("-inf")).clamp(min=-1e-05)
        t = torch.where(torch.isnan(m), torch.full_like(m, float("nan")), m)
        return torch.cat([z, w], 0), s.float().to(torch.float64), t, x.permute(1, 0, 2)[..., 0]


class Literals(nn.Module):
    """String literals, keyword args, float/int casts, None, bools."""

    def __init__(self):
        super().__init__()
        self.register_buffer("scale", torch.tensor([0.5, 2.0]))

    def forward(self, x):
        g = F.gelu(x, approximate="tanh")
        d = torch.div(x, 3, rounding_mode="floor")
        e = torch.einsum("bij,bjk->bik", x, x.transpose(1, 2))
        u = F.interpolate(x.unsqueeze(1), scale_factor=2.0, mode="bilinear", align_corners=False)
        pd = F.pad(x, (1, 1), mode="reflect")
        k = int(x.size(2)) + 1
        f = float(x.size(1)) * 0.1
        sm = torch.softmax(x * f, -1)
        am = torch.argmax(x, dim=-1, keepdim=True)
        return g, d, e, u, pd, sm + k, am, x.sum(dtype=torch.float64), x * self.scale[0]


class Indexing(nn.Module):
    """Empty and Optional lists (annotate), advanced indexing, casts, scalar creation."""

    def forward(self, x, idx):
        a = x.sum(dim=())
        b = x[:, idx]
        c = torch.zeros(())
        e = F.interpolate(x[None, None], size=(4, 6), mode="nearest")
        f = F.dropout(x.flatten(1), 0.5, training=False)
        k = x.new_full(x.shape, 3.0) ** 2
        return a, b, c, e, f, k, -x, x @ x.t(), x == 3, ~(x > 1), x.abs() / x.size(0)


@torch.jit.script
def scripted_helper(x: torch.Tensor, k: int = 2) -> torch.Tensor:
    return x * k + 1


class WithScriptedParts(nn.Module):
    """Traced, but calls a scripted function (top-level def with a default) and holds a
    scripted Sequential whose Dropout/Hardtanh carry Final constants; the scripted
    torch.nn.functional code it pulls in contains `if` and must be refused."""

    def __init__(self):
        super().__init__()
        self.sub = torch.jit.script(nn.Sequential(nn.Dropout(0.3), nn.Hardtanh(-2.0, 3.0)))
        self.p = nn.Parameter(torch.ones(3))

    def forward(self, x):
        return scripted_helper(self.sub(x)) * self.p


class Scripted(nn.Module):
    """Scripted on purpose: if/for must be refused by the parser."""

    def forward(self, x: torch.Tensor, n: int) -> torch.Tensor:
        if x.sum() > 0:
            x = x * 2
        for i in range(n):
            x = x + i
        return x


def extract(model_name, module):
    out_dir = os.path.join(HERE, model_name)
    shutil.rmtree(out_dir, ignore_errors=True)
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, model_name + ".pt")
        module.save(path)
        with zipfile.ZipFile(path) as archive:
            for entry in archive.namelist():
                # entries look like <archive-root>/code/__torch__/...py
                parts = entry.split("/", 1)
                if len(parts) == 2 and parts[1].startswith("code/") and entry.endswith(".py"):
                    target = os.path.join(out_dir, parts[1])
                    os.makedirs(os.path.dirname(target), exist_ok=True)
                    with open(target, "wb") as f:
                        f.write(archive.read(entry))
    print("wrote", out_dir)


def main():
    trace = torch.jit.trace
    extract("convnet", trace(ConvNet().eval(), torch.randn(2, 3, 10, 10)))
    extract("mangled", trace(Mangled().eval(), torch.randn(2, 4, 7)))
    h0 = (torch.zeros(2, 3, 8), torch.zeros(2, 3, 8))
    extract("recurrent", trace(Recurrent().eval(), (torch.randn(3, 5, 6), h0)))
    extract("shape_ops", trace(ShapeOps().eval(), (torch.randn(4, 4, 3), torch.randn(4, 4, 3))))
    extract("literals", trace(Literals().eval(), torch.randn(2, 3, 4)))
    extract("indexing", trace(Indexing().eval(), (torch.randn(3, 3), torch.tensor([0, 2]))))
    extract("scripted_parts", trace(WithScriptedParts().eval(), torch.randn(3, 3)))
    import torchvision
    extract("resnet18", trace(torchvision.models.resnet18().eval(), torch.randn(1, 3, 32, 32)))
    extract("scripted", torch.jit.script(Scripted()))


if __name__ == "__main__":
    main()
