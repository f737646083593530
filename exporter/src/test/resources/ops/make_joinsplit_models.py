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
    # slices of joined tensors, which read the pieces (tract before 0.23 fails on a tensor read only by
    # slices all past 0): a stack's tail and last two items, a cat's slices within and across pieces;
    # exported with axis 2 dynamic, also joined along: its second half is the second piece
    yield "joined_slices", Fn(lambda s, x: (lambda h, c, d: (h[1:], h[-2] + h[-1], c[:, 3:5], c[:, 5:], c[:, 1:7] * 2.0,
                                                             d[:, :, x.size(2):]))(
        torch.stack([x, x * 2.0, torch.relu(x)]), torch.cat([x, x * 2.0, torch.relu(x)], 1), torch.cat([x, x - 1.0], 2))), [(2, 3, 4)]


if __name__ == "__main__":
    save_all(models())
