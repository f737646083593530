#!/usr/bin/python3
"""Writes the expected values of the reference-interpreter tests, computed by torch.

Run with Debian's torch: `/usr/bin/python3 make_fixtures.py` from this directory. Each case
writes <case>.npz holding `in_<name>` (graph inputs), `var_<label>` (variables, written to .dat
by the test) and `out_<name>` (what torch computes for the same NNEF graph, which lives in
ReferenceOpsTest.java). Inputs are seeded, so the files are reproducible.
"""
import numpy as np
import torch
import torch.nn.functional as F

torch.manual_seed(0)
CASES = {}


def case(fn):
    CASES[fn.__name__] = fn
    return fn


def rnd(*shape):
    return torch.randn(*shape, dtype=torch.float32)


def nnef_round(x):
    # NNEF/tract round: half away from zero
    return torch.sign(x) * torch.floor(torch.abs(x) + 0.5)


@case
def elementwise():
    x = rnd(2, 3, 4)
    y = rnd(2, 3, 4)
    b = rnd(1, 3)
    h = torch.round(rnd(2, 3, 4) * 4) / 2  # many exact halves
    return dict(in_x=x, in_y=y, in_h=h, var_b=b), dict(
        add=x + y, sub=x - y, mul=x * y, div=x / (y.abs() + 1),
        pow=(x.abs() + 0.5) ** y, exp=torch.exp(x), log=torch.log(x.abs() + 1),
        sin=torch.sin(x), cos=torch.cos(x), abs=x.abs(), neg=-x, sign=torch.sign(h),
        floor=torch.floor(h), ceil=torch.ceil(h), round=nnef_round(h),
        sqrt=torch.sqrt(x.abs()), rsqrt=torch.rsqrt(x.abs() + 1), rcp=1 / (x.abs() + 1),
        sqr=x * x, relu=torch.relu(x), sigmoid=torch.sigmoid(x), tanh=torch.tanh(x),
        elu=F.elu(x), leaky=F.leaky_relu(x, 0.1), softplus=F.softplus(x),
        mn=torch.minimum(x, y), mx=torch.maximum(x, y), clamp=torch.clamp(x, -0.5, 0.5),
        sel=torch.where(x > y, x, y), lt=x < y, eqz=h == 0.5,
        andor=torch.logical_or(torch.logical_and(x > 0, y > 0), x < -1),
        bias=x + b.reshape(1, 3, 1), expr=2.0 * x - y / 4.0,
        erf=torch.erf(x), gelu=0.5 * x * (1 + torch.erf(x / np.sqrt(2.0))))


@case
def matmul():
    a = rnd(2, 3, 4)
    b = rnd(2, 5, 4)
    c = rnd(2, 4, 5)
    x = rnd(3, 4)
    w = rnd(5, 4)
    bias = rnd(1, 5)
    return dict(in_a=a, in_b=b, in_c=c, in_x=x, var_w=w, var_bias=bias), dict(
        ab=a @ b.transpose(1, 2), ac=a @ c, ta=a.transpose(1, 2) @ a,
        lin=F.linear(x, w, bias.reshape(5)))


@case
def conv():
    x = rnd(1, 2, 7, 7)
    w = rnd(4, 2, 3, 3)
    b = rnd(1, 4)
    dw = rnd(2, 1, 3, 3)
    x1 = rnd(1, 3, 10)
    w1 = rnd(6, 1, 3)  # groups = 3
    # auto ("same") padding for stride 2 over 7 items with a 3 kernel: total 2 -> (1, 1);
    # over 8 items: total 1 -> (0, 1), the extra item after
    x8 = rnd(1, 2, 8, 8)
    return dict(in_x=x, in_x1=x1, in_x8=x8, var_w=w, var_b=b, var_dw=dw, var_w1=w1), dict(
        explicit=F.conv2d(x, w, b.reshape(4), stride=1, padding=1),
        strided=F.conv2d(x, w, b.reshape(4), stride=2, padding=0, dilation=1),
        dilated=F.conv2d(x, w, None, padding=2, dilation=2),
        asym=F.conv2d(F.pad(x, (0, 2, 1, 0)), w, b.reshape(4)),
        same=F.conv2d(F.pad(x8, (0, 1, 0, 1)), w, b.reshape(4), stride=2),
        depthwise=F.conv2d(x, dw, None, padding=1, groups=2),
        grouped1d=F.conv1d(x1, w1, None, stride=1, padding=1, groups=3))


