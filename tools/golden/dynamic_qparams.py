"""Writes engine/src/test/resources/golden/dynamic_qparams.json: the activation qparams PyTorch's
dynamic operators choose (ATen ChooseQuantizationParams through torch._choose_qparams_per_tensor),
for seeded random ranges. Needs PyTorch (Debian's python3-torch 1.13); the tests only read the JSON."""
import json
import struct
import sys

import torch

def bits(x):
    return struct.unpack('<i', struct.pack('<f', x))[0]

def main(out):
    g = torch.Generator().manual_seed(20261203)
    cases = []
    def add(lo, hi, rr):
        t = torch.tensor([lo, hi], dtype=torch.float32)
        lo32, hi32 = float(t[0]), float(t[1])
        scale, zp = torch._choose_qparams_per_tensor(t, rr)
        cases.append({"min_bits": bits(lo32), "max_bits": bits(hi32), "reduce_range": rr,
                      "min": lo32, "max": hi32, "scale_bits": bits(scale), "zero_point": int(zp)})
    fixed = [(0.0, 0.0), (-0.0, 0.0), (0.0, 1.0), (-1.0, 0.0), (-1.0, 1.0), (-1.0, 2.0), (1e-7, 2e-6),
             (-3e-6, 5e-6), (-1e-3, 1e-3), (0.5, 0.5), (-0.25, -0.25), (-3e38, 3e38), (1e-40, 2e-39),
             (-1.5, 1e-9), (-1e-9, 1.5), (-100.0, 0.003)]
    for lo, hi in fixed:
        for rr in (False, True):
            add(lo, hi, rr)
    for i in range(600):
        mag = 10 ** float(torch.empty(1).uniform_(-6, 3, generator=g))
        kind = i % 4
        a = float(torch.randn(1, generator=g)) * mag
        b = float(torch.randn(1, generator=g)) * mag
        lo, hi = min(a, b), max(a, b)
        if kind == 1:
            lo, hi = abs(lo), abs(lo) + abs(hi)      # all positive
        elif kind == 2:
            lo, hi = -abs(lo) - abs(hi), -abs(hi)    # all negative
        add(lo, hi, bool(i % 2))
    meta = {"description": "ATen quant_utils::ChooseQuantizationParams(min, max, 0, 255, reduce_range) as "
            "dynamic quantized operators call it, through torch._choose_qparams_per_tensor on the 2-element "
            "tensor [min, max]; min_bits/max_bits/scale_bits are float32 IEEE-754 patterns (int32).",
            "torch": torch.__version__}
    with open(out, "w") as f:
        json.dump({"meta": meta, "cases": cases}, f, indent=0)

if __name__ == "__main__":
    main(sys.argv[1])
