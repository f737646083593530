#!/usr/bin/python3
"""Writes the quantized sample models of samples/quantized/ (issue 16).

Run with Debian's torch 1.13:  /usr/bin/python3 samples/quantized/generate_quantized.py [--force]

Each sample is an eager-mode torch.ao.quantization model, calibrated on seeded random data,
converted, traced and saved as <name>.pt with <name>.inputs.npz (forward's arguments, in order)
and <name>.outputs.npz (torch's own quantized outputs, in order); quantized.json lists them with
the quantized engine, the torch version, and per output the scale and zero point of the quantized
tensor that the final DeQuantStub reads (tests count differences in those steps). Small samples
are committed under models/; torchvision's quantized mobilenet_v2 (14 MB) goes to cache/ (ignored
by git) and is made by .ci/run.

Engine: qnnpack. Debian's torch 1.13 is built without fbgemm (torch.backends.quantized.
supported_engines is ['qnnpack', 'none', 'onednn']); asking for fbgemm's qconfig and then
converting with the default engine is what died with a bus error on mobilenet_v2. Calibration
with qnnpack's default qconfig (HistogramObserver activations, per-tensor symmetric int8
weights) or a per-channel weight observer under the qnnpack engine works.
"""
import os
import sys

SCRIPT_REL = "samples/quantized/generate_quantized.py"

if __name__ == "__main__" and "__file__" in globals():
    # torch records the Python stack of every traced op (file names included) in the archive's
    # debug info: re-run this file from the repository root under its relative name, as
    # samples/zoo/generate_zoo.py does, so that checkouts at other paths write the same archives.
    os.chdir(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))
    os.environ["TORCH_CPP_LOG_LEVEL"] = "ERROR"  # qnnpack warns at each dynamic linear call
    BOOT = "import sys; p = sys.argv[0] = %r; exec(compile(open(p, encoding='utf-8').read(), p, 'exec'))"
    os.execv(sys.executable, [sys.executable, "-c", BOOT % SCRIPT_REL] + sys.argv[1:])

import hashlib  # noqa: E402
import json  # noqa: E402
import warnings  # noqa: E402

import numpy as np  # noqa: E402
import torch  # noqa: E402
import torch.ao.nn.quantized as nnq  # noqa: E402
import torch.ao.quantization as tq  # noqa: E402
import torch.nn as nn  # noqa: E402

HERE = "samples/quantized"
MANIFEST = os.path.join(HERE, "quantized.json")
ENGINE = "qnnpack"
COMMITTED_LIMIT = 200 * 1024


class PerTensorCnn(nn.Module):
    """Static PTQ, per-tensor weights: conv, relu, max pool, conv, relu, average pool, linear."""

    def __init__(self):
        super().__init__()
        self.quant = tq.QuantStub()
        self.conv1 = nn.Conv2d(3, 8, 3, padding=1)
        self.relu1 = nn.ReLU()
        self.pool = nn.MaxPool2d(2)
        self.conv2 = nn.Conv2d(8, 8, 3, stride=2, padding=1)
        self.relu2 = nn.ReLU()
        self.avg = nn.AdaptiveAvgPool2d(1)
        self.fc = nn.Linear(8, 5)
        self.dequant = tq.DeQuantStub()

    def forward(self, x):
        x = self.pool(self.relu1(self.conv1(self.quant(x))))
        x = self.avg(self.relu2(self.conv2(x)))
        return self.dequant(self.fc(torch.flatten(x, 1)))