@case
def deconv():
    x = rnd(1, 4, 5, 5)
    # NNEF deconv filter [O, C/groups, kh, kw]; torch conv_transpose weight [C, O/groups, kh, kw]
    w = rnd(3, 4, 3, 3)
    b = rnd(1, 3)
    wg = rnd(4, 2, 3, 3)  # groups 2: O = 4, C/groups = 2
    torch_w = w.transpose(0, 1)
    torch_wg = wg.reshape(2, 2, 2, 3, 3).transpose(1, 2).reshape(4, 2, 3, 3)
    return dict(in_x=x, var_w=w, var_b=b, var_wg=wg), dict(
        plain=F.conv_transpose2d(x, torch_w, b.reshape(3)),
        strided=F.conv_transpose2d(x, torch_w, b.reshape(3), stride=2, padding=1),
        shaped=F.conv_transpose2d(x, torch_w, None, stride=2, padding=1, output_padding=1),
        grouped=F.conv_transpose2d(x, torch_wg, None, stride=1, padding=1, groups=2))


@case
def layout():
    x = rnd(2, 3, 4)
    y = rnd(2, 3, 4)
    return dict(in_x=x, in_y=y), dict(
        reshaped=x.reshape(2, 12), guessed=x.reshape(6, 4), partial=x.reshape(2, 3, 2, 2),
        transposed=x.permute(2, 0, 1), squeezed=x[:, :1, :].reshape(2, 4), unsqueezed=x.reshape(2, 1, 3, 4, 1),
        concat=torch.cat([x, y], 1), stacked=torch.stack([x, y], 1), unstacked=x[:, 1, :],
        split1=x[:, :, :1], split2=x[:, :, 1:4],
        sliced=x[:, 1:3, 0:4:2], negative=x[:, -2:, :-1], to_end=x[:, 1:, :],
        padded=F.pad(x, (1, 2, 0, 1)), reflected=F.pad(x, (2, 1), mode="reflect"),
        replicated=F.pad(x, (1, 2), mode="replicate"),
        tiled=x.repeat(1, 2, 3))


@case
def reduce():
    x = rnd(2, 3, 4)
    b = rnd(2, 3, 4) > 0
    return dict(in_x=x, in_b=b), dict(
        sum=x.sum((1, 2), keepdim=True), mean=x.mean(1, keepdim=True), mean2=x.mean((0, 2), keepdim=True),
        max=x.amax(2, keepdim=True), min=x.amin((0, 2), keepdim=True),
        prod=x.prod(1, keepdim=True), argmax=x.argmax(1, keepdim=True),
        argmax2=x.reshape(2, 12).argmax(1).reshape(2, 1, 1), argmin=x.argmin(2, keepdim=True),
        any=b.any(2, keepdim=True), all=b.all(1, keepdim=True),
        softmax=torch.softmax(x, 1), softmax2=torch.softmax(x.reshape(2, 12), 1).reshape(2, 3, 4),
        logsoftmax=torch.log_softmax(x, 2),
        moments_mean=x.mean(2, keepdim=True), moments_var=x.var(2, unbiased=False, keepdim=True))


