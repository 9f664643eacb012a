"""Writes the golden cases of PyTorch's quantized BatchNorm2d:
  ops/src/test/resources/golden/qbatch_norm.json         quantized::batch_norm2d(_relu) on given tensors
  quant/src/test/resources/golden/qbatch_norm_module.json  nn.BatchNorm2d / nni.BNReLU2d through prepare,
                                                           calibration and convert (eager mode)
Needs PyTorch (Debian's python3-torch 1.13); the tests only read the JSON.

The ATen kernel is the same for every engine (qnnpack and onednn here; fbgemm/x86 builds too): each
case is run under both engines available here and the generator checks they agree. Besides random
cases, "fma" cases hold channels whose parameters were searched so that
rint(fma(alpha, q - zp, beta)) and rint(alpha * (q - zp) + beta) (two roundings) differ for some
input integer: they pin down that PyTorch's AVX2/AVX-512 kernels fuse the multiply-add (an
ATEN_CPU_CAPABILITY=default build does not). Usage: qbatch_norm.py OPS_JSON MODULE_JSON"""
import json
import struct
import sys

import numpy as np
import torch
import torch.nn as nn
import torch.ao.quantization as tq

ENGINES = [e for e in ("onednn", "qnnpack") if e in torch.backends.quantized.supported_engines]


def bits(values):
    return [struct.unpack('<i', struct.pack('<f', float(v)))[0] for v in values]


def ftensor(t):
    t = t.detach().float().contiguous()
    return {"shape": list(t.shape), "dtype": "float32", "bits": bits(t.flatten().tolist())}


def qtensor(q):
    return {"shape": list(q.shape), "dtype": "quint8", "qscheme": "per_tensor_affine",
            "scale": q.q_scale(), "zero_point": q.q_zero_point(),
            "int_repr": [int(v) for v in q.int_repr().contiguous().flatten()]}


def run_op(qx, w, b, m, v, eps, scale, zp, relu):
    """The op's output integers (logical NCHW order), checked equal on every engine."""
    outs = {}
    for e in ENGINES:
        torch.backends.quantized.engine = e
        f = torch.ops.quantized.batch_norm2d_relu if relu else torch.ops.quantized.batch_norm2d
        y = f(qx, w, b, m, v, eps, scale, zp)
        outs[e] = [int(t) for t in y.int_repr().contiguous().flatten()]
    first = next(iter(outs.values()))
    assert all(o == first for o in outs.values()), "engines disagree"
    return first


def fused_params(w, b, m, v, eps, in_scale, out_scale):
    """alpha, beta as ATen's compute_fused_params (float32, double scale ratio)."""
    alpha, beta = [], []
    for c in range(len(w)):
        inv = np.float32(1.0 / np.float64(np.sqrt(np.float32(v[c] + np.float32(eps)))))
        alpha.append(np.float32(np.float64(np.float32(inv * w[c])) * (in_scale / out_scale)))
        beta.append(np.float32(np.float64(np.float32(b[c] - np.float32(np.float32(m[c] * inv) * w[c]))) / out_scale))
    return np.array(alpha, dtype=np.float32), np.array(beta, dtype=np.float32)


def fma_channels(g, count, in_scale, in_zp, out_scale, out_zp, eps):
    """Parameters of `count` channels where the fused and the unfused multiply-add round apart."""
    found = [[], [], [], []]
    q = (np.arange(256) - in_zp).astype(np.float32)
    while len(found[0]) < count:
        n = 50000
        w = (torch.randn(n, generator=g) * 3).numpy()
        b = torch.randn(n, generator=g).numpy()
        m = (torch.randn(n, generator=g) * 0.3).numpy()
        v = (torch.rand(n, generator=g) + 0.1).numpy()
        a, be = fused_params(w, b, m, v, eps, in_scale, out_scale)
        fused = (a[:, None].astype(np.float64) * q[None, :] + be[:, None]).astype(np.float32)
        split = (a[:, None] * q[None, :]).astype(np.float32) + be[:, None]
        rf, rs = np.rint(fused) + out_zp, np.rint(split) + out_zp
        hit = ((rf != rs) & (rf >= 0) & (rf <= 255) & (rs >= 0) & (rs <= 255)).any(1)
        for i in np.where(hit)[0][:count - len(found[0])]:
            for k, arr in enumerate((w, b, m, v)):
                found[k].append(float(arr[i]))
    return [torch.tensor(f, dtype=torch.float32) for f in found]


def op_cases():
    cases = []
    shapes = [(1, 1, 1, 1), (2, 3, 4, 5), (1, 7, 3, 3), (2, 9, 2, 3), (1, 17, 5, 4), (3, 33, 2, 2),
              (1, 67, 3, 5), (2, 64, 2, 1), (1, 130, 1, 3)]
    for seed in range(3):
        g = torch.Generator().manual_seed(1000 + seed)
        for i, (n, c, h, w_) in enumerate(shapes):
            relu = (i + seed) % 2 == 1
            x = torch.randn(n, c, h, w_, generator=g) * 2 + 0.3
            in_scale = float(torch.empty(1).uniform_(0.005, 0.05, generator=g))
            in_zp = int(torch.randint(0, 256, (1,), generator=g))
            qx = torch.quantize_per_tensor(x, in_scale, in_zp, torch.quint8)
            affine = i != 2
            w = torch.randn(c, generator=g) if affine else torch.ones(c)
            b = torch.randn(c, generator=g) * 0.5 if affine else torch.zeros(c)
            m = torch.randn(c, generator=g) * 0.5
            v = torch.rand(c, generator=g) * 2 + 0.05
            if i == 4:
                v[0] = 0.0  # eps alone under the root
            eps = 1e-5 if i % 3 else 1e-3
            out_scale = float(torch.empty(1).uniform_(0.005, 0.06, generator=g))
            out_zp = int(torch.randint(0, 256, (1,), generator=g))
            cases.append(op_case(f"seed{seed}_{n}x{c}x{h}x{w_}", qx, w, b, m, v, eps, out_scale, out_zp, relu))
    # channels that tell the fused multiply-add from the unfused one, at vector and tail positions
    g = torch.Generator().manual_seed(7)
    in_scale, in_zp, out_scale, out_zp, eps = 0.0237, 131, 0.0191, 117, 1e-5
    for c in (3, 9, 41):
        w, b, m, v = fma_channels(g, c, in_scale, in_zp, out_scale, out_zp, eps)
        x = torch.arange(256, dtype=torch.uint8).reshape(1, 1, 16, 16).expand(1, c, 16, 16).contiguous()
        qx = torch._make_per_tensor_quantized_tensor(x, in_scale, in_zp)
        relu = c == 9
        cases.append(op_case(f"fma_{c}ch_relu{int(relu)}", qx, w, b, m, v, eps, out_scale, out_zp, relu))
    return cases


