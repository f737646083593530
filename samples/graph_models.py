"""Sample models for the typed graph and shape inference (imported by generate.py).

Each entry of SAMPLES is (name, make_model, make_inputs, description, extra): make_model and
make_inputs seed torch themselves so that each sample is reproducible on its own; extra goes into
the JSON side file (e.g. "dynamic_axes": input name -> {axis: symbol} with "dynamic_lengths" to
check at, besides the traced length).
"""
import torch
import torch.nn as nn
import torch.nn.functional as F


class BufferProbe:
    """Like generate.StateProbe (kept there so its line numbers stay put): every buffer, for DJL."""

    def dump_state(self):
        return tuple(b for _, b in self.named_buffers())


class ShapeOps(nn.Module):
    """Two inputs, several outputs: chunk/split unpacking, cat/stack, view(x.size(0), -1), slicing."""

    def forward(self, x, y):  # x [2, 6, 5], y [2, 4, 5]
        a, b = x.chunk(2, dim=1)
        z = torch.cat([a * 2.0, b - 1.0, y], dim=1)
        flat = z.view(z.size(0), -1)
        p, q = torch.split(y, [1, 3], dim=1)
        r = q.permute(0, 2, 1).contiguous().transpose(1, 2)
        t = r.unsqueeze(0).squeeze(0).flatten(1)
        u = x[:, 1:-1, ::2]
        v = x.select(2, 0).narrow(1, 1, 3)
        w = torch.index_select(x, 1, torch.tensor([0, 2, 4]))
        g = torch.gather(y, 2, torch.zeros(2, 4, 1, dtype=torch.long))
        e = x[:, :1].expand(-1, 6, -1).repeat(1, 1, 2)
        s = torch.stack([x.sum(1), y.mean(1)], dim=0)
        n = x.reshape(-1, x.size(2) * 2)
        parts = torch.unbind(p, dim=1)
        return flat, (t, u), v, w, g, e, s, n, parts[0] + p.squeeze(1)


class ConvPool(BufferProbe, nn.Module):
    """2-d image ops: strided/dilated conv, transposed conv, pooling (ceil mode), norms, pads, interpolate."""

    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(3, 8, kernel_size=3, stride=2, padding=1, dilation=1)
        self.dil = nn.Conv2d(8, 8, kernel_size=3, padding=2, dilation=2, groups=2)
        self.bn = nn.BatchNorm2d(8)
        self.pool = nn.MaxPool2d(3, stride=2, ceil_mode=True)
        self.avg = nn.AvgPool2d(2)
        self.gn = nn.GroupNorm(2, 8)
        self.inorm = nn.InstanceNorm2d(8, affine=True)
        self.ln = nn.LayerNorm([8])
        self.up = nn.ConvTranspose2d(8, 4, kernel_size=3, stride=2, padding=1, output_padding=1)
        self.adapt = nn.AdaptiveAvgPool2d((2, 3))
        self.drop = nn.Dropout(0.3)
        self.head = nn.Linear(4 * 2 * 3, 5)

    def forward(self, x):  # x [2, 3, 17, 15]
        y = F.relu(self.bn(self.conv(x)))
        y = self.dil(y)
        m = self.pool(y)
        a = self.avg(F.pad(y, (1, 1, 0, 1), mode="reflect"))
        g = self.inorm(self.gn(F.pad(m, (1, 2, 1, 0), mode="replicate")))
        l = self.ln(g.permute(0, 2, 3, 1)).permute(0, 3, 1, 2)
        near = F.interpolate(l, scale_factor=2, mode="nearest")
        bil = F.interpolate(a, size=(7, 9), mode="bilinear", align_corners=False)
        t = self.up(F.pad(near, (0, 1, 1, 0), value=0.5))
        h = self.head(self.drop(torch.flatten(self.adapt(t), 1)))
        return (F.log_softmax(h, dim=1), torch.softmax(bil, dim=-1).mean(dim=(2, 3), keepdim=True),
                torch.argmax(t, dim=1), F.max_pool1d(t.flatten(2), 2, ceil_mode=True))


class Sequence(nn.Module):
    """Time series with a dynamic length: conv1d, bidirectional GRU, LSTM, RNN, cells, pooling, upsampling."""

    def __init__(self):
        super().__init__()
        self.conv = nn.Conv1d(4, 6, kernel_size=3, stride=2, padding=1)
        self.gru = nn.GRU(6, 5, batch_first=True, bidirectional=True)
        self.lstm = nn.LSTM(10, 4, num_layers=2)
        self.rnn = nn.RNN(4, 3, nonlinearity="relu", batch_first=True)
        self.cell = nn.LSTMCell(3, 3)
        self.gcell = nn.GRUCell(3, 2)

    def forward(self, x):  # x [2, 4, T]
        c = F.relu(self.conv(x))                       # [2, 6, (T-1)//2+1]
        g, hg = self.gru(c.transpose(1, 2))            # [2, L, 10]
        o, (h, cc) = self.lstm(g.transpose(0, 1))      # [L, 2, 4]
        r, hr = self.rnn(o.transpose(0, 1))            # [2, L, 3]
        last = r[:, -1]
        h1, c1 = self.cell(last)
        h2 = self.gcell(h1)
        pooled = F.max_pool1d(c, 2)                    # [2, 6, L//2]
        up = F.interpolate(c, scale_factor=2.0, mode="nearest")
        lin = F.interpolate(c, size=5, mode="linear", align_corners=True)
        flat = c.reshape(c.size(0), c.size(1) * c.size(2))
        tail = x[:, :, 1:]
        return g, hg, h, cc, r, h2, pooled, up, lin, flat, tail, c1


