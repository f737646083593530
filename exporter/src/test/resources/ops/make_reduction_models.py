#!/usr/bin/python3
"""Tiny traced models of the reduction translators (ReductionNumericTest).

Run with Debian's torch 1.13:  /usr/bin/python3 exporter/src/test/resources/ops/make_reduction_models.py
"""
import torch

from make_op_models import Fn
from op_model_io import save


def models():
    yield "sum_mean", Fn(lambda s, x: (torch.sum(x, 1), torch.sum(x, (0, 2), keepdim=True), x.sum(), torch.sum(x, -1),
                                       torch.mean(x, -1), torch.mean(x, (1, 2), keepdim=True), x.mean())), [(2, 3, 4)]
    yield "prod_amax_amin", Fn(lambda s, x: (torch.prod(x, 1), torch.prod(x, -1, keepdim=True), x.prod(),
                                             torch.amax(x, (1, 2)), torch.amin(x, -1, keepdim=True), torch.amax(x))), [(2, 3, 4)]
    yield "max_min_dim", Fn(lambda s, x: (torch.max(x, 1), torch.min(x, -1, keepdim=True), x.max(), x.min())), [(2, 3, 4)]
    # only the values of max(dim) are used: the indices are not exported
    yield "max_dim_values", Fn(lambda s, x: torch.max(x, 0)[0] + 1.0), [(3, 4)]
    yield "argmax_argmin", Fn(lambda s, x: (torch.argmax(x, 1), torch.argmax(x, -1, keepdim=True), torch.argmax(x),
                                            torch.argmin(x, 0), torch.argmin(x), torch.argmax(x, keepdim=True))), [(2, 3, 4)]
    yield "maximum_minimum", Fn(lambda s, x, y: (torch.max(x, y), torch.min(x, y), torch.maximum(x, y),
                                                 torch.minimum(y, x))), [(2, 3, 4), (4,)]
    yield "var_std", Fn(lambda s, x: (torch.var(x, 1), torch.std(x, -1, keepdim=True, unbiased=False), x.var(), x.std(),
                                      torch.var(x, (0, 2), unbiased=False), torch.var(x, 1, correction=2),
                                      torch.std(x, (0, 2), correction=0, keepdim=True))), [(2, 3, 4)]
    yield "norms", Fn(lambda s, x: (torch.norm(x), x.norm(dim=1), torch.linalg.vector_norm(x, 2, dim=-1),
                                    x.norm(p=1, dim=1, keepdim=True), torch.linalg.vector_norm(x, float("inf"), dim=(1, 2)),
                                    torch.linalg.vector_norm(x, keepdim=True), torch.amax(x, keepdim=True))), [(2, 3, 4)]
    # not supported: the tests expect clear errors
    yield "sum_dtype", Fn(lambda s, x: torch.sum(x, 1, dtype=torch.float64)), [(2, 3)]
    yield "norm_p3", Fn(lambda s, x: x.norm(p=3, dim=1)), [(2, 3)]
    # exported with a dynamic axis 1 and run at two lengths of it
    yield "reduce_dynamic", Fn(lambda s, x: (torch.sum(x, 1), torch.mean(x, 1, keepdim=True), torch.max(x, 1),
                                             torch.argmin(x, 1), torch.amax(x, -1), torch.var(x, 2), torch.std(x, 1, unbiased=False),
                                             x.norm(dim=1), torch.prod(x, 2), torch.maximum(x, torch.relu(x) * 0.5),
                                             torch.argmax(x))), [(2, 5, 3)]


if __name__ == "__main__":
    save(models())