def op_case(name, qx, w, b, m, v, eps, out_scale, out_zp, relu):
    return {"name": name, "input": qtensor(qx), "weight": ftensor(w), "bias": ftensor(b),
            "running_mean": ftensor(m), "running_var": ftensor(v), "eps": eps,
            "output_scale": out_scale, "output_zero_point": out_zp, "relu": relu,
            "output_int": run_op(qx, w, b, m, v, eps, out_scale, out_zp, relu)}


class BnModel(nn.Module):
    def __init__(self, c, relu):
        super().__init__()
        self.quant = tq.QuantStub()
        self.bn = nn.BatchNorm2d(c)
        self.relu = nn.ReLU() if relu else nn.Identity()
        self.dequant = tq.DeQuantStub()

    def forward(self, x):
        return self.dequant(self.relu(self.bn(self.quant(x))))


def module_cases():
    """PyTorch eager-mode PTQ of QuantStub -> BatchNorm2d [-> ReLU] -> DeQuantStub, fused or not."""
    cases = []
    for seed, (c, relu, fuse, qconfig) in enumerate([(5, False, False, "qnnpack"), (5, True, True, "qnnpack"),
                                                      (11, True, False, "fbgemm"), (11, True, True, "fbgemm"),
                                                      (3, False, False, "fbgemm")]):
        g = torch.Generator().manual_seed(2000 + seed)
        model = BnModel(c, relu)
        with torch.no_grad():
            model.bn.weight.copy_(torch.randn(c, generator=g))
            model.bn.bias.copy_(torch.randn(c, generator=g) * 0.5)
            model.bn.running_mean.copy_(torch.randn(c, generator=g) * 0.5)
            model.bn.running_var.copy_(torch.rand(c, generator=g) * 2 + 0.05)
        model.eval()
        state = {k: ftensor(t) for k, t in model.state_dict().items() if t.dtype == torch.float32}
        if fuse:
            model = tq.fuse_modules(model, [["bn", "relu"]])
        model.qconfig = tq.get_default_qconfig(qconfig)
        torch.backends.quantized.engine = "qnnpack" if qconfig == "qnnpack" else "onednn"
        prepared = tq.prepare(model)
        calib = [torch.randn(2, c, 3, 4, generator=g) * 1.5 + 0.2 for _ in range(2)]
        for x in calib:
            prepared(x)
        converted = tq.convert(prepared)
        test = torch.randn(2, c, 4, 3, generator=g) * 1.5
        qin = converted.quant(test)
        qout = converted.bn(qin) if fuse else converted.relu(converted.bn(qin))
        cases.append({"name": f"module{seed}_{qconfig}_c{c}_relu{int(relu)}_fused{int(fuse)}",
                      "channels": c, "relu": relu, "fused": fuse, "qconfig": qconfig, "state_dict": state,
                      "calibration": [ftensor(x) for x in calib], "input": ftensor(test),
                      "quantized_input": qtensor(qin), "output": qtensor(qout),
                      "bn_type": type(converted.bn).__module__ + "." + type(converted.bn).__name__})
    return cases


def main(ops_out, module_out):
    desc = ("quantized::batch_norm2d / batch_norm2d_relu (ATen q_batch_norm2d_impl) on a per-tensor quint8 "
            "NCHW input: weight, bias, running_mean, running_var float32 (bits: IEEE-754 patterns), eps, output "
            "qparams; output_int: the output's stored integers in logical NCHW order, equal on every engine in "
            "meta.engines (the kernel is ATen's, not the engine's). fma_* cases: channels where a fused and an "
            "unfused multiply-add round apart, every input integer 0..255.")
    with open(ops_out, "w") as f:
        json.dump({"meta": {"description": desc, "torch": torch.__version__, "engines": ENGINES,
                            "generator": "tools/golden/qbatch_norm.py"},
                   "cases": op_cases()}, f, separators=(",", ":"))
    desc = ("Eager-mode PTQ of QuantStub -> BatchNorm2d [-> ReLU] -> DeQuantStub with the named default qconfig "
            "(bn+relu fused into BNReLU2d when fused): the float state_dict, two calibration batches, a test "
            "input, the quantized input and the quantized BatchNorm's output (stored integers, NCHW).")
    with open(module_out, "w") as f:
        json.dump({"meta": {"description": desc, "torch": torch.__version__, "generator": "tools/golden/qbatch_norm.py"},
                   "cases": module_cases()},
                  f, separators=(",", ":"))


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
