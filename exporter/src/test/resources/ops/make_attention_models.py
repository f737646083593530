#!/usr/bin/python3
"""Models of AttentionNumericTest: attention as torch 1.13 traces it under torch.no_grad() in eval
mode, the way most users trace: nn.MultiheadAttention (batch_first, even number of heads, self-attention)
becomes one aten::_native_multi_head_attention, nn.TransformerEncoderLayer one
aten::_transformer_encoder_layer_fwd, and nn.TransformerEncoder given a src_key_padding_mask runs its
layers on a nested tensor (aten::_nested_tensor_from_mask ... aten::to_padded_tensor).

Run with Debian's torch 1.13:  /usr/bin/python3 exporter/src/test/resources/ops/make_attention_models.py
"""
import torch
import torch.nn as nn

from family_models import save_all
from make_op_models import Fn

PADDING = ("padding", (3, 5))


def perturbed_norms(module):
    """Fresh LayerNorms are identities; give them scales and offsets worth checking."""
    with torch.no_grad():
        for m in module.modules():
            if isinstance(m, nn.LayerNorm):
                m.weight.uniform_(0.5, 1.5)
                m.bias.normal_(0.0, 0.3)
    return module


def encoder_layer(**kwargs):
    return perturbed_norms(nn.TransformerEncoderLayer(8, 2, 16, batch_first=True, **kwargs))


class DirectAttention(nn.Module):
    """Calls the fused kernel itself: distinct query, key and value, or a mask of the scores' shape
    [B, H, L, S] (mask_type 2), which nn.MultiheadAttention never passes to it in torch 1.13."""

    def __init__(self, embed=8, heads=2):
        super().__init__()
        self.heads = heads
        self.inner = nn.MultiheadAttention(embed, heads, batch_first=True)

    def forward(self, q, k, v, padding=None):
        m = self.inner
        mask = None if padding is None else padding[:, None, None, :].expand(q.size(0), self.heads, q.size(1), k.size(1))
        return torch._native_multi_head_attention(
            q, k, v, m.embed_dim, self.heads, m.in_proj_weight, m.in_proj_bias, m.out_proj.weight,
            m.out_proj.bias, mask, True, False, None if mask is None else 2)


class NestedRelu(nn.Module):
    """A nested tensor read by an op other than the encoder layer's kernel (not exported)."""

    def forward(self, x, padding):
        nested = torch._nested_tensor_from_mask(x, padding.logical_not())
        return torch.relu(nested).to_padded_tensor(0.0)


class NestedRoundTrip(nn.Module):
    """Padded back to the input's size given as output_size, as torch 2's nn.TransformerEncoder does;
    with a longer size (not exported) when longer=True."""

    def __init__(self, longer=False):
        super().__init__()
        self.longer = longer

    def forward(self, x, padding):
        nested = torch._nested_tensor_from_mask(x, padding.logical_not())
        return nested.to_padded_tensor(-1.5, (x.size(0), x.size(1) + int(self.longer), x.size(2)))


def models():
    # need_weights (default): the output and the weights averaged over the heads
    yield "mha_fused", Fn(lambda s, x: s.m(x, x, x), m=nn.MultiheadAttention(8, 4, batch_first=True)), [(2, 5, 8)]
    # a key padding mask (mask_type 1) and per-head weights
    yield "mha_fused_padding", Fn(lambda s, x, pad: s.m(x, x, x, key_padding_mask=pad, average_attn_weights=False),
                                  m=nn.MultiheadAttention(8, 4, batch_first=True)), [(3, 5, 8), PADDING]
    # a float key padding mask, which the kernel reads as bool (non-zero excludes); no weights
    yield "mha_fused_float_padding", Fn(lambda s, x, pad: s.m(x, x, x, key_padding_mask=pad.float() * -10000.0,
                                                              need_weights=False)[0],
                                        m=nn.MultiheadAttention(8, 2, batch_first=True)), [(3, 5, 8), PADDING]
    yield "mha_kernel_distinct_inputs", Fn(lambda s, q, k, v: s.a(q, k, v), a=DirectAttention()), \
        [(2, 5, 8), (2, 5, 8), (2, 5, 8)]
    yield "mha_kernel_full_mask", Fn(lambda s, x, pad: s.a(x, x, x, pad), a=DirectAttention()), [(3, 5, 8), PADDING]
    yield "encoder_layer_fused", encoder_layer(), [(2, 5, 8)]
    yield "encoder_layer_fused_gelu_norm_first", encoder_layer(activation="gelu", norm_first=True, layer_norm_eps=1e-3), \
        [(2, 5, 8)]
    yield "encoder_layer_fused_padding", Fn(lambda s, x, pad: s.l(x, src_key_padding_mask=pad), l=encoder_layer()), \
        [(3, 5, 8), PADDING]
    # the nested-tensor path: two layers on the sequences without their padding, a final norm
    yield "encoder_nested", Fn(lambda s, x, pad: s.e(x, src_key_padding_mask=pad),
                               e=perturbed_norms(nn.TransformerEncoder(encoder_layer(), 2, norm=nn.LayerNorm(8)))), \
        [(3, 5, 8), PADDING]
    yield "nested_relu", NestedRelu(), [(3, 5, 8), PADDING]
    yield "nested_round_trip", NestedRoundTrip(), [(3, 5, 8), PADDING]
    yield "nested_padded_longer", NestedRoundTrip(longer=True), [(3, 5, 8), PADDING]
    # the unfused path with a key padding mask (odd number of heads): the mask made a float mask
    # (zeros_like, masked_fill_) and added to the scores by baddbmm
    yield "mha_unfused_padding", Fn(lambda s, x, pad: s.m(x, x, x, key_padding_mask=pad),
                                    m=nn.MultiheadAttention(9, 3, batch_first=True)), [(3, 5, 9), PADDING]
    yield "baddbmm", Fn(lambda s, a, b, c: torch.baddbmm(c, a, b, beta=0.5, alpha=2.0)), [(2, 3, 4), (2, 4, 5), (3, 5)]


if __name__ == "__main__":
    save_all(models())