class PerChannelFused(nn.Module):
    """Static PTQ, per-channel weights: fused conv+bn+relu, a FloatFunctional residual add, a
    fused linear+relu, a FloatFunctional cat and a conv1d."""

    def __init__(self):
        super().__init__()
        self.quant = tq.QuantStub()
        self.conv1 = nn.Conv2d(4, 8, 3, padding=1)
        self.bn1 = nn.BatchNorm2d(8)
        self.relu1 = nn.ReLU()
        self.conv2 = nn.Conv2d(8, 8, 3, padding=1)
        self.relu2 = nn.ReLU()
        self.add = nn.quantized.FloatFunctional()
        self.cat = nn.quantized.FloatFunctional()
        self.conv1d = nn.Conv1d(16, 6, 3)
        self.fc = nn.Linear(6 * 4, 10)
        self.fc_relu = nn.ReLU()
        self.dequant = tq.DeQuantStub()

    def forward(self, x):
        x = self.quant(x)
        a = self.relu1(self.bn1(self.conv1(x)))
        b = self.add.add(self.relu2(self.conv2(a)), a)
        y = self.cat.cat([a, b], 1)  # (N, 16, 6, 6)
        y = self.conv1d(torch.flatten(y, 2)[:, :, :6])
        return self.dequant(self.fc_relu(self.fc(torch.flatten(y, 1))))

    def fuse(self):
        tq.fuse_modules(self, [["conv1", "bn1", "relu1"], ["conv2", "relu2"], ["fc", "fc_relu"]],
                        inplace=True)


class DynamicLstmLinear(nn.Module):
    """Dynamic quantization (int8 weights, float activations): a 2-layer LSTM and a linear head."""

    def __init__(self):
        super().__init__()
        self.lstm = nn.LSTM(12, 16, num_layers=2, batch_first=True)
        self.head = nn.Linear(16, 6)

    def forward(self, x):
        y, _ = self.lstm(x)
        return self.head(y)


class DynamicGruLinear(nn.Module):
    """Dynamic quantization: a 2-layer bidirectional GRU and a linear head."""

    def __init__(self):
        super().__init__()
        self.gru = nn.GRU(10, 12, num_layers=2, bidirectional=True)
        self.head = nn.Linear(24, 5)

    def forward(self, x):
        y, _ = self.gru(x)
        return self.head(y)


def static(model, inputs, per_channel, calibration):
    model.eval()
    if hasattr(model, "fuse"):
        model.fuse()
    elif hasattr(model, "fuse_model"):
        model.fuse_model()
    qconfig = tq.get_default_qconfig(ENGINE)
    if per_channel:
        qconfig = tq.QConfig(activation=qconfig.activation,
                             weight=tq.default_per_channel_weight_observer)
    model.qconfig = qconfig
    tq.prepare(model, inplace=True)
    with torch.no_grad():
        for batch in calibration:
            model(batch)
    tq.convert(model, inplace=True)
    return model


def mobilenet_v2():
    """Random weights; batch norm statistics from seeded data, so activations keep their scale
    through 19 blocks (with the initial statistics they fade to ~1e-9 and quantize to zero)."""
    from torchvision.models.quantization import mobilenet_v2 as qmobilenet
    model = qmobilenet(weights=None, quantize=False)
    for m in model.modules():
        if isinstance(m, nn.BatchNorm2d):
            m.momentum = None  # cumulative average over the batches below
    model.train()
    with torch.no_grad():
        for batch in calibration((4, 3, 64, 64), 4, 4):
            model(batch)
    return model.eval()


def calibration(shape, count, seed):
    g = torch.Generator().manual_seed(seed)
    return [torch.randn(*shape, generator=g) for _ in range(count)]


# What the model zoo suite (samples/zoo, cli's ZooSuiteTest) states for each sample: a one-line
# description, and where a sample needs more than the check's default step tolerance (at most 1
# step on at most 1% of the elements), the fraction and why.
ZOO = {
    "ptq_per_tensor_cnn": {"description": "static PTQ, per-tensor int8 weights: conv, relu, max pool, "
                                          "conv, average pool, linear"},
    "ptq_per_channel_fused": {"description": "static PTQ, per-channel weights: fused conv+bn+relu, "
                                             "FloatFunctional add and cat, conv1d, fused linear+relu"},
    "dynamic_lstm_linear": {"description": "dynamic quantization: 2-layer LSTM and a linear head"},
    "dynamic_gru_linear": {"description": "dynamic quantization: 2-layer bidirectional GRU and a linear head"},
    "mobilenet_v2_quantized": {
        "description": "torchvision's quantizable mobilenet_v2 (random weights), fused, static PTQ"},
}

# The quantized engine the zoo's torch runs use: tract's arithmetic (f32 between quantization
# points, rounding half to even) follows x86's kernels; qnnpack's depthwise and linear kernels
# round 0.1% of elements differently (README, "Checking quantized models").
ZOO_ENGINE = "x86"

