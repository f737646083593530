#!/usr/bin/python3
"""Models of the QuantizedOps tests: eager-mode static quantization (torch.ao.quantization) under the
qnnpack engine, calibrated on seeded random batches (Debian's torch 1.13 has no fbgemm).

Run with Debian's torch 1.13:  /usr/bin/python3 exporter/src/test/resources/ops/make_quantized_models.py
"""
import torch
import torch.ao.quantization as tq
import torch.nn as nn

from family_models import save_all


class PerTensor(nn.Module):
    """quantize_per_tensor, conv2d, conv2d_relu, conv1d, conv1d_relu, linear, linear_relu, dequantize."""

    def __init__(self):
        super().__init__()
        self.quant = tq.QuantStub()
        self.conv = nn.Conv2d(3, 6, 3, padding=1)
        self.conv_relu = nn.Sequential(nn.Conv2d(6, 4, 3, stride=2), nn.ReLU())
        self.conv1d = nn.Conv1d(4, 5, 2)
        self.conv1d_relu = nn.Sequential(nn.Conv1d(5, 4, 2, dilation=2), nn.ReLU())
        self.fc_relu = nn.Sequential(nn.Linear(6, 6), nn.ReLU())
        self.fc = nn.Linear(6, 3)
        self.dequant = tq.DeQuantStub()

    def forward(self, x):
        y = self.conv_relu(self.conv(self.quant(x)))  # (N, 4, 3, 3)
        y = self.conv1d_relu(self.conv1d(torch.flatten(y, 2)))  # (N, 4, 6)
        return self.dequant(self.fc(self.fc_relu(y)))

    def fuse(self):
        tq.fuse_modules(self, [["conv_relu.0", "conv_relu.1"], ["conv1d_relu.0", "conv1d_relu.1"],
                               ["fc_relu.0", "fc_relu.1"]], inplace=True)


class Arithmetic(nn.Module):
    """FloatFunctional add, add_relu, mul and cat on per-channel quantized convolutions."""

    def __init__(self):
        super().__init__()
        self.quant = tq.QuantStub()
        self.a = nn.Conv2d(2, 4, 1)
        self.b = nn.Conv2d(2, 4, 1)
        self.add = nn.quantized.FloatFunctional()
        self.add_relu = nn.quantized.FloatFunctional()
        self.mul = nn.quantized.FloatFunctional()
        self.cat = nn.quantized.FloatFunctional()
        self.dequant = tq.DeQuantStub()

    def forward(self, x):
        x = self.quant(x)
        a, b = self.a(x), self.b(x)
        s = self.add.add(a, b)
        r = self.add_relu.add_relu(a, b)
        m = self.mul.mul(a, b)
        return self.dequant(self.cat.cat([s, r, m], 1))


class Pooling(nn.Module):
    """Average pooling of quantized tensors with windows of 4 items, where half of the sums that are
    even fall on a tie: adaptive_avg_pool2d to a divisible size (avg_pool), then to 1 (mean)."""

    def __init__(self):
        super().__init__()
        self.quant = tq.QuantStub()
        self.conv = nn.Sequential(nn.Conv2d(3, 64, 3, stride=2, padding=1), nn.ReLU())
        self.dequant = tq.DeQuantStub()

    def forward(self, x):
        y = nn.functional.adaptive_avg_pool2d(self.conv(self.quant(x)), (2, 2))  # (N, 64, 2, 2)
        z = nn.functional.adaptive_avg_pool2d(y, 1)
        return self.dequant(y), self.dequant(z)

    def fuse(self):
        tq.fuse_modules(self, [["conv.0", "conv.1"]], inplace=True)


class Ties(nn.Module):
    """FloatFunctional add, add_relu and mul whose output step is twice the exact result's step
    (scales set by hand), so that half of the results fall on a tie, which only torch's own
    arithmetic (fma dequantization in add, the codes' product in mul) breaks as torch does."""

    def __init__(self):
        super().__init__()
        self.qa = tq.QuantStub()
        self.qb = tq.QuantStub()
        self.add = nn.quantized.FloatFunctional()
        self.add_relu = nn.quantized.FloatFunctional()
        self.mul = nn.quantized.FloatFunctional()
        self.dequant = tq.DeQuantStub()

    def forward(self, a, b):
        a, b = self.qa(a), self.qb(b)
        return (self.dequant(self.add.add(a, b)), self.dequant(self.add_relu.add_relu(a, b)),
                self.dequant(self.mul.mul(a, b)))


