#!/usr/bin/python3
"""Models of the JoinSplitOps tests: cat, stack, split, split_with_sizes, chunk, unbind.

Run with Debian's torch 1.13:  /usr/bin/python3 exporter/src/test/resources/ops/make_joinsplit_models.py
"""
import torch

from family_models import save_all
from make_op_models import Fn


def models():
    yield "cat_dims", Fn(lambda s, x, y: (torch.cat([x, y], 1), torch.cat((x, y, x), -1), torch.cat([x], 0) * 2.0)), [(2, 3, 4), (2, 3, 4)]
    yield "stack_dims", Fn(lambda s, x, y: (torch.stack([x, y]), torch.stack((x, y, x), -1), torch.stack([x, y], 1))), [(2, 3), (2, 3)]
    yield "split_sizes", Fn(lambda s, x: tuple(p * (i + 1) for i, p in enumerate(torch.split(x, 2, 1)))
                           + torch.split(x, [1, 3, 1], -1)), [(2, 5, 5)]
    yield "split_unpack", Fn(lambda s, x: (lambda a, b: a - b)(*x.split([2, 2], 0))), [(4, 3)]
    yield "chunk_uneven", Fn(lambda s, x: (lambda ps: tuple(p + 1.0 for p in ps))(torch.chunk(x, 3, -1))
                            + x.chunk(2, 0)), [(3, 7)]
    yield "unbind_dims", Fn(lambda s, x: ((lambda a, b, c: a * b - c)(*torch.unbind(x, 1)), torch.unbind(x, -1)[1])), [(2, 3, 2)]
    # exported with axis 1 dynamic: cat along it, and chunk/split along a static axis of a dynamic tensor
    # exported with axis 1 dynamic: pieces of a symbolic length (ceil(S / 2) and the rest)
    yield "chunk_dynamic", Fn(lambda s, x: (lambda a, b: (a * 2.0, b))(*x.chunk(2, 1))), [(2, 6, 3)]
    yield "cat_dynamic", Fn(lambda s, x: torch.cat([x, torch.relu(x)], 1).chunk(2, 2)[1]), [(2, 5, 4)]


if __name__ == "__main__":
    save_all(models())
