#!/usr/bin/python3
"""Models of the ResizeOps tests: F.interpolate nearest / linear / bilinear, by scale factor and by size,
align_corners true and false (upsample_nearest1d/2d, upsample_linear1d, upsample_bilinear2d).

Run with Debian's torch 1.13:  /usr/bin/python3 exporter/src/test/resources/ops/make_resize_models.py
"""
import torch.nn as nn
import torch.nn.functional as F

from family_models import save_all
from make_op_models import Fn


def models():
    yield "nearest_factors", Fn(lambda s, x, y: (F.interpolate(x, scale_factor=2), F.interpolate(y, scale_factor=(3, 2)),
                                                 s.u(y), F.interpolate(y, size=(8, 15))),
                                 u=nn.Upsample(scale_factor=2, mode="nearest")), [(1, 2, 5), (1, 2, 4, 5)]
    yield "nearest_sizes", Fn(lambda s, x, y: (F.interpolate(x, size=7), F.interpolate(y, size=(3, 7)),
                                               F.interpolate(y, scale_factor=1.5))), [(1, 2, 5), (1, 2, 4, 5)]
    yield "upsample_linear_1d", Fn(lambda s, x: (F.interpolate(x, scale_factor=2, mode="linear"),
                                                 F.interpolate(x, size=8, mode="linear", align_corners=True),
                                                 F.interpolate(x, size=3, mode="linear"),
                                                 F.interpolate(x, scale_factor=1.7, mode="linear", align_corners=False))), [(1, 3, 5)]
    yield "bilinear_2d", Fn(lambda s, x: (F.interpolate(x, scale_factor=2, mode="bilinear"),
                                          F.interpolate(x, scale_factor=(2, 3), mode="bilinear", align_corners=True),
                                          F.interpolate(x, size=(6, 4), mode="bilinear", align_corners=False),
                                          s.u(x)),
                             u=nn.UpsamplingBilinear2d(size=(7, 9))), [(2, 3, 4, 5)]
    # exported with the batch axis 0 dynamic
    yield "resize_dynamic_batch", Fn(lambda s, x: (F.interpolate(x, scale_factor=2),
                                                   F.interpolate(x, size=(5, 7), mode="bilinear"))), [(2, 3, 4, 5)]
    # exported with the spatial axis 3 dynamic: integer nearest factors keep it symbolic
    yield "nearest_dynamic_width", Fn(lambda s, x: F.interpolate(x, scale_factor=(2, 3))), [(1, 2, 3, 4)]


if __name__ == "__main__":
    save_all(models())
