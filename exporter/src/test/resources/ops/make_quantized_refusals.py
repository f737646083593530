#!/usr/bin/python3
"""Models whose quantization schemes the exporter refuses (QuantizedSchemes): each export must fail
at once listing every such op with its scheme, module path and source line.

Run with Debian's torch 1.13:  /usr/bin/python3 exporter/src/test/resources/ops/make_quantized_refusals.py

quantized_schemes holds, in one forward: a float16 dynamic Linear, a 4-bit (quint4x2) EmbeddingBag,
an activation quantized per channel (aten::quantize_per_channel, axis 1) and a quantized
ConvTranspose2d (its weight is per channel along axis 1 when per-channel: the only weights torch
quantizes along another axis than 0, since qnnpack's linear and conv prepacking refuse any other).
Debian's torch 1.13 has no fbgemm and qnnpack cannot pack float16 weights
("quantized::linear_prepack_fp16 is currently not supported by QNNPACK"), so the float16 Linear is
traced as an int8 dynamic Linear and its archive's code then calls quantized::linear_dynamic_fp16,
as torch's own float16 dynamic Linear does (same length, so the debug info's source ranges hold).
quantized_lstm_fp16 is a float16 dynamically quantized nn.LSTM (aten::quantized_lstm with dtype float16),
made the same way: an int8 one whose archive's call passes dtype=5 (torch.float16) for dtype=12.
quantized_fx is FX graph mode (prepare_fx, convert_fx): scale and zero point as tensors, a sigmoid
on a quantized tensor, quantized mul and add of a scalar, a quantized LayerNorm.
"""
import os
import zipfile

import torch
import torch.ao.nn.quantized as nnq
import torch.ao.nn.quantized.dynamic as nnqd
import torch.nn as nn
from torch.ao.quantization import get_default_qconfig_mapping, quantize_fx

from family_models import OUT, save_all

INT8_CALL = b"ops.quantized.linear_dynamic(argument_1, _packed_params0, True)"
FP16_CALL = b"ops.quantized.linear_dynamic_fp16(argument_1, _packed_params0) "
INT8_LSTM = b"dtype=12, use_dynamic=True"
FP16_LSTM = b"dtype=5 , use_dynamic=True"


class Schemes(nn.Module):
    def __init__(self):
        super().__init__()
        self.fp16 = nnqd.Linear(4, 4)  # becomes float16 in the archive, see the module comment
        self.bag4 = nnq.EmbeddingBag(10, 4, dtype=torch.quint4x2, mode="sum", include_last_offset=True)
        self.deconv = nnq.ConvTranspose2d(4, 2, 2)
        self.register_buffer("scales", torch.tensor([0.1, 0.2, 0.1, 0.2]))
        self.register_buffer("zero_points", torch.tensor([0, 0, 0, 0]))

    def forward(self, x, ids):
        a = self.fp16(x.mean((2, 3)))
        b = self.bag4(ids, torch.arange(0, ids.numel() + 1, 2))
        per_channel = torch.quantize_per_channel(x, self.scales, self.zero_points, 1, torch.quint8)
        c = self.deconv(torch.quantize_per_tensor(x, 0.05, 64, torch.quint8))
        return a, b, c.dequantize(), per_channel.dequantize()


class Fx(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc = nn.Linear(4, 4)
        self.ln = nn.LayerNorm(4)

    def forward(self, x):
        return self.ln(torch.sigmoid(self.fc(x)) * 2.0 + 1.0)


def fx():
    example = (torch.randn(3, 4),)
    prepared = quantize_fx.prepare_fx(Fx().eval(), get_default_qconfig_mapping("qnnpack"), example)
    prepared(*example)
    return quantize_fx.convert_fx(prepared)


class Lstm(nn.Module):
    def __init__(self):
        super().__init__()
        self.lstm = nn.LSTM(4, 3)

    def forward(self, x):
        return self.lstm(x)[0]


class Cells(nn.Module):
    """Dynamically quantized cells: only whole layers are exported."""

    def __init__(self):
        super().__init__()
        self.lstm_cell = nn.LSTMCell(4, 3)
        self.gru_cell = nn.GRUCell(3, 3)

    def forward(self, x):
        h, _ = self.lstm_cell(x)
        return self.gru_cell(h)


class BorderAverages(nn.Module):
    """A quantized average pooling whose border windows torch divides by their own sizes
    (count_include_pad=False with padding): refused over a symbolic size."""

    def __init__(self):
        super().__init__()
        self.quant = torch.ao.quantization.QuantStub()
        self.dequant = torch.ao.quantization.DeQuantStub()

    def forward(self, x):
        return self.dequant(nn.functional.avg_pool2d(self.quant(x), 3, 2, 1, count_include_pad=False))


def border_averages():
    model = BorderAverages().eval()
    model.qconfig = torch.ao.quantization.get_default_qconfig("qnnpack")
    torch.ao.quantization.prepare(model, inplace=True)
    model(torch.randn(2, 3, 8, 8))
    return torch.ao.quantization.convert(model, inplace=True)


def as_float16(name, inputs):
    if name not in FLOAT16:
        return
    source, int8, fp16 = FLOAT16[name]
    path = os.path.join(OUT, name + ".pt")
    with zipfile.ZipFile(path) as z:
        entries = [(i, z.read(i.filename)) for i in z.infolist()]
    rewritten = 0
    with zipfile.ZipFile(path, "w") as z:
        for info, data in entries:
            if info.filename.endswith(source):
                assert len(int8) == len(fp16) and int8 in data
                data = data.replace(int8, fp16)
                rewritten += 1
            z.writestr(info, data)
    assert rewritten == 1, rewritten


# model: (code file whose int8 call is rewritten, the int8 call, its float16 form of the same length)
FLOAT16 = {
    "quantized_schemes": ("quantized/dynamic/modules/linear.py", INT8_CALL, FP16_CALL),
    "quantized_lstm_fp16": ("quantized/dynamic/modules/rnn.py", INT8_LSTM, FP16_LSTM),
}


def models():
    torch.backends.quantized.engine = "qnnpack"
    torch.manual_seed(3)
    yield "quantized_schemes", Schemes(), [(2, 4, 3, 3), ("int64", (4,), 10)]
    yield "quantized_lstm_fp16", torch.ao.quantization.quantize_dynamic(
        Lstm().eval(), {nn.LSTM}, dtype=torch.qint8), [(5, 2, 4)]
    yield "quantized_fx", fx(), [(3, 4)]
    yield "quantized_cells", torch.ao.quantization.quantize_dynamic(
        Cells().eval(), {nn.LSTMCell, nn.GRUCell}, dtype=torch.qint8), [(2, 4)]
    yield "quantized_avg_pool_border", border_averages(), [(2, 3, 8, 8)]


if __name__ == "__main__":
    save_all(models(), check_trace=False, on_saved=as_float16)
