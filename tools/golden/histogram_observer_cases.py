#!/usr/bin/env python3
"""Writes quant/src/test/resources/golden/histogram_observer_cases.json: PyTorch 1.13's
HistogramObserver on batches that a tiny generator (reproduced in the Java test) computes from
seeds, so the file holds only the expected results. Needs python3-torch (Debian's 1.13); the Java
tests read the file and do not need PyTorch.

Usage: python3 tools/golden/histogram_observer_cases.py [OUT.json]
"""
import json
import struct
import sys
import warnings

import torch
from torch.ao.quantization.observer import HistogramObserver

MASK = (1 << 64) - 1


def batch(seed, n, lo, hi, kind):
    """n float32 values: splitmix64 -> 24-bit uniform in [0, 1) -> [lo, hi); 'bell' averages 4."""
    state = seed & MASK
    out = []

    def next_unit():
        nonlocal state
        state = (state + 0x9E3779B97F4A7C15) & MASK
        z = state
        z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & MASK
        z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & MASK
        z ^= z >> 31
        return (z >> 40) / 16777216.0

    for _ in range(n):
        if kind == "bell":
            u = (next_unit() + next_unit() + next_unit() + next_unit()) / 4.0
        else:
            u = next_unit()
        out.append(lo + u * (hi - lo))
    return torch.tensor(out, dtype=torch.float32)


def bits(t):
    return [struct.unpack("<i", struct.pack("<f", float(v)))[0] for v in t.reshape(-1).tolist()]


CONFIGS = {
    "quint8_affine": dict(dtype=torch.quint8, qscheme=torch.per_tensor_affine),
    "qint8_symmetric": dict(dtype=torch.qint8, qscheme=torch.per_tensor_symmetric),
    "qint8_affine": dict(dtype=torch.qint8, qscheme=torch.per_tensor_affine),
    "quint8_symmetric": dict(dtype=torch.quint8, qscheme=torch.per_tensor_symmetric),
}

# (name, batches as (seed, n, lo, hi, kind), config, reduce_range, bins, upsample_rate)
CASES = [
    ("relu_unit", [(1, 700, 0.0, 0.9, "bell"), (2, 700, 0.0, 0.95, "bell"), (3, 700, 0.0, 0.7, "uniform")], "quint8_affine", True, 2048, 128),
    ("growing", [(4, 500, -1.5, 2.0, "bell"), (5, 500, -3.0, 5.0, "bell"), (6, 500, -2.0, 9.5, "bell"), (7, 500, -12.0, 1.0, "uniform")], "quint8_affine", False, 2048, 128),
    ("growing_sym", [(4, 500, -1.5, 2.0, "bell"), (5, 500, -3.0, 5.0, "bell"), (6, 500, -2.0, 9.5, "bell")], "qint8_symmetric", False, 2048, 128),
    ("same_range", [(8, 400, -4.0, 4.0, "uniform"), (9, 400, -3.0, 3.0, "bell"), (10, 400, -2.0, 2.5, "bell")], "qint8_affine", True, 2048, 128),
    ("negative", [(11, 600, -7.0, -0.5, "bell"), (12, 600, -9.0, -1.0, "bell")], "quint8_affine", False, 2048, 128),
    ("wide_then_narrow", [(13, 300, -100.0, 250.0, "bell"), (14, 300, -0.5, 0.5, "uniform"), (15, 300, -120.0, 80.0, "bell")], "quint8_affine", False, 2048, 128),
    ("narrow_then_wide", [(16, 300, -0.02, 0.03, "bell"), (17, 300, -0.3, 0.4, "bell"), (18, 300, -2.0, 3.0, "bell")], "quint8_affine", False, 2048, 128),
    ("small_bins", [(19, 800, -2.0, 6.0, "bell"), (20, 800, -3.0, 7.0, "bell"), (21, 800, -1.0, 8.5, "uniform")], "quint8_affine", False, 64, 16),
    ("odd_bins", [(22, 800, -2.0, 6.0, "bell"), (23, 800, -5.0, 7.0, "bell")], "qint8_symmetric", True, 1000, 7),
    ("sym_quint8_reduced", [(24, 500, -1.0, 3.0, "bell"), (25, 500, -2.0, 4.0, "bell")], "quint8_symmetric", True, 2048, 128),
    ("many_batches", [(30 + i, 200, -1.0 - 0.3 * i, 1.0 + 0.45 * i, "bell") for i in range(8)], "quint8_affine", True, 2048, 128),
    ("constant_then_data", [(40, 100, 1.25, 1.25, "uniform"), (41, 400, -1.0, 2.0, "bell")], "quint8_affine", False, 2048, 128),
    ("data_then_constant", [(42, 400, -1.0, 2.0, "bell"), (43, 100, 5.0, 5.0, "uniform")], "quint8_affine", False, 2048, 128),
    ("large_values", [(44, 500, 1000.0, 70000.0, "bell"), (45, 500, -5000.0, 90000.0, "bell")], "quint8_affine", False, 2048, 128),
]


def main():
    warnings.simplefilter("ignore")
    out_path = sys.argv[1] if len(sys.argv) > 1 else "quant/src/test/resources/golden/histogram_observer_cases.json"
    cases = []
    for name, batches, config, reduce_range, bins, up in CASES:
        obs = HistogramObserver(bins=bins, upsample_rate=up, reduce_range=reduce_range, **CONFIGS[config])
        for b in batches:
            obs(batch(*b))
        new_min, new_max = obs._non_linear_param_search()
        scale, zp = obs.calculate_qparams()
        case = {
            "name": name, "config": config, "reduce_range": reduce_range, "bins": bins, "upsample_rate": up,
            "batches": [{"seed": s, "n": n, "lo": lo, "hi": hi, "kind": k} for s, n, lo, hi, k in batches],
            "min_val_bits": bits(obs.min_val)[0], "max_val_bits": bits(obs.max_val)[0],
            "search_min_bits": bits(new_min)[0], "search_max_bits": bits(new_max)[0],
            "histogram_sum_bits": bits(torch.sum(obs.histogram))[0],
            "scale_bits": bits(scale)[0], "zero_point": int(zp[0]),
        }
        if bins <= 64:
            case["histogram_bits"] = bits(obs.histogram)
        cases.append(case)
    meta = {"torch_version": torch.__version__, "generator": "tools/golden/histogram_observer_cases.py",
            "cpu_capability": "see torch.__config__.show()",
            "description": "HistogramObserver(bins, upsample_rate, dtype/qscheme from config, reduce_range) fed the "
                           "listed batches in order. Batch values: splitmix64 from seed, the top 24 bits of each "
                           "output as u in [0,1) (kind 'bell': the mean of 4 such u), value = f32(lo + u*(hi-lo)) "
                           "computed in float64. Expected: the observer's min_val/max_val, _non_linear_param_search's "
                           "range, torch.sum(histogram), calculate_qparams (float32 bit patterns), and the whole "
                           "histogram where bins <= 64."}
    with open(out_path, "w") as f:
        json.dump({"meta": meta, "cases": cases}, f, indent=1)
        f.write("\n")
    print("wrote", out_path, len(cases), "cases")


if __name__ == "__main__":
    main()
