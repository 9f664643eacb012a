#!/usr/bin/env python3
"""Writes quant/src/test/resources/golden/qat_modules.json: PyTorch 1.13's QAT modules stepped in
training mode, then with frozen BN statistics / disabled observers, then in eval mode.

- fake_quantize: FakeQuantize (default_fake_quant, default_per_channel_weight_fake_quant) over
  batches, toggling observer and fake quantization: scale, zero point, output after each step.
- conv_bn: nni.qat.ConvBnReLU2d / ConvBn2d (prepare_qat of a fused ConvBn[ReLU]2d) with the
  default QAT qconfig: weight_fake_quant scale and zero point, BN running statistics and the
  module output after each step (train, train, freeze_bn_stats + disable_observer, eval).
- linear: nn.qat.Linear / nni.qat.LinearReLU likewise.
Tensors carry float32 bits. Needs python3-torch (Debian's 1.13); the Java tests do not.

Usage: python3 tools/golden/qat_modules.py [OUT.json]
"""
import json
import sys

import torch
import torch.ao.quantization as tq
import torch.nn.intrinsic as nni
import torch.nn.intrinsic.qat as nniqat


def t(x):
    x = x.detach().contiguous().float()
    return {"shape": list(x.shape), "bits": x.view(torch.int32).flatten().tolist()}


def fq_state(fq):
    return {"scale": t(fq.scale), "zero_point": fq.zero_point.tolist()}


def fake_quantize_cases(g):
    cases = []
    for name, factory, shape in [("default_fake_quant", tq.default_fake_quant, [4, 16]),
                                 ("default_per_channel_weight_fake_quant", tq.default_per_channel_weight_fake_quant, [3, 12])]:
        fq = factory()
        steps = []
        for i, action in enumerate(["", "", "disable_observer", "disable_fake_quant", "enable_both"]):
            if action == "disable_observer":
                fq.disable_observer()
            elif action == "disable_fake_quant":
                fq.disable_fake_quant()
            elif action == "enable_both":
                fq.enable_observer()
                fq.enable_fake_quant()
            x = torch.randn(shape, generator=g) * (1 + i)
            y = fq(x)
            steps.append({"action": action, "x": t(x), "y": t(y), **fq_state(fq)})
        cases.append({"kind": "fake_quantize", "factory": name, "steps": steps})
    return cases


def conv_bn_cases(g):
    cases = []
    for qc, relu, bias in [("fbgemm", True, False), ("qnnpack", False, True)]:
        conv = torch.nn.Conv2d(3, 4, 3, padding=1, bias=bias)
        bn = torch.nn.BatchNorm2d(4)
        with torch.no_grad():
            conv.weight.copy_(torch.randn(conv.weight.shape, generator=g) * 0.3)
            if bias:
                conv.bias.copy_(torch.randn(4, generator=g) * 0.1)
            bn.weight.copy_(torch.rand(4, generator=g) + 0.5)
            bn.bias.copy_(torch.randn(4, generator=g) * 0.1)
            bn.running_mean.copy_(torch.randn(4, generator=g) * 0.1)
            bn.running_var.copy_(torch.rand(4, generator=g) + 0.5)
        fused = nni.ConvBnReLU2d(conv, bn, torch.nn.ReLU()) if relu else nni.ConvBn2d(conv, bn)
        fused.train()
        model = torch.nn.Sequential(fused)
        model.qconfig = tq.get_default_qat_qconfig(qc)
        tq.prepare_qat(model, inplace=True)
        m = model[0]
        init = {k: t(v) for k, v in m.state_dict().items() if not k.startswith("weight_fake_quant")}
        steps = []
        for i, action in enumerate(["train", "train", "freeze", "eval"]):
            if action == "freeze":
                m.apply(nniqat.freeze_bn_stats)
                m.apply(tq.disable_observer)
            elif action == "eval":
                model.eval()
            x = torch.randn([2, 3, 6, 6], generator=g)
            y = model(x)
            steps.append({"action": action, "x": t(x), "y": t(y), "weight_fake_quant": fq_state(m.weight_fake_quant),
                          "running_mean": t(m.bn.running_mean), "running_var": t(m.bn.running_var),
                          "num_batches_tracked": int(m.bn.num_batches_tracked)})
        cases.append({"kind": "conv_bn", "qconfig": qc, "relu": relu, "bias": bias, "init": init,
                      "state_dict_keys": list(model.state_dict().keys()), "steps": steps})
    return cases


def linear_cases(g):
    cases = []
    for qc, relu in [("qnnpack", True), ("fbgemm", False)]:
        lin = torch.nn.Linear(12, 5)
        with torch.no_grad():
            lin.weight.copy_(torch.randn(lin.weight.shape, generator=g) * 0.3)
            lin.bias.copy_(torch.randn(5, generator=g) * 0.1)
        mod = nni.LinearReLU(lin, torch.nn.ReLU()) if relu else lin
        model = torch.nn.Sequential(mod)
        model.train()
        model.qconfig = tq.get_default_qat_qconfig(qc)
        tq.prepare_qat(model, inplace=True)
        m = model[0]
        init = {"0.weight": t(m.weight), "0.bias": t(m.bias)}
        steps = []
        for action in ["train", "train", "eval"]:
            if action == "eval":
                model.eval()
            x = torch.randn([3, 12], generator=g)
            y = model(x)
            steps.append({"action": action, "x": t(x), "y": t(y), "weight_fake_quant": fq_state(m.weight_fake_quant)})
        cases.append({"kind": "linear", "qconfig": qc, "relu": relu, "init": init,
                      "state_dict_keys": list(model.state_dict().keys()), "steps": steps})
    return cases


def main():
    out = sys.argv[1] if len(sys.argv) > 1 else "quant/src/test/resources/golden/qat_modules.json"
    torch.backends.quantized.engine = "qnnpack"
    g = torch.Generator().manual_seed(11)
    cases = fake_quantize_cases(g) + conv_bn_cases(g) + linear_cases(g)
    meta = {"torch_version": torch.__version__, "generator": "tools/golden/qat_modules.py", "seed": 11,
            "description": __doc__.split("\n\n")[0] + " See the module docstring of the generator for the fields."}
    with open(out, "w") as f:
        json.dump({"meta": meta, "cases": cases}, f)


if __name__ == "__main__":
    main()
