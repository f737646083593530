#!/usr/bin/python3
"""Model of ToOverloadsNumericTest: every aten::to overload traced code contains (dtype; device and
dtype; dtype, layout and device keywords; another tensor) with non_blocking, copy and
memory_format given, and torch.tensor() of a size, which traces to a copying aten::to of it.

Run with Debian's torch 1.13:  /usr/bin/python3 exporter/src/test/resources/ops/make_to_models.py
"""
import torch

from family_models import save_all
from make_op_models import Fn


def to_overloads(s, x, y):
    cpu = torch.device("cpu")
    return (x.to("cpu") * 2,  # to(x, dtype=6, layout=0, device=cpu)
            x.to(cpu, torch.float64) + y.double(),
            (x * 3).to(y.long()),  # to another tensor's dtype: traced with its device and dtype
            (x * 3).to(device="cpu", dtype=torch.int32),
            x.to(torch.float16, non_blocking=True, copy=True),
            x.to("cpu", copy=True) - y,
            x.to(dtype=torch.float64, memory_format=torch.contiguous_format),
            (x > 0).to(cpu, torch.float32, True, True) + x,
            (x * 2).type(torch.int64) + 1,
            x * torch.tensor(x.shape[1]),  # a copy of a size, folded at export time
            (y * 5).to(x.to(torch.int32)).to(cpu) // 2)


def models():
    # exported with axis 0 of x dynamic in the tests
    yield "to_overloads", Fn(to_overloads), [(2, 6), (6,)]


if __name__ == "__main__":
    save_all(models())
