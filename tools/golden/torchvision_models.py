#!/usr/bin/env python3
"""Writes quant/src/test/resources/golden/torchvision_models.json: for torchvision 0.14's
quantizable resnet18, resnet50 and mobilenet_v2 (quantize=False, default arguments):

- keys: the float model's state_dict() names and shapes, in order;
- fused_keys / fused_qat_keys: the same after fuse_model() in eval / training mode;
- logits: the float model's eval-mode output for one input [1, 3, 64, 64], with every state-dict
  entry filled by the closed-form rule below (so the Java test regenerates the same weights
  without shipping them): for the k-th entry (state-dict order), flat index i, d = float64,
    running_var          1 + 0.25 * (1 + sin(0.7 i + k))
    running_mean         0.1 * sin(0.7 i + k)
    num_batches_tracked  unchanged (0)
    other rank-1 weight  1 + 0.2 * sin(0.7 i + k)       (batch-norm gamma)
    bias                 0.1 * sin(0.7 i + k)
    rank >= 2 weight     sqrt(3 / fan_in) * sin(0.7 i + k), fan_in = numel / shape[0]
  each value rounded to float32; the input is x[i] = sin(0.3 i) (float64 rounded to float32).
Logits carry float32 bits. Needs python3-torch and python3-torchvision (Debian's 1.13 / 0.14);
the Java tests do not.

Usage: /usr/bin/python3 tools/golden/torchvision_models.py [OUT.json]
"""
import json
import math
import sys

import torch
from torchvision.models.quantization import mobilenet_v2, resnet18, resnet50


def fill(state):
    out = {}
    for k, (name, t) in enumerate(state.items()):
        leaf = name.rsplit(".", 1)[-1]
        if leaf == "num_batches_tracked":
            out[name] = t
            continue
        s = torch.sin(torch.arange(t.numel(), dtype=torch.float64) * 0.7 + k)
        if leaf == "running_var":
            v = 1 + 0.25 * (1 + s)
        elif leaf == "running_mean" or leaf == "bias":
            v = 0.1 * s
        elif t.dim() == 1:
            v = 1 + 0.2 * s
        else:
            v = math.sqrt(3.0 / (t.numel() // t.shape[0])) * s
        out[name] = v.float().reshape(t.shape)
    return out


def keys(model):
    return [[n, list(t.shape)] for n, t in model.state_dict().items()]


def bits(x):
    return x.detach().contiguous().float().view(torch.int32).flatten().tolist()


def main():
    out_path = sys.argv[1] if len(sys.argv) > 1 else "quant/src/test/resources/golden/torchvision_models.json"
    x = torch.sin(torch.arange(3 * 64 * 64, dtype=torch.float64) * 0.3).float().reshape(1, 3, 64, 64)
    result = {"torch": torch.__version__, "input": "x[i] = sin(0.3 i), [1, 3, 64, 64]"}
    for name, ctor in [("resnet18", resnet18), ("resnet50", resnet50), ("mobilenet_v2", mobilenet_v2)]:
        torch.manual_seed(0)
        model = ctor(quantize=False)
        entry = {"keys": keys(model)}
        model.load_state_dict(fill(model.state_dict()))
        model.eval()
        with torch.no_grad():
            entry["logits"] = bits(model(x))
        model.fuse_model()
        entry["fused_keys"] = keys(model)
        qat = ctor(quantize=False)
        qat.train()
        qat.fuse_model()
        entry["fused_qat_keys"] = keys(qat)
        result[name] = entry
    with open(out_path, "w") as f:
        json.dump(result, f, separators=(",", ":"))
        f.write("\n")


if __name__ == "__main__":
    main()