SAMPLES = {
    # name: (committed, builder of (model, example inputs))
    "ptq_per_tensor_cnn": (True, lambda: (
        static(PerTensorCnn(), None, False, calibration((4, 3, 16, 16), 8, 1)),
        (torch.randn(2, 3, 16, 16, generator=torch.Generator().manual_seed(11)),))),
    "ptq_per_channel_fused": (True, lambda: (
        static(PerChannelFused(), None, True, calibration((4, 4, 6, 6), 8, 2)),
        (torch.randn(2, 4, 6, 6, generator=torch.Generator().manual_seed(12)),))),
    "dynamic_lstm_linear": (True, lambda: (
        tq.quantize_dynamic(DynamicLstmLinear().eval(), {nn.LSTM, nn.Linear}, dtype=torch.qint8),
        (torch.randn(2, 7, 12, generator=torch.Generator().manual_seed(13)),))),
    "dynamic_gru_linear": (True, lambda: (
        tq.quantize_dynamic(DynamicGruLinear().eval(), {nn.GRU, nn.Linear}, dtype=torch.qint8),
        (torch.randn(6, 3, 10, generator=torch.Generator().manual_seed(15)),))),
    "mobilenet_v2_quantized": (False, lambda: (
        static(mobilenet_v2(), None, False, calibration((2, 3, 64, 64), 4, 3)),
        (torch.randn(1, 3, 64, 64, generator=torch.Generator().manual_seed(14)),))),
}


def output_quantization(model, inputs):
    """Scale and zero point of each quantized tensor a DeQuantize module reads, in call order."""
    found = []

    def hook(module, args, result):
        q = args[0]
        found.append({"scale": q.q_scale(), "zero_point": q.q_zero_point(),
                      "dtype": str(q.dtype).replace("torch.", "")})

    handles = [m.register_forward_hook(hook) for m in model.modules()
               if isinstance(m, nnq.DeQuantize)]
    with torch.no_grad():
        model(*inputs)
    for h in handles:
        h.remove()
    return found


def op_census(graph):
    """Op kind to node count of the inlined traced graph, as samples/zoo/generate_zoo.py counts."""
    counts = {}

    def visit(block):
        for node in block.nodes():
            counts[node.kind()] = counts.get(node.kind(), 0) + 1
            for sub in node.blocks():
                visit(sub)

    visit(graph)
    return dict(sorted(counts.items()))


def state_elements(state):
    """Elements of every tensor in a state dict, packed (weight, bias) tuples included."""
    if isinstance(state, torch.Tensor):
        return state.numel()
    if isinstance(state, (tuple, list)):
        return sum(state_elements(s) for s in state)
    if isinstance(state, dict):
        return sum(state_elements(s) for s in state.values())
    if isinstance(state, torch._C.ScriptObject):  # packed params: their (weight, bias, ...) state
        return state_elements(state.__getstate__())
    return 0


def zoo_entry(name, committed, model, traced, inputs, outputs, steps):
    """This sample as an entry of the zoo manifest (the fields of samples/zoo/zoo.json's)."""
    import inspect
    names = list(inspect.signature(model.forward).parameters)
    output_names = ["y"] if len(outputs) == 1 else ["y%d" % i for i in range(len(outputs))]
    ops = op_census(traced.inlined_graph)
    recurrent = {"aten::quantized_lstm", "aten::quantized_gru"}
    entry = {
        "name": name,
        "family": "quantized",
        "description": ZOO[name]["description"],
        "file": os.path.join("models" if committed else "cache", name + ".pt"),
        "committed": committed,
        "parameter_count": state_elements(model.state_dict()),
        "inputs": [{"name": n, "shape": list(t.shape), "dtype": "float32"} for n, t in zip(names, inputs)],
        "dynamic_axes": [],
        "outputs": output_names,
        "checks": [{"lengths": {}, "inputs": {n: list(t.shape) for n, t in zip(names, inputs)},
                    "outputs": [{"name": o, "shape": list(t.shape), "dtype": "float32"}
                                for o, t in zip(output_names, outputs)]}],
        "recurrent_modules": sorted({type(m).__name__ for m in model.modules()
                                     if type(m).__name__ in ("LSTM", "GRU", "RNN")}),
        "recurrent_module_ops": sorted(op for op in ops if op in recurrent),
        "ops": ops,
        "quantized_engine": ZOO_ENGINE,
    }
    if steps and "max_step_fraction" in ZOO[name]:
        entry["max_step_fraction"] = ZOO[name]["max_step_fraction"]
        entry["step_fraction_reason"] = ZOO[name]["step_fraction_reason"]
    return entry