@case
def pool():
    x = rnd(1, 2, 7, 7)
    x8 = rnd(1, 2, 8, 8)
    mean = rnd(1, 2)
    var = rnd(1, 2).abs() + 0.5
    offset = rnd(1, 2)
    scale = rnd(1, 2)
    return dict(in_x=x, in_x8=x8, var_mean=mean, var_var=var, var_offset=offset, var_scale=scale), dict(
        maxpool=F.max_pool2d(x, 3, stride=2, padding=1),
        maxsame=F.max_pool2d(F.pad(x8, (0, 1, 0, 1), value=float("-inf")), 3, stride=2),
        avgign=F.avg_pool2d(x, 3, stride=1, padding=1, count_include_pad=False),
        avgcon=F.avg_pool2d(x, 3, stride=2, padding=1, count_include_pad=True),
        box=F.avg_pool2d(x, 2, stride=2) * 4,
        lrn=F.local_response_norm(x, 3, alpha=0.3, beta=0.75, k=2.0),
        bn=F.batch_norm(x, mean.reshape(2), var.reshape(2), scale.reshape(2), offset.reshape(2), eps=1e-3),
        up=F.interpolate(x, scale_factor=2, mode="nearest"), down=x[:, :, ::2, ::3],
        area=F.avg_pool2d(x8, 2),
        mpv=F.max_pool2d(x, 3, stride=2, padding=1, return_indices=True)[0],
        mpi=F.max_pool2d(x, 3, stride=2, padding=1, return_indices=True)[1],
        ami=F.max_pool2d(x8, 2, return_indices=True)[1])


@case
def tract_core():
    x = rnd(3, 4, 5)
    idx = torch.tensor([[2, 0], [-1, 1]], dtype=torch.int64)
    cls = torch.tensor([0, 2, 1], dtype=torch.int64)
    ties = torch.tensor([[1.0, 3.0, 3.0], [5.0, 2.0, 5.0]])
    return dict(in_x=x, in_idx=idx, in_cls=cls, in_ties=ties), dict(
        gather=torch.index_select(x, 1, torch.tensor([2, 0, 3, 1])).reshape(3, 2, 2, 5),
        cast=x.to(torch.int64), shape=torch.tensor([3, 4, 5], dtype=torch.int64),
        range=torch.arange(1, 10, 3, dtype=torch.int64),
        topv=torch.topk(x, 2, dim=2).values, topi=torch.topk(x, 2, dim=2).indices,
        onehot=F.one_hot(cls, 4).to(torch.float32).t(),
        triu=torch.triu(x, 1), tril=torch.tril(x, 0),
        bcast=x[:1, :, :1].expand(2, 3, 4, 5),
        argmaxlast=(2 - ties.flip(1).argmax(1, keepdim=True)), argmaxfirst=ties.argmax(1, keepdim=True),
        argminlast=(2 - ties.flip(1).argmin(1, keepdim=True)), down=x[:, :, 1::2], dyn=x[:, 1:3],
        frange=torch.arange(0.5, 2.0, 0.25))


@case
def scan():
    # h_t = tanh(x_t W^T + h_{t-1} U^T); "full" = all h_t on axis 0, "last" = h_T; and backwards
    x = rnd(6, 1, 3)
    w = rnd(4, 3)
    u = rnd(4, 4)
    h0 = rnd(1, 4)
    def run(order):
        h = h0
        hs = {}
        for t in order:
            h = torch.tanh(x[t] @ w.t() + h @ u.t())
            hs[t] = h
        return torch.stack([hs[t] for t in range(6)], 0), h
    fwd_full, fwd_last = run(range(6))
    bwd_full, bwd_last = run(reversed(range(6)))
    return dict(in_x=x, in_h0=h0, var_w=w, var_u=u), dict(
        full=fwd_full, last=fwd_last, bfull=bwd_full, blast=bwd_last)


