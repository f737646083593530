#!/usr/bin/python3
"""Models of the IndexingOps tests: slice, select, narrow, index_select, gather, expand, expand_as, repeat, tile, flip, roll.

Run with Debian's torch 1.13:  /usr/bin/python3 exporter/src/test/resources/ops/make_indexing_models.py
"""
import torch

from family_models import save_all
from make_op_models import Fn


def with_buffers(module, **buffers):
    for name, t in buffers.items():
        module.register_buffer(name, t)
    return module


def models():
    # x[1:] ends at INT64_MAX ("to the end"); negative start and end; a step; a full slice
    yield "slice_variants", Fn(lambda s, x: (x[1:], x[:, -3:-1], x[..., ::2], x[:, 1:5:3], x[:2, :] * 2.0, x[:, -10:2])), [(3, 5, 4)]
    yield "select_narrow", Fn(lambda s, x: (x[:, 0], x[-1], x.select(2, -2), x.narrow(1, 1, 3), torch.narrow(x, -1, -3, 2))), [(3, 5, 4)]
    # indices known at export time: buffers (torch.tensor(...) would trace through aten::to)
    yield "index_select_constant", with_buffers(Fn(lambda s, x: (torch.index_select(x, 1, s.runs), x.index_select(-1, s.run),
                                                                 x.index_select(0, s.scalar))),
                                                runs=torch.tensor([3, 0, 0, 1, 2]), run=torch.tensor([1, 2, 3]),
                                                scalar=torch.tensor(1)), [(2, 4, 5)]
    yield "index_select_tensor", Fn(lambda s, x, i: torch.index_select(x, 0, i)), [(5, 3), ("int64", (4,), 5)]
    yield "gather_elements", Fn(lambda s, x, i: (torch.gather(x, 1, i), torch.gather(x, -1, i[:, :2]))), [(3, 4), ("int64", (3, 4), 4)]
    yield "expand_repeat", Fn(lambda s, x, y: (x.expand(2, 3, -1), x.expand_as(y), x.repeat(2, 1, 3), torch.tile(x, (2,)),
                                               torch.tile(x, (2, 1, 2)))), [(3, 1), (4, 3, 5)]
    yield "flip_dims", Fn(lambda s, x: (torch.flip(x, [0]), x.flip(-1, 1), torch.flip(x, [1, 2]) * 2.0)), [(2, 3, 4)]
    # one axis, two axes with a negative shift, no dims (the flattened tensor rolls), a shift of the whole length
    yield "roll_dims", Fn(lambda s, x: (torch.roll(x, 1, 0), torch.roll(x, (-1, 5), (1, 2)), torch.roll(x, 3),
                                        torch.roll(x, 4, -1) * 2.0)), [(2, 3, 4)]
    # exported with axis 1 dynamic: slices from the start, to the end and from the end of it, expand to it
    yield "slice_dynamic", Fn(lambda s, x: (x[:, 1:], x[:, :-1] + x[:, 1:], x[:, -2:], x.narrow(1, 0, 2),
                                            x[:, :1].expand(-1, x.size(1), -1))), [(2, 5, 3)]
    # exported with axis 1 dynamic: strides and bounds from the end of it, its last item, then sizes
    # merged by a reshape and a flatten; a stride on the static axis 2 stays a standard slice
    yield "slice_strided_dynamic", Fn(lambda s, x: (x[:, 1::2], x[:, ::3], x[:, -4:], x[:, 1:-1], x[:, 2:-1:2] * 2.0, x[:, -1],
                                                    x[:, 1:-1].reshape(x.size(0), -1), x[:, ::2].flatten(1), x[..., 1::2])), [(2, 7, 3)]


if __name__ == "__main__":
    save_all(models())
