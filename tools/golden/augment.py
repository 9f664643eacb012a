#!/usr/bin/env python3
"""Writes quant/src/test/resources/golden/augment.json: what the MNIST training recipes
(../shared/mnist/train.py, quant_eval.py) draw from PyTorch 1.13's CPU generator and how their
augmentation moves pixels.

- generator: torch.Generator().manual_seed(seed), then draws in a recipe's order: randperm(n)
  and rand(n) / rand(n, 2) (float32 bits).
- affine: F.grid_sample(x, F.affine_grid(theta, x.shape, align_corners=False),
  align_corners=False, padding_mode='zeros') (bilinear) for given thetas: identity, quarter
  turns, shifts, train.py-like draws, on synthetic and MNIST images (float32 bits).
- augment: train.py's augment(x, g) on MNIST images after manual_seed(seed): its draws and output.
Needs python3-torch (Debian's 1.13) and ../shared/mnist; the Java tests need neither.

Usage: /usr/bin/python3 tools/golden/augment.py [MNIST_DIR] [OUT.json]
"""
import gzip
import json
import math
import os
import sys

import numpy as np
import torch
import torch.nn.functional as F


def bits(x):
    return x.detach().contiguous().float().view(torch.int32).flatten().tolist()


def t(x):
    return {'shape': list(x.shape), 'bits': bits(x)}


def idx_images(path, n):
    with open(path, 'rb') as f:
        raw = f.read()
    count, rows, cols = np.frombuffer(raw[4:16], '>i4')
    px = np.frombuffer(raw[16:16 + n * rows * cols], np.uint8).reshape(n, 1, rows, cols)
    return torch.from_numpy(px.copy()).float().div_(255.0)


def augment(x, g):
    """train.py's augment, verbatim."""
    n = x.shape[0]
    ang = (torch.rand(n, generator=g) * 2 - 1) * math.radians(10)
    sc = 1 + (torch.rand(n, generator=g) * 2 - 1) * 0.1
    sh = (torch.rand(n, 2, generator=g) * 2 - 1) * (2 / 14)
    cos, sin = torch.cos(ang) / sc, torch.sin(ang) / sc
    theta = torch.stack([torch.stack([cos, -sin, sh[:, 0]], 1), torch.stack([sin, cos, sh[:, 1]], 1)], 1)
    grid = F.affine_grid(theta, x.shape, align_corners=False)
    return F.grid_sample(x, grid, align_corners=False, padding_mode='zeros'), theta


def generator_cases():
    cases = []
    for seed, n in [(0, 10), (1, 7000), (123456789012, 33)]:
        g = torch.Generator().manual_seed(seed)
        draws = [{'op': 'randperm', 'n': n, 'values': torch.randperm(n, generator=g).tolist()}]
        for shape in [[64], [64], [64, 2], [5]]:
            draws.append({'op': 'rand', 'shape': shape, 'bits': bits(torch.rand(shape, generator=g))})
        draws.append({'op': 'randperm', 'n': 3, 'values': torch.randperm(3, generator=g).tolist()})
        cases.append({'seed': seed, 'draws': draws})
    return cases


def affine_cases(mnist):
    g = torch.Generator().manual_seed(5)
    square = torch.zeros(1, 1, 28, 28)
    square[0, 0, 4:10, 6:20] = 1.0
    square[0, 0, 15, 3] = 0.5
    odd = torch.rand(2, 2, 5, 7, generator=g)
    r = math.radians(90)
    thetas = {
        'identity': [[1, 0, 0], [0, 1, 0]],
        'quarter turn': [[math.cos(r), -math.sin(r), 0], [math.sin(r), math.cos(r), 0]],
        'half turn': [[-1, 0, 0], [0, -1, 0]],
        'shift 2 px right, 1 down': [[1, 0, -2 / 14], [0, 1, -1 / 14]],
        'scale 1.1, rotate 7 deg, shift': [[math.cos(0.122) / 1.1, -math.sin(0.122) / 1.1, 0.1], [math.sin(0.122) / 1.1, math.cos(0.122) / 1.1, -0.05]],
    }
    cases = []
    for name, th in thetas.items():
        for label, x in [('square', square), ('mnist', mnist[:2]), ('2x2x5x7', odd)]:
            theta = torch.tensor(th, dtype=torch.float32).unsqueeze(0).repeat(x.shape[0], 1, 1)
            y = F.grid_sample(x, F.affine_grid(theta, x.shape, align_corners=False), align_corners=False, padding_mode='zeros')
            cases.append({'name': name + ' / ' + label, 'x': t(x), 'theta': t(theta), 'y': t(y)})
    return cases


def main():
    mnist_dir = sys.argv[1] if len(sys.argv) > 1 else '../shared/mnist'
    out = sys.argv[2] if len(sys.argv) > 2 else 'quant/src/test/resources/golden/augment.json'
    mnist = idx_images(os.path.join(mnist_dir, 'calibration-images-idx3-ubyte'), 6)
    g = torch.Generator().manual_seed(1)
    y, theta = augment(mnist, g)
    data = {'torch': torch.__version__, 'generator': generator_cases(), 'affine': affine_cases(mnist),
            'augment': {'seed': 1, 'x': t(mnist), 'theta': t(theta), 'y': t(y)}}
    with open(out, 'w') as f:
        json.dump(data, f, separators=(',', ':'))
        f.write('\n')


if __name__ == '__main__':
    main()
