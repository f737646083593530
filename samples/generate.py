#!/usr/bin/python3
"""Regenerates the traced sample models in samples/models/.

Run with Debian's torch 1.13:  /usr/bin/python3 samples/generate.py

Every model is traced with fixed seeds, saved as <name>.pt, and described by <name>.json
(inputs, torch version, and every parameter and buffer with dtype/shape/stride/offset as torch
sees it). Models with buffers also get a traced method `dump_state()` that returns every buffer
(quantized ones as torch.int_repr) in the order listed under "state_probe": libtorch (DJL) offers
named parameters but no named buffers, so tests call this method to read buffers independently
of our own reader.
"""
import json
import os
import sys
from typing import Dict, List

import torch
import torch.nn as nn

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "models")


class StateProbe:
    """Mixin: a traced method returning all buffers, so libtorch users can read them by position."""

    def dump_state(self):
        return tuple(torch.int_repr(b) if b.is_quantized else b for _, b in self.named_buffers())


class ConvReluLinear(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv = nn.Conv1d(3, 4, kernel_size=3)
        self.relu = nn.ReLU()
        self.fc = nn.Linear(4 * 14, 5)

    def forward(self, x):
        return self.fc(torch.flatten(self.relu(self.conv(x)), 1))


class MlpBatchNorm(StateProbe, nn.Module):
    def __init__(self):
        super().__init__()
        self.fc1 = nn.Linear(8, 16)
        self.bn = nn.BatchNorm1d(16)
        self.fc2 = nn.Linear(16, 4)

    def forward(self, x):
        return self.fc2(torch.relu(self.bn(self.fc1(x))))


class StridedViews(StateProbe, nn.Module):
    """Parameters and a buffer that are non-contiguous views or share one storage at offsets."""

    def __init__(self):
        super().__init__()
        base = torch.randn(6, 4)
        self.weight_t = nn.Parameter(base.t())  # shape (4, 6), strides (1, 4)
        shared = torch.randn(30)
        self.a = nn.Parameter(shared[2:14].view(3, 4))  # offset 2 into `shared`
        self.b = nn.Parameter(shared[14:30:2])  # offset 14, stride 2
        self.register_buffer("every_other", shared.view(5, 6)[:, ::2])  # strides (6, 2)

    def forward(self, x):
        y = x @ self.weight_t
        return y.sum(1, keepdim=True) * self.a.sum() + self.b.sum() + self.every_other.sum()


class Dtypes(StateProbe, nn.Module):
    """One buffer per dtype, plus half and double parameters."""

    def __init__(self):
        super().__init__()
        self.weight = nn.Parameter(torch.randn(4))
        self.half_weight = nn.Parameter(torch.randn(4).half())
        self.double_weight = nn.Parameter(torch.randn(4).double())
        self.register_buffer("i8", torch.tensor([-128, -1, 0, 127], dtype=torch.int8))
        self.register_buffer("i16", torch.tensor([-32768, -2, 3, 32767], dtype=torch.int16))
        self.register_buffer("i32", torch.tensor([-(2 ** 31), -5, 7, 2 ** 31 - 1], dtype=torch.int32))
        self.register_buffer("i64", torch.tensor([-(2 ** 63), -9, 11, 2 ** 63 - 1], dtype=torch.int64))
        self.register_buffer("u8", torch.tensor([0, 1, 128, 255], dtype=torch.uint8))
        self.register_buffer("flags", torch.tensor([True, False, False, True]))
        self.register_buffer("f16", torch.tensor([0.5, -65504.0, 1e-4, float("inf")], dtype=torch.float16))
        self.register_buffer("bf16", torch.tensor([1.5, -3.0e38, 1e-3, float("nan")], dtype=torch.bfloat16))
        self.register_buffer("f64", torch.tensor([1e-300, -2.5, 3.141592653589793, 1e300], dtype=torch.float64))
        self.register_buffer("scalar", torch.tensor(0.25))

    def forward(self, x):
        y = x * self.weight + self.half_weight.float() + self.double_weight.float()
        y = y + self.i8.float() + self.i16.float() + self.i32.float() + self.u8.float()
        y = y + self.i64.float() + self.flags.float() + self.f16.float() + self.bf16.float()
        return y + self.f64.float() + self.scalar


class TracedConstants(nn.Module):
    """Tensors created inside forward become traced constants (constants.pkl, CONSTANTS.cN)."""

    def __init__(self):
        super().__init__()
        self.fc = nn.Linear(4, 4)

    def forward(self, x):
        scale = torch.tensor([1.5, -2.0, 3.0, 0.5])
        offsets = torch.tensor([1, 2, 3, 4])
        return self.fc(x) * scale + offsets


class ScriptedAttributes(nn.Module):
    """A scripted submodule keeps typed non-tensor attributes (list, dict, str, float, device)."""

    class Inner(nn.Module):
        def __init__(self):
            super().__init__()
            self.sizes: List[int] = [3, -1, 2]
            self.weights: Dict[str, float] = {"a": 1.5, "b": -0.25}
            self.label: str = "inner"
            self.factor: float = 0.5
            self.count: int = 7
            self.place = torch.device("cpu")
            self.scale = nn.Parameter(torch.tensor([2.0, 3.0]))

        def forward(self, x):
            return x * self.scale * self.factor + self.sizes[0] + self.weights["a"] + self.count

    def __init__(self):
        super().__init__()
        self.inner = torch.jit.script(ScriptedAttributes.Inner())

    def forward(self, x):
        return self.inner(x)

    def expected_attributes(self):
        i = self.inner
        return {"inner.sizes": list(i.sizes), "inner.weights": dict(i.weights), "inner.label": i.label,
                "inner.factor": i.factor, "inner.count": i.count, "inner.place": str(i.place)}


class LstmHead(nn.Module):
    def __init__(self):
        super().__init__()
        self.lstm = nn.LSTM(4, 8, num_layers=1, batch_first=True)
        self.head = nn.Linear(8, 3)

    def forward(self, x):
        out, _ = self.lstm(x)
        return self.head(out[:, -1])


class QuantizedBuffers(StateProbe, nn.Module):
    """Quantized tensors (per-tensor qint8/quint8/qint32, per-channel qint8) stored as buffers."""

    def __init__(self):
        super().__init__()
        w = torch.randn(3, 4)
        self.register_buffer("q_i8", torch.quantize_per_tensor(w, 0.05, 3, torch.qint8))
        self.register_buffer("q_u8", torch.quantize_per_tensor(w, 0.02, 128, torch.quint8))
        self.register_buffer("q_i32", torch.quantize_per_tensor(w, 0.001, -7, torch.qint32))
        self.register_buffer(
            "q_channel",
            torch.quantize_per_channel(
                w, torch.tensor([0.1, 0.05, 0.02], dtype=torch.double), torch.tensor([0, 1, -2]), 0, torch.qint8
            ),
        )

    def forward(self, x):
        return x @ (self.q_i8.dequantize() + self.q_u8.dequantize() + self.q_i32.dequantize()
                    + self.q_channel.dequantize()).t()


class Nested(StateProbe, nn.Module):
    """Sequential in Sequential: module paths like encoder.layers.0 and mangled class names."""

    class Encoder(nn.Module):
        def __init__(self):
            super().__init__()
            self.layers = nn.Sequential(
                nn.Sequential(nn.Linear(6, 8), nn.ReLU()),
                nn.Sequential(nn.Linear(8, 8), nn.BatchNorm1d(8), nn.Tanh()),
            )

        def forward(self, x):
            return self.layers(x)

    def __init__(self):
        super().__init__()
        self.encoder = Nested.Encoder()
        self.decoder = nn.Sequential(nn.Linear(8, 4), nn.Sigmoid())

    def forward(self, x):
        return self.decoder(self.encoder(x))


def dynamic_quant_linear():
    """torch.ao dynamic quantization: Linear weights live in a packed-params custom class object."""
    model = nn.Sequential(nn.Linear(4, 3), nn.ReLU())
    return torch.ao.quantization.quantize_dynamic(model, {nn.Linear}, dtype=torch.qint8)


def values(t):
    """Element values in C order; quantized tensors as their stored integers."""
    if t.is_quantized:
        t = torch.int_repr(t)
    return [float(v) if t.is_floating_point() else int(v) for v in t.flatten().tolist()]


def packed_params(model):
    """For each dynamically quantized Linear: its module path and unpacked weight/bias."""
    out = []
    for path, module in model.named_modules():
        if isinstance(module, torch.ao.nn.quantized.dynamic.Linear):
            weight, bias = module._packed_params._weight_bias()
            entry = {"module": path, "weight": describe("weight", weight), "weight_int_repr": values(weight)}
            entry["bias"] = None if bias is None else values(bias)
            out.append(entry)
    return out


def warm_up_batchnorm(model, shape):
    """A few training steps so running_mean/var and num_batches_tracked are not their defaults."""
    model.train()
    with torch.no_grad():
        for _ in range(3):
            model(torch.randn(*shape) * 2 + 0.5)
    model.eval()


def describe(name, t):
    d = {
        "name": name,
        "dtype": str(t.dtype).replace("torch.", ""),
        "shape": list(t.shape),
        "stride": list(t.stride()),
        "storage_offset": t.storage_offset(),
        "requires_grad": t.requires_grad,
    }
    if t.numel() <= 64:
        d["values"] = values(t)
    if t.is_quantized:
        if t.qscheme() in (torch.per_tensor_affine, torch.per_tensor_symmetric):
            d["q_scale"] = t.q_scale()
            d["q_zero_point"] = t.q_zero_point()
        else:
            d["q_per_channel_scales"] = t.q_per_channel_scales().tolist()
            d["q_per_channel_zero_points"] = t.q_per_channel_zero_points().tolist()
            d["q_per_channel_axis"] = t.q_per_channel_axis()
    return d


# sample names given on the command line: regenerate only those (all when none are given)
ONLY = set(sys.argv[1:])


def save(name, model, inputs, description, extra=None):
    if ONLY and name not in ONLY:
        return
    model.eval()
    methods = {"forward": inputs}
    buffers = list(model.named_buffers())
    if buffers:
        methods["dump_state"] = ()
    traced = torch.jit.trace_module(model, methods)
    path = os.path.join(OUT, name + ".pt")
    traced.save(path)
    info = {
        "name": name,
        "description": description,
        "torch_version": torch.__version__,
        "inputs": [{"shape": list(i.shape), "dtype": str(i.dtype).replace("torch.", "")} for i in inputs],
        "parameters": [describe(n, p) for n, p in model.named_parameters()],
        "buffers": [describe(n, b) for n, b in buffers],
    }
    # as saved: tracing may hold Python numbers that the archive stores as 0-d tensors
    constants = torch.jit.load(path).code_with_constants[1].const_mapping
    if constants:
        info["constants"] = {k: {"dtype": str(v.dtype).replace("torch.", ""), "shape": list(v.shape),
                                 "values": values(v)} for k, v in constants.items()}
    if hasattr(model, "expected_attributes"):
        info["attributes"] = model.expected_attributes()
    if packed_params(model):
        info["packed_params"] = packed_params(model)
    if extra:
        info.update(extra)
    if buffers:
        info["state_probe"] = {"method": "dump_state", "buffers": [n for n, _ in buffers]}
    with open(os.path.join(OUT, name + ".json"), "w") as f:
        json.dump(info, f, indent=2)
        f.write("\n")
    print(f"{name}.pt: {os.path.getsize(path)} bytes", file=sys.stderr)


def main():
    os.makedirs(OUT, exist_ok=True)
    torch.manual_seed(20261122)

    save("conv_relu_linear", ConvReluLinear(), (torch.randn(2, 3, 16),), "Conv1d + ReLU + flatten + Linear")

    mlp = MlpBatchNorm()
    warm_up_batchnorm(mlp, (16, 8))
    save("mlp_batchnorm", mlp, (torch.randn(4, 8),), "Linear + BatchNorm1d (warmed-up running stats) + ReLU + Linear")

    save("strided_views", StridedViews(), (torch.randn(2, 4),),
         "parameters/buffer that are transposed, strided and offset views sharing storages")

    save("dtypes", Dtypes(), (torch.randn(4),), "buffers of int8/16/32/64, uint8, bool, float16, bfloat16, float64")

    save("traced_constants", TracedConstants(), (torch.randn(2, 4),), "tensors built in forward become CONSTANTS.c0/c1")

    save("scripted_attributes", ScriptedAttributes(), (torch.randn(2),),
         "scripted submodule with List[int], Dict[str, float], str, float, int and device attributes")

    save("lstm", LstmHead(), (torch.randn(1, 5, 4),), "single-layer batch-first LSTM + Linear on the last step")

    save("quantized_buffers", QuantizedBuffers(), (torch.randn(2, 4),),
         "per-tensor qint8/quint8/qint32 and per-channel qint8 buffers")

    save("dynamic_quant_linear", dynamic_quant_linear(), (torch.randn(2, 4),),
         "quantize_dynamic(Linear): qint8 weight inside a LinearPackedParamsBase custom class object")

    nested = Nested()
    warm_up_batchnorm(nested, (16, 6))
    save("nested", nested, (torch.randn(3, 6),), "Sequential in Sequential: encoder.layers.1.1 and mangled classes")

    import graph_models  # imported here so that adding it left the line numbers above unchanged

    for name, make_model, make_inputs, description, extra in graph_models.SAMPLES:
        save(name, make_model(), make_inputs(), description, extra)


if __name__ == "__main__":
    main()