def linear_wide():
    """A linear layer of 512 terms per output, accumulated and requantized (times 1 / scale, then
    rounded) as torch's kernels do (x86, fbgemm and onednn alike for linear)."""
    model = nn.Sequential(tq.QuantStub(), nn.Linear(512, 256), tq.DeQuantStub()).eval()
    model.qconfig = tq.get_default_qconfig("qnnpack")
    tq.prepare(model, inplace=True)
    g = torch.Generator().manual_seed(5)
    with torch.no_grad():
        for _ in range(4):
            model(torch.randn(32, 512, generator=g))
    return tq.convert(model, inplace=True)


def ties():
    model = quantized(Ties(), None, False, 4, calibrate=False)
    step = float(torch.tensor(0.0123456789, dtype=torch.float32))  # a full f32 mantissa
    for stub, zero_point in ((model.qa, 131), (model.qb, 120)):
        stub.scale, stub.zero_point = torch.tensor([step]), torch.tensor([zero_point])
    model.add.scale = model.add_relu.scale = 2 * step
    model.add.zero_point = model.add_relu.zero_point = 125
    model.mul.scale, model.mul.zero_point = 2 * step * step, 128
    return model


class Aliased(nn.Module):
    """A quantized add returned twice, the second through an eval dropout that tract removes while
    loading: tract holds both outputs as one tensor (its --save-outputs-npz refuses the name)."""

    def __init__(self):
        super().__init__()
        self.qa = tq.QuantStub()
        self.qb = tq.QuantStub()
        self.add = nn.quantized.FloatFunctional()
        self.dequant = tq.DeQuantStub()

    def forward(self, a, b):
        y = self.dequant(self.add.add(self.qa(a), self.qb(b)))
        return y, nn.functional.dropout(y, 0.5, False)


def aliased():
    """Aliased with the ties' quantization: qnnpack's fixed-point add is one step off on about a
    fifth of the elements, which a float tolerance fails and a step tolerance can allow."""
    model = quantized(Aliased(), None, False, 4, calibrate=False)
    step = float(torch.tensor(0.0123456789, dtype=torch.float32))
    for stub, zero_point in ((model.qa, 131), (model.qb, 120)):
        stub.scale, stub.zero_point = torch.tensor([step]), torch.tensor([zero_point])
    model.add.scale, model.add.zero_point = 2 * step, 125
    return model


class AvgPooling(nn.Module):
    """Non-adaptive average pooling of quantized tensors (nn.AvgPool2d, avg_pool2d, avg_pool1d) on both
    of torch's kernels: the QuantStub's NCHW output goes to avg_pool2d_out_frame (zero point added
    before rounding), the convolution's channels-last one to qavg_pool2d_nhwc (after). Odd zero points
    (avg_pooling()) make the two break ties differently; even windows put many sums on a tie;
    count_include_pad=False and ceil_mode divide border windows by their own sizes."""

    def __init__(self):
        super().__init__()
        self.quant = tq.QuantStub()
        self.conv = nn.Conv2d(3, 19, 3, padding=1)  # 19 channels: torch's vector and scalar loops
        self.conv1d = nn.Conv1d(3, 5, 3)  # a channels-last (N, C, L) too
        self.pool = nn.AvgPool2d(2)
        self.dequant = tq.DeQuantStub()

    def forward(self, x):
        f = nn.functional
        q = self.quant(x)  # (N, 3, 9, 10)
        y = self.conv(q)  # (N, 19, 9, 10)
        outs = []
        for t in (q, y):
            outs += [self.pool(t),
                     f.avg_pool2d(t, 3, 2, 1, count_include_pad=False),
                     f.avg_pool2d(t, (2, 3), (2, 1), (1, 0), ceil_mode=True),
                     f.avg_pool2d(t, 3, 2, 1, ceil_mode=True, count_include_pad=False),
                     f.avg_pool2d(t, 2, 1, 1, divisor_override=6)]
        outs.append(f.avg_pool1d(torch.flatten(q, 2), 4, 3, 2, ceil_mode=True, count_include_pad=False))
        c = self.conv1d(torch.flatten(q, 2))
        outs += [f.avg_pool1d(c, 2), f.avg_pool1d(f.relu(c), 2)]  # relu makes an (N, C, L) contiguous
        # unbatched (ceil_mode changes no size here: it keeps qnnpack, which needs 4-d, off it)
        outs.append(f.avg_pool2d(q[0], 2, 2, 1, ceil_mode=True))
        return tuple(self.dequant(o) for o in outs)


