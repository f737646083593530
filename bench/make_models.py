#!/usr/bin/python3
"""Writes the synthetic traced models of the export benchmark into bench/cache/.

Run with Debian's torch 1.13:  /usr/bin/python3 bench/make_models.py [--force] [NAME ...]

Weight-heavy models (about 10, 100 and 500 MB of float32 weights) are a few convolutions followed
by a stack of square Linear layers; graph-heavy models are chains of thousands of small blocks
(Linear 16x16, relu, scaled residual), so that parsing and translation dominate their export, and
a chain of 200k relu ops checks that export time grows linearly with the graph.
Each model is written as NAME.pt with NAME.json beside it (forward's inputs for `--input`, weight
bytes, op count of the traced graph). A model is regenerated only when this script or the torch
version changed since it was written (recorded in the .json), or with --force.
"""
import argparse
import hashlib
import json
import os
import sys
import threading

import torch
import torch.nn as nn

CACHE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "cache")


class WeightStack(nn.Module):
    """Strided Conv2d front end flattened to a vector, then `layers` Linear(width, width) + ReLU."""

    def __init__(self, width, layers):
        super().__init__()
        self.convs = nn.Sequential(
            nn.Conv2d(3, 32, 3, padding=1, stride=2), nn.ReLU(),
            nn.Conv2d(32, 64, 3, padding=1, stride=2), nn.ReLU(),
            nn.Conv2d(64, 16, 3, padding=1, stride=2), nn.ReLU(), nn.Flatten())
        self.inp = nn.Linear(16 * 4 * 4, width)
        self.stack = nn.Sequential(*[m for _ in range(layers) for m in (nn.Linear(width, width), nn.ReLU())])
        self.head = nn.Linear(width, 10)

    def forward(self, x):
        return self.head(self.stack(self.inp(self.convs(x))))


class SmallBlock(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc = nn.Linear(16, 16)

    def forward(self, x):
        return torch.relu(self.fc(x)) + x * 0.5


class GraphChain(nn.Module):
    """`blocks` SmallBlocks in a row: about four aten ops per block."""

    def __init__(self, blocks):
        super().__init__()
        self.blocks = nn.Sequential(*[SmallBlock() for _ in range(blocks)])

    def forward(self, x):
        return self.blocks(x)


class ReluChain(nn.Module):
    """`length` relu ops in a row: one op name repeated, as in graphs that once exported in
    quadratic time (NNEF names derived from the same op)."""

    def __init__(self, length):
        super().__init__()
        self.length = length

    def forward(self, x):
        for _ in range(self.length):
            x = torch.relu(x)
        return x


# name -> (constructor, input shape); widths chosen for about 10, 100 and 500 MB of weights
MODELS = {
    "weights-10mb": (lambda: WeightStack(1152, 2), [1, 3, 32, 32]),
    "weights-100mb": (lambda: WeightStack(2048, 6), [1, 3, 32, 32]),
    "weights-500mb": (lambda: WeightStack(2048, 30), [1, 3, 32, 32]),
    "graph-1k": (lambda: GraphChain(1000), [1, 16]),
    "graph-4k": (lambda: GraphChain(4000), [1, 16]),
    "graph-relu-200k": (lambda: ReluChain(200_000), [1, 16]),
}


def script_digest():
    with open(os.path.abspath(__file__), "rb") as f:
        return hashlib.sha256(f.read()).hexdigest() + "/torch-" + torch.__version__


def up_to_date(name, digest):
    meta = os.path.join(CACHE, name + ".json")
    if not (os.path.exists(meta) and os.path.exists(os.path.join(CACHE, name + ".pt"))):
        return False
    with open(meta, encoding="utf-8") as f:
        return json.load(f).get("generator") == digest


def generate(name, digest):
    make, shape = MODELS[name]
    torch.manual_seed(sum(name.encode()))
    model = make().eval()
    example = torch.rand(*shape)
    with torch.no_grad():
        traced = torch.jit.trace(model, example)
    pt = os.path.join(CACHE, name + ".pt")
    traced.save(pt + ".tmp")
    os.replace(pt + ".tmp", pt)
    weight_bytes = sum(p.numel() * p.element_size() for p in model.parameters())
    ops = sum(1 for n in traced.inlined_graph.nodes() if n.kind().startswith("aten::"))
    meta = {"generator": digest, "inputs": ["x=" + ",".join(map(str, shape))],
            "weight_bytes": weight_bytes, "aten_ops": ops}
    with open(os.path.join(CACHE, name + ".json"), "w", encoding="utf-8") as f:
        json.dump(meta, f, indent=1)
    print(f"{name}: {weight_bytes / 1e6:.1f} MB of weights, {ops} aten ops, {os.path.getsize(pt) / 1e6:.1f} MB archive",
          file=sys.stderr)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--force", action="store_true", help="regenerate even when up to date")
    ap.add_argument("names", nargs="*", help="models to write (default: all): " + ", ".join(MODELS))
    args = ap.parse_args()
    unknown = [n for n in args.names if n not in MODELS]
    if unknown:
        ap.error("unknown model(s) " + ", ".join(unknown) + "; known: " + ", ".join(MODELS))
    os.makedirs(CACHE, exist_ok=True)
    digest = script_digest()
    for name in args.names or MODELS:
        if args.force or not up_to_date(name, digest):
            in_large_stack(lambda: generate(name, digest))


def in_large_stack(work):
    """Runs `work` in a thread with a 2 GB stack: torch's tracer and printer recurse once per op
    of a long chain (200k relu segfault on the default 8 MB stack)."""
    failure = []

    def run():
        try:
            work()
        except BaseException as e:  # re-raised in the main thread
            failure.append(e)

    threading.stack_size(2 << 30)
    t = threading.Thread(target=run)
    t.start()
    t.join()
    if failure:
        raise failure[0]


if __name__ == "__main__":
    main()
