#!/usr/bin/python3
"""Models of the EmbeddingOps tests: embedding of int64 token ids, with and without padding_idx.

Run with Debian's torch 1.13:  /usr/bin/python3 exporter/src/test/resources/ops/make_embedding_models.py
"""
import torch.nn as nn
import torch.nn.functional as F

from family_models import save_all
from make_op_models import Fn


def models():
    yield "embedding_ids", Fn(lambda s, ids: s.e(ids), e=nn.Embedding(10, 4)), [("int64", (2, 7), 10)]
    yield "embedding_padding_idx", Fn(lambda s, ids: (s.e(ids) * 2.0, F.embedding(ids[0], s.e.weight)),
                                      e=nn.Embedding(6, 3, padding_idx=0)), [("int64", (3, 5), 6)]
    # exported with the sequence axis 1 dynamic
    yield "embedding_dynamic", Fn(lambda s, ids: s.e(ids), e=nn.Embedding(10, 4)), [("int64", (1, 7), 10)]


if __name__ == "__main__":
    save_all(models())