class AdaptivePooling(nn.Module):
    """Adaptive average pooling of quantized tensors to sizes that divide the input, on both of torch's
    kernels: the QuantStub's NCHW output (zero point added before rounding) and the convolution's
    channels-last one (after); 2x2 windows put a quarter of the sums on a tie."""

    def __init__(self):
        super().__init__()
        self.quant = tq.QuantStub()
        self.conv = nn.Conv2d(3, 5, 3, padding=1)
        self.dequant = tq.DeQuantStub()

    def forward(self, x):
        f = nn.functional
        q = self.quant(x)  # (N, 3, 8, 12)
        y = self.conv(q)  # (N, 5, 8, 12)
        outs = []
        for t in (q, y):
            outs += [f.adaptive_avg_pool2d(t, (4, 6)), f.adaptive_avg_pool2d(t, (2, 3)),
                     f.adaptive_avg_pool2d(t, 1)]
        return tuple(self.dequant(o) for o in outs)


def adaptive_pooling():
    model = quantized(AdaptivePooling(), (4, 3, 8, 12), False, 7)
    model.quant.scale, model.quant.zero_point = torch.tensor([0.0371234567]), torch.tensor([67])
    model.conv.scale, model.conv.zero_point = float(torch.tensor(0.0789012345)), 61
    return model


def avg_pooling():
    model = quantized(AvgPooling(), (4, 3, 9, 10), False, 6)
    # odd zero points; full f32 mantissas and a small zero point: a mean of dequantized floats is
    # then a few ulps off the exact average, which adding zero point 127 in f32 would hide
    model.quant.scale, model.quant.zero_point = torch.tensor([0.0371234567]), torch.tensor([5])
    model.conv.scale, model.conv.zero_point = float(torch.tensor(0.0789012345)), 61
    model.conv1d.scale, model.conv1d.zero_point = float(torch.tensor(0.0456789012)), 67
    return model


def quantized(model, shape, per_channel, seed, calibrate=True):
    torch.backends.quantized.engine = "qnnpack"
    model.eval()
    if hasattr(model, "fuse"):
        model.fuse()
    qconfig = tq.get_default_qconfig("qnnpack")
    if per_channel:
        qconfig = tq.QConfig(activation=qconfig.activation, weight=tq.default_per_channel_weight_observer)
    model.qconfig = qconfig
    tq.prepare(model, inplace=True)
    g = torch.Generator().manual_seed(seed)
    with torch.no_grad():
        for _ in range(8 if calibrate else 0):
            model(torch.randn(*shape, generator=g))
    if not calibrate:  # observers need one pass; the caller sets the quantization by hand
        model(*(torch.randn(2, 4) for _ in range(2)))
    return tq.convert(model, inplace=True)


def dynamic():
    """quantized::linear_dynamic on a rank-3 input: per-tensor int8 weights, then per-channel."""
    model = nn.Sequential(nn.Linear(12, 16), nn.ReLU(), nn.Linear(16, 6)).eval()
    return tq.quantize_dynamic(model, {"0": tq.default_dynamic_qconfig,
                                       "2": tq.per_channel_dynamic_qconfig}, dtype=torch.qint8)


def models():
    torch.manual_seed(1)
    yield "quantized_per_tensor", quantized(PerTensor(), (4, 3, 8, 8), False, 1), [(2, 3, 8, 8)]
    yield "quantized_arithmetic", quantized(Arithmetic(), (4, 2, 5, 5), True, 2), [(2, 2, 5, 5)]
    yield "quantized_linear_dynamic", dynamic(), [(2, 7, 12)]
    yield "quantized_pooling", quantized(Pooling(), (4, 3, 8, 8), False, 3), [(2, 3, 8, 8)]
    yield "quantized_ties", ties(), [(2, 32, 64), (2, 32, 64)]
    yield "quantized_linear_wide", linear_wide(), [(256, 512)]
    yield "quantized_aliased", aliased(), [(2, 16, 16), (2, 16, 16)]
    yield "quantized_avg_pool", avg_pooling(), [(2, 3, 9, 10)]
    yield "quantized_adaptive_pool", adaptive_pooling(), [(2, 3, 8, 12)]


if __name__ == "__main__":
    save_all(models())