class MiscOps(nn.Module):
    """Integer inputs, embedding, comparisons and where, casts, creation ops, reductions, matmuls."""

    def __init__(self):
        super().__init__()
        self.emb = nn.Embedding(12, 8)
        self.proj = nn.Parameter(torch.randn(8, 3))
        self.bias = nn.Parameter(torch.randn(3))

    def forward(self, tokens, x):  # tokens int64 [2, 7], x [2, 7, 8]
        e = self.emb(tokens)
        mask = tokens > 4
        filled = e.masked_fill(mask.unsqueeze(-1), 0.0)
        w = torch.where(x > 0, x, e)
        act = F.silu(w) - torch.clamp(w, -0.5, 0.5) + torch.sigmoid(w) * torch.tanh(w)
        m = torch.matmul(act, self.proj)
        mm = torch.addmm(self.bias, act[0], self.proj)
        b = torch.bmm(act, act.transpose(1, 2))
        counts = mask.sum(1)
        total = tokens.to(torch.float32).type_as(x).sum(dim=1, keepdim=True)
        z = torch.zeros_like(x) + torch.ones(7, 8) + torch.full_like(x[:1], 2.5)
        pos = torch.arange(tokens.size(1)).unsqueeze(0) + tokens
        best, where_best = torch.max(m, dim=2)
        cs = torch.cumsum(filled, dim=1).amax(dim=-1)
        half = x.half().float()
        # gelu, div and full are left to the fixture upgraded_ops.pt: using them makes torch 1.13
        # write format version 10 as .data/version only
        return m, mm, b, counts, total, z, pos, best, where_best, cs, half, (x == 0).logical_not()


class MoreOps(nn.Module):
    """The remaining op families: 1-d pooling and transposed conv, pooling indices, reductions, binary ops."""

    def __init__(self):
        super().__init__()
        self.up = nn.ConvTranspose1d(3, 2, kernel_size=4, stride=3, padding=1, output_padding=2, dilation=2)
        self.rnn = nn.RNN(3, 4, num_layers=2)
        self.pool = nn.MaxPool2d(2, return_indices=True)
        self.amax = nn.AdaptiveMaxPool2d(3)

    def forward(self, x):  # x [2, 3, 10]
        u = self.up(x)
        a = F.avg_pool1d(F.pad(x, (2, 1), value=-1.0), 3, stride=2, ceil_mode=True, count_include_pad=False)
        img = x.unsqueeze(1).repeat(1, 2, 1, 1)        # [2, 2, 3, 10]
        p, idx = self.pool(img)
        am = self.amax(img)
        r, h = self.rnn(x.permute(2, 0, 1))
        sq = x[:, :1].squeeze()
        flipped = torch.flip(x, [2]).roll(1, 1)
        red = (x.amin(1), x.argmin(2, keepdim=True), x.var(1), x.norm(dim=2), x.prod(2), x.max())
        b = torch.min(x, flipped).maximum(x).pow(2) + (1 - x) + torch.remainder(x, 0.5)
        w = torch.where(x > 0, x, torch.zeros_like(x))
        pieces = torch.split(x, 4, dim=2)
        grid = x.new_zeros((2, 4)) + torch.arange(1, 9, 2)
        near = F.interpolate(img, size=(5, 7), mode="nearest")
        return u, a, p, idx, am, r, h, sq, flipped, red, b, w, pieces[2], grid, near


def _make(cls, seed):
    def make():
        torch.manual_seed(seed)
        return cls()
    return make


def _inputs(seed, *specs):
    def make():
        torch.manual_seed(seed)
        out = []
        for shape, dtype in specs:
            if dtype == torch.long:
                out.append(torch.randint(0, 10, shape))
            else:
                out.append(torch.randn(*shape))
        return tuple(out)
    return make


SAMPLES = [
    ("shape_ops", _make(ShapeOps, 101), _inputs(1, ((2, 6, 5), None), ((2, 4, 5), None)),
     "two inputs, nested tuple of outputs: chunk/split/unbind, cat/stack, view(x.size(0), -1), slicing", {}),
    ("conv_pool", _make(ConvPool, 102), _inputs(2, ((2, 3, 17, 15), None)),
     "Conv2d (strided, dilated, grouped), ConvTranspose2d, pooling with ceil_mode, norms, pads, interpolate", {}),
    ("sequence", _make(Sequence, 103), _inputs(3, ((2, 4, 12), None)),
     "Conv1d over a dynamic time axis, GRU/LSTM/RNN and cells, pooling, upsampling",
     {"dynamic_axes": {"x": {"2": "S"}}, "dynamic_lengths": [9, 16]}),
    ("misc_ops", _make(MiscOps, 104), _inputs(4, ((2, 7), torch.long), ((2, 7, 8), None)),
     "int64 tokens + embedding, where/masked_fill, casts, zeros_like/ones/full/arange, reductions, matmuls", {}),
    ("more_ops", _make(MoreOps, 105), _inputs(5, ((2, 3, 10), None)),
     "ConvTranspose1d, avg/max pooling with indices, adaptive max, RNN, flip/roll, reductions, binary ops", {}),
]
