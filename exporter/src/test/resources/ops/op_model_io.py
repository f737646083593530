"""Shared saving for the make_*_models.py generators: traces each (name, module, input shapes)
in eval() mode and writes <name>.pt plus <name>.json (input shapes and dtypes) beside this file,
the layout make_op_models.py uses and the op-translator tests read."""
import json
import os

import torch

OUT = os.path.dirname(os.path.abspath(__file__))


def save(models):
    torch.manual_seed(0)
    for name, model, shapes in models:
        model.eval()
        inputs = tuple(torch.randn(*shape) for shape in shapes)
        with torch.no_grad():
            traced = torch.jit.trace(model, inputs)
        traced.save(os.path.join(OUT, name + ".pt"))
        with open(os.path.join(OUT, name + ".json"), "w") as f:
            json.dump({"inputs": [{"shape": list(s), "dtype": "float32"} for s in shapes]}, f, indent=1)
            f.write("\n")