@case
def extra():
    x = rnd(1, 2, 4, 4)
    s = rnd(1, 5, 4)
    v = rnd(3, 4, 5)
    gi = torch.tensor([[[0, 3], [1, 1], [2, 0]]] * 3, dtype=torch.int64)  # [3, 3, 2] into axis 2
    nd = torch.tensor([[0, 1], [2, 3], [1, 0]], dtype=torch.int64)
    a = torch.randint(-20, 20, (2, 3), dtype=torch.int64)
    b = torch.randint(1, 6, (2, 3), dtype=torch.int64) * torch.tensor([1, -1, 1])
    cond = rnd(2, 4) > 0
    ones = torch.ones(1, 1, 3, 3)
    planes = x.reshape(2, 1, 4, 4)
    x5 = rnd(1, 2, 3, 4, 5)
    w5 = rnd(3, 2, 2, 3, 3)
    return dict(in_x=x, in_s=s, in_v=v, in_gi=gi, in_nd=nd, in_a=a, in_b=b, in_cond=cond, in_x5=x5, var_w5=w5), dict(
        deboxup=F.interpolate(x, scale_factor=2, mode="nearest"),
        deboxsum=F.conv_transpose2d(planes, ones, stride=2, padding=1).reshape(1, 2, 7, 7),
        gatherel=torch.gather(v, 2, gi[:, :, :]),
        gathernd=v[nd[:, 0], nd[:, 1]],
        dynslice=s[:, 1:4, :], padval=F.pad(s, (1, 0, 0, 2), value=2.5),
        reflecteven=torch.cat([s[:, :, :2].flip(-1), s, s[:, :, -1:].flip(-1)], -1),
        chanbox=F.pad(s, (0, 0, 1, 1)).unfold(1, 3, 2).sum(-1),
        dilmax=F.max_pool2d(F.pad(x, (2, 2, 2, 2), value=float("-inf")), 3, stride=1, dilation=2),
        l2=s / torch.clamp(s.norm(dim=1, keepdim=True), min=1e-3),
        iadd=a + b, idiv=torch.div(a, b, rounding_mode="trunc"), imul=a * 3,
        tobool=(a != 0), tof16=s.to(torch.float16),
        bsel=torch.where(cond.unsqueeze(-1), v[:2], torch.tensor(0.0)),
        conv3d=F.conv3d(x5, w5, None, padding=(0, 1, 1)))


@case
def quantize():
    x = rnd(4, 5) * 3
    def zero_point(x, zp, scale, bits, signed, symmetric):
        r = 2 ** (bits - 1) - 1 if signed else 2 ** bits - 1
        low = 0 if not signed else (-r if symmetric else -r - 1)
        q = torch.clamp(nnef_round(x / scale) + zp, low, r)
        return (q - zp) * scale
    def min_max(x, lo, hi, bits, signed, symmetric):
        r = 2 ** bits - 1 - int(signed and symmetric)
        z = torch.clamp(x, lo, hi)
        return nnef_round((z - lo) / (hi - lo) * r) / r * (hi - lo) + lo
    m = np.ceil(np.log2(4.0))
    logq = nnef_round(torch.clamp(torch.log2(x.abs()), float(m - 7), float(m)))
    return dict(in_x=x), dict(
        zpu=zero_point(x, 3, 0.1, 8, False, False), zps=zero_point(x, 0, 0.25, 4, True, True),
        zpa=zero_point(x, -1, 0.25, 4, True, False),
        mm=min_max(x, -1.0, 1.0, 3, True, True), lin=min_max(x, -2.0, 2.5, 4, False, False),
        log=torch.sign(x) * 2.0 ** logq)


