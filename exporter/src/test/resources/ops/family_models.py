#!/usr/bin/python3
"""Shared saving for the model generators of this directory (make_<family>_models.py).

Same conventions as make_op_models.py: each model traced in eval() mode with a fixed seed, saved as
<name>.pt beside this script with <name>.json holding its input shapes and dtypes. An input given as
("int64", shape, high) is a tensor of random integers in [0, high) (token ids, indices); one given as
("padding", (B, T)) is a bool key padding mask whose row b marks its last min(b, T - 1) positions
(True = padding), as FamilyNumerics makes it at every size.

A generator re-runs itself from the repository root under its relative name (repo_relative), so
archives are byte-identical across checkouts. Given model names as arguments it writes only those,
still tracing every model in order so that torch numbers the compiled classes as in a full run.
"""
import json
import os
import sys

import torch

from repo_relative import rerun_from_root

OUT = os.path.dirname(os.path.abspath(__file__))


def _input(spec):
    if isinstance(spec, tuple) and spec and spec[0] == "int64":
        _, shape, high = spec
        return torch.randint(0, high, shape, dtype=torch.int64), {"shape": list(shape), "dtype": "int64", "high": high}
    if isinstance(spec, tuple) and spec and spec[0] == "padding":
        rows, length = spec[1]
        mask = torch.tensor([[t >= length - min(r, length - 1) for t in range(length)] for r in range(rows)])
        return mask, {"shape": [rows, length], "dtype": "bool"}
    return torch.randn(*spec), {"shape": list(spec), "dtype": "float32"}


def save_all(models, check_trace=True, on_saved=None):
    """Traces (name, module, input specs) in order; writes the models named on the command line, or all.

    on_saved(name, inputs), when given, is called after each written model with its example inputs.
    """
    rerun_from_root()
    models = list(models)
    wanted = set(sys.argv[1:])
    unknown = wanted - {name for name, _, _ in models}
    if unknown:
        sys.exit("no model named " + ", ".join(sorted(unknown)))
    torch.manual_seed(0)
    for name, model, specs in models:
        model.eval()
        made = [_input(s) for s in specs]
        inputs = tuple(m[0] for m in made)
        with torch.no_grad():
            traced = torch.jit.trace(model, inputs, check_trace=check_trace)
        if wanted and name not in wanted:
            continue
        traced.save(os.path.join(OUT, name + ".pt"))
        with open(os.path.join(OUT, name + ".json"), "w") as f:
            json.dump({"inputs": [m[1] for m in made]}, f, indent=1)
            f.write("\n")
        if on_saved:
            on_saved(name, inputs)
