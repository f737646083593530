#!/usr/bin/python3
"""Archives for the graph builder's error tests. Run with Debian's torch 1.13 (/usr/bin/python3)
from this directory's repository root; commit the .pt files it writes next to this script.

- scripted_if.pt: a traced model whose submodule is scripted and branches on its input, so its
  code holds an `if` that the parser refuses.
- unsupported_ops.pt: a traced model using two ops that have no shape rule (cumprod in the root,
  tril in a submodule), for the "one error listing every op" test.
- upgraded_ops.pt: ops whose semantics torch versioned (gelu, div, full); torch 1.13 then writes
  format version 10 as .data/version only, so this model is kept out of samples/models. Inputs:
  x float32 [2, 3, 5], tokens int64 [2, 5].
- dict_literal.pt: a traced model with a scripted submodule that builds a dict: code the graph
  builder does not support, for the "unknown construct names file:line and module" test.
"""
import os

import torch
import torch.nn as nn

HERE = os.path.dirname(os.path.abspath(__file__))


class Branchy(nn.Module):
    def forward(self, x):
        if bool(x.sum() > 0):
            return x * 2
        return x - 1


class ScriptedIf(nn.Module):
    def __init__(self):
        super().__init__()
        self.branch = torch.jit.script(Branchy())

    def forward(self, x):
        return self.branch(x) + 1


class Lower(nn.Module):
    def forward(self, x):
        return torch.tril(x)


class UnsupportedOps(nn.Module):
    def __init__(self):
        super().__init__()
        self.lower = Lower()

    def forward(self, x):
        return self.lower(torch.cumprod(x, 1))


class UpgradedOps(nn.Module):
    def forward(self, x, tokens):
        g = torch.nn.functional.gelu(x) + torch.full((1, 5), 2.5)
        return g, tokens / 2, torch.div(tokens, 3, rounding_mode="floor"), torch.full((2,), 7)


class DictUser(nn.Module):
    def forward(self, x):
        d = {"a": x, "b": x * 2}
        return d["b"]


class DictLiteral(nn.Module):
    def __init__(self):
        super().__init__()
        self.user = torch.jit.script(DictUser())

    def forward(self, x):
        return self.user(x) + 1


def main():
    torch.manual_seed(5)
    torch.jit.trace(ScriptedIf(), (torch.randn(2, 3),)).save(os.path.join(HERE, "scripted_if.pt"))
    torch.jit.trace(UnsupportedOps(), (torch.randn(3, 3),)).save(os.path.join(HERE, "unsupported_ops.pt"))
    example = (torch.randn(2, 3, 5), torch.randint(0, 10, (2, 5)))
    torch.jit.trace(UpgradedOps(), example).save(os.path.join(HERE, "upgraded_ops.pt"))
    torch.jit.trace(DictLiteral(), (torch.randn(2),)).save(os.path.join(HERE, "dict_literal.pt"))


if __name__ == "__main__":
    main()
