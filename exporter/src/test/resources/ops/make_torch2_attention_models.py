#!/usr/bin/python3
"""Models of Torch2AttentionNumericTest: torch 2's aten::scaled_dot_product_attention, which torch 2
traces for nn.MultiheadAttention with gradients on and need_weights=False (hence in
nn.TransformerEncoderLayer) and for code calling F.scaled_dot_product_attention.

torch 1.13 has no scaled_dot_product_attention and this machine no torch 2, so the archives are
made in two steps, neither of which computes an expected value (the tests take those from libtorch
2.x through DJL):
1. this script traces each model with torch 1.13, a call of its private
   torch._C._nn._scaled_dot_product_attention standing where torch 2 calls
   torch.scaled_dot_product_attention; it rewrites that call in the archive's code into torch 2's
   call (arguments as the model's TORCH2_CALLS entry says) and drops that file's debug info, which
   no longer matches it; the edited archives go to exporter/target/torch2-edits/;
2. Torch2SampleWriter loads each edited archive with DJL's libtorch 2.x, which compiles its code,
   and saves it again: a torch 2 archive, code and debug info written by libtorch 2.x.

Run with Debian's torch 1.13, from the repository root:
  /usr/bin/python3 exporter/src/test/resources/ops/make_torch2_attention_models.py
  mvn -B -q -o -pl exporter -am test-compile
  mvn -B -q -o -pl exporter dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=/tmp/cp.txt
  java -Dai.djl.offline=true -cp exporter/target/test-classes:$(cat /tmp/cp.txt) \\
    org.torch2nnef.torchscript.samples.Torch2SampleWriter --to exporter/src/test/resources/ops \\
    exporter/target/torch2-edits <the names this script prints>
"""
import json
import os
import re
import zipfile

import torch
import torch.nn as nn
import torch.nn.functional as F

from family_models import OUT, _input
from make_op_models import Fn

EDITS = os.path.join(OUT, "..", "..", "..", "..", "target", "torch2-edits")
STAND_IN = re.compile(r"^(\s*)(\w+), \w+ = torch\._scaled_dot_product_attention\((.*)\)$", re.M)


def stand_in(q, k, v, mask=None, is_causal=False):
    """torch 1.13's private attention, returning the output only; rewritten into torch 2's call."""
    return torch._C._nn._scaled_dot_product_attention(q, k, v, mask, 0.0, False, is_causal)[0]


class Torch2MultiheadAttention(nn.Module):
    """nn.MultiheadAttention (sequence first, self-attention, need_weights=False) as torch 2's
    F.multi_head_attention_forward computes it: one input projection cut into q, k, v, heads split
    to [N, H, L, d], scaled_dot_product_attention, heads merged, output projection."""

    def __init__(self, embed=8, heads=2):
        super().__init__()
        self.heads = heads
        self.inner = nn.MultiheadAttention(embed, heads)

    def forward(self, x):
        m = self.inner
        tgt_len, bsz, embed = x.shape
        head_dim = embed // self.heads
        q, k, v = (t.contiguous().view(tgt_len, bsz * self.heads, head_dim).transpose(0, 1)
                   .view(bsz, self.heads, tgt_len, head_dim)
                   for t in F.linear(x, m.in_proj_weight, m.in_proj_bias).chunk(3, dim=-1))
        attn = stand_in(q, k, v)
        attn = attn.permute(2, 0, 1, 3).contiguous().view(bsz * tgt_len, embed)
        return F.linear(attn, m.out_proj.weight, m.out_proj.bias).view(tgt_len, bsz, embed)


def models():
    """(name, model, inputs, torch 2 call: positional arguments kept from the stand-in's, keywords added)."""
    # a bool mask [L, S] kept where true: row l keeps its first S - min(l, S - 1) keys
    yield "sdpa_bool_mask", Fn(lambda s, q, k, v, pad: stand_in(q, k, v, pad.logical_not())), \
        [(2, 2, 5, 4), (2, 2, 5, 4), (2, 2, 5, 3), ("padding", (5, 5))], ""
    yield "sdpa_causal_scale", Fn(lambda s, q, k, v: stand_in(q, k, v, is_causal=True)), \
        [(2, 2, 5, 4), (2, 2, 5, 4), (2, 2, 5, 4)], "scale=0.3"
    # rank 3, target and source lengths apart, a float mask [B, 1, S] added to the scores
    yield "sdpa_float_mask", Fn(lambda s, q, k, v, pad: stand_in(q, k, v, (pad.float() * -2.5).unsqueeze(1))), \
        [(3, 4, 6), (3, 5, 6), (3, 5, 2), ("padding", (3, 5))], ""
    yield "mha_torch2_unfused", Torch2MultiheadAttention(), [(5, 2, 8)], ""


def torch2_call(match, keywords):
    """torch 2's scaled_dot_product_attention(query, key, value, attn_mask, dropout_p, is_causal, *, scale)
    from torch 1.13's _scaled_dot_product_attention(query, key, value, attn_mask, dropout_p,
    need_attn_weights, is_causal), whose printed call leaves out trailing defaults."""
    indent, result, args = match.group(1), match.group(2), [a.strip() for a in match.group(3).split(",")]
    kept = args[:5] + args[6:7]
    return "%s%s = torch.scaled_dot_product_attention(%s)" % (indent, result, ", ".join(kept + ([keywords] if keywords else [])))


def edit(archive, target, keywords):
    """Copies the archive, rewriting the stand-in's call and dropping the edited file's debug info."""
    with zipfile.ZipFile(archive) as src:
        rewritten = {}
        for name in src.namelist():
            if "/code/" in name and name.endswith(".py"):
                text, count = STAND_IN.subn(lambda m: torch2_call(m, keywords), src.read(name).decode("utf-8"))
                if count:
                    rewritten[name] = (text, count)
        calls = sum(count for _, count in rewritten.values())
        if calls != 1:
            raise SystemExit("%s: expected one stand-in call, found %d" % (archive, calls))
        with zipfile.ZipFile(target, "w", zipfile.ZIP_STORED) as out:
            for info in src.infolist():
                if info.filename.endswith(".debug_pkl") and info.filename[:-len(".debug_pkl")] in rewritten:
                    continue
                edited = rewritten.get(info.filename)
                out.writestr(info, edited[0].encode("utf-8") if edited else src.read(info.filename))


def main():
    torch.manual_seed(0)
    names = []
    for name, model, specs, keywords in models():
        model.eval()
        made = [_input(s) for s in specs]
        with torch.no_grad():
            traced = torch.jit.trace(model, tuple(m[0] for m in made), check_trace=False)
        os.makedirs(os.path.join(EDITS, "torch1"), exist_ok=True)
        traced_path = os.path.join(EDITS, "torch1", name + ".pt")  # the archive's folder is named after its file
        traced.save(traced_path)
        edit(traced_path, os.path.join(EDITS, name + ".pt"), keywords)
        os.remove(traced_path)
        with open(os.path.join(OUT, name + ".json"), "w") as f:
            json.dump({"inputs": [m[1] for m in made], "written_by": "libtorch 2.x (Torch2SampleWriter)"}, f, indent=1)
            f.write("\n")
        names.append(name)
    print(" ".join(names))


if __name__ == "__main__":
    main()