@case
def activations():
    x = rnd(1, 3, 5, 5)
    alpha = rnd(1, 3).abs()
    return dict(in_x=x, var_alpha=alpha), dict(
        prelu=torch.where(x < 0, x * alpha.reshape(1, 3, 1, 1), x), selu=F.selu(x), silu=F.silu(x),
        gelu=F.gelu(x), tan=torch.tan(x), atan=torch.atan(x), sinh=torch.sinh(x), log2=torch.log2(x.abs() + 1),
        rsqr=1 / (x * x + 1), softabs=torch.sqrt(x * x + 0.5), hswish=F.hardswish(x), rnd_even=torch.round(x * 2),
        rms=torch.sqrt(F.avg_pool2d(x * x, 3, stride=1, padding=1, count_include_pad=True)),
        l1=x / torch.clamp(x.abs().sum(1, keepdim=True) + 0.5, min=1e-3),
        lmean=x - chan_mean(x), lcontrast=contrast(x),
        csilu=F.silu(x), gapprox=F.gelu(x, approximate="tanh"), cube=x ** 3,
        rmsnorm=x / torch.sqrt((x * x).mean(1, keepdim=True) + 1e-5),
        isinf=torch.isinf(x / (x > 1).to(torch.float32)), isposinf=torch.isposinf(x / (x > 1).to(torch.float32)))


def chan_mean(x):
    # box over 3 channels, zero padding counted (NNEF border 'constant'), normalized
    return F.avg_pool3d(x.unsqueeze(0), (3, 1, 1), stride=1, padding=(1, 0, 0)).squeeze(0)


def contrast(x):
    centered = x - chan_mean(x)
    sigma = torch.sqrt(chan_mean(centered * centered))
    return centered / torch.clamp(sigma + 0.1, min=0.01)


@case
def einsum():
    a = rnd(2, 3, 4)
    w = rnd(5, 4)
    b = rnd(2, 4, 6)
    u = rnd(3)
    v = rnd(4)
    m1 = rnd(2, 3)
    m2 = rnd(3, 4)
    m3 = rnd(4, 5)
    x = rnd(3, 5)
    idx = torch.tensor([[0, 4], [2, 1], [3, 3]], dtype=torch.int64)
    upd = rnd(3, 2)
    return dict(in_a=a, in_w=w, in_b=b, in_u=u, in_v=v, in_m1=m1, in_m2=m2, in_m3=m3, in_x=x, in_idx=idx, in_upd=upd), dict(
        lin=torch.einsum("bmk,nk->bmn", a, w), bmm=torch.einsum("bij,bjk->bik", a, b),
        outer=torch.einsum("i,j->ij", u, v), total=torch.einsum("bij->j", a),
        implicit=torch.einsum("ij,jk", m1, m2), chain=torch.einsum("ab,bc,cd->ad", m1, m2, m3),
        perm=torch.einsum("ijk->kji", a), scatter=torch.scatter(x, 1, idx, upd))


@case
def upsample():
    x = rnd(1, 2, 3, 4)
    s = rnd(1, 2, 5)
    # asymmetric linear along the last axis: position o / 3, clamped to the input
    pos = torch.clamp(torch.arange(15, dtype=torch.float32) / 3, max=4)
    lo = pos.floor().long()
    hi = torch.clamp(lo + 1, max=4)
    w = pos - lo
    asym = s[..., lo] * (1 - w) + s[..., hi] * w
    return dict(in_x=x, in_s=s), dict(
        sym=F.interpolate(x, scale_factor=2, mode="bilinear", align_corners=False),
        aligned=F.interpolate(x, scale_factor=(3, 2), mode="bilinear", align_corners=True),
        asym=asym)


def symbolic(length):
    x = rnd(1, length, 3)
    return dict(in_x=x), dict(y=(x * 2.0).reshape(1, length * 3)[:, : 2 * length - 1],
                              n=torch.tensor([length * 2 - 1], dtype=torch.int64))


CASES["symbolic_4"] = lambda: symbolic(4)
CASES["symbolic_7"] = lambda: symbolic(7)


def main():
    for name, fn in CASES.items():
        ins, outs = fn()
        arrays = {k: np.ascontiguousarray(v.numpy()) for k, v in ins.items()}
        arrays.update({"out_" + k: np.ascontiguousarray(v.numpy()) for k, v in outs.items()})
        np.savez(name + ".npz", **arrays)
        print(name, len(arrays), "arrays")


if __name__ == "__main__":
    main()