def sha256(path):
    with open(path, "rb") as f:
        return hashlib.sha256(f.read()).hexdigest()


def generate(name, committed, build):
    torch.manual_seed(0)
    model, inputs = build()
    folder = os.path.join(HERE, "models" if committed else "cache")
    os.makedirs(folder, exist_ok=True)
    with torch.no_grad():
        traced = torch.jit.trace(model, inputs)
        outputs = traced(*inputs)
        eager = model(*inputs)
    outputs = outputs if isinstance(outputs, tuple) else (outputs,)
    eager = eager if isinstance(eager, tuple) else (eager,)
    for o, e in zip(outputs, eager):
        assert torch.equal(o, e), name + ": the trace differs from eager mode"
    path = os.path.join(folder, name + ".pt")
    traced.save(path)
    if committed and os.path.getsize(path) > COMMITTED_LIMIT:
        sys.exit("%s is %d bytes, over the %d limit for committed samples"
                 % (path, os.path.getsize(path), COMMITTED_LIMIT))
    np.savez(os.path.join(folder, name + ".inputs.npz"),
             **{"input%d" % i: t.numpy() for i, t in enumerate(inputs)})
    np.savez(os.path.join(folder, name + ".outputs.npz"),
             **{"output%d" % i: t.numpy() for i, t in enumerate(outputs)})
    steps = output_quantization(model, inputs)
    steps = steps if len(steps) == len(outputs) else None
    return {
        "folder": os.path.basename(folder),
        "inputs": [list(t.shape) for t in inputs],
        "outputs": [list(t.shape) for t in outputs],
        "output_quantization": steps,
        "sha256": sha256(path),
        "zoo": zoo_entry(name, committed, model, traced, inputs, outputs, steps),
    }


def in_child(name, committed, build):
    """Generates one sample in a forked process: torch numbers the classes it compiles per
    process, so archives are byte-identical only when each is traced in a fresh one."""
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:
        os.close(read)
        try:
            result = json.dumps(generate(name, committed, build)).encode()
            os.write(write, result)
            os._exit(0)
        except BaseException as e:  # report in the parent, never fall through into its loop
            sys.stderr.write("%s: %r\n" % (name, e))
            os._exit(1)
    os.close(write)
    with os.fdopen(read, "rb") as f:
        data = f.read()
    _, status = os.waitpid(pid, 0)
    if status != 0:
        sys.exit("generating %s failed" % name)
    return json.loads(data)


def main():
    torch.backends.quantized.engine = ENGINE
    # mobilenet_v2's blocks without a residual connection keep an unused skip_add observer
    warnings.filterwarnings("ignore", message="must run observer before calling calculate_qparams")
    torch.set_num_threads(1)
    force = "--force" in sys.argv
    names = [a for a in sys.argv[1:] if not a.startswith("--")] or list(SAMPLES)
    manifest = {}
    if os.path.exists(MANIFEST):
        with open(MANIFEST) as f:
            manifest = json.load(f)
    script = sha256(SCRIPT_REL)
    meta = manifest.get("generator", {})
    fresh = meta.get("script_sha256") == script and meta.get("torch") == torch.__version__
    samples = manifest.get("samples", {})
    for name in names:
        committed, build = SAMPLES[name]
        entry = samples.get(name)
        path = os.path.join(HERE, entry["folder"], name + ".pt") if entry else None
        if not force and fresh and entry and os.path.exists(path) and sha256(path) == entry["sha256"]:
            continue
        samples[name] = in_child(name, committed, build)
        print("wrote", name)
    manifest = {"generator": {"script_sha256": script, "torch": torch.__version__, "engine": ENGINE},
                "samples": {k: samples[k] for k in SAMPLES if k in samples}}
    with open(MANIFEST, "w") as f:
        json.dump(manifest, f, indent=1, sort_keys=True)
        f.write("\n")


if __name__ == "__main__":
    main()
