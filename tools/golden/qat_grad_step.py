#!/usr/bin/env python3
"""Writes quant/src/test/resources/mnist/qat_grad/cnn_micro_<qc>.safetensors: one QAT gradient step of
PyTorch 1.13 on cnn_micro, as quant_eval.py's qat() prepares it, for the golden gradient test
(QatGradStepTest).

cnn_micro's float weights, train(), fuse_model(is_qat=True), get_default_qat_qconfig(qc), prepare_qat;
then 3 calibration forwards in train mode (observers on, BN statistics live) on calibration images
0..95 (batches of 32). The state at that point is `state.*` (the starting point of both steps). Then,
each from that state, forward + cross_entropy + backward on calibration images 96..111 (`batch`,
uint8 pixels, /255 as train.py; `labels`):
  a: observers on, BN live (as epoch 1 of the recipe)       -> a.loss, a.logits, a.grad.<param>, a.after.<buffer>
  b: disable_observer + freeze_bn_stats (epoch 2 of it)     -> b.loss, b.logits, b.grad.<param>
`a.after.*` are the buffers after step a's forward (BN running statistics, observer ranges, qparams).
Needs python3-torch (Debian's 1.13); the Java tests do not.

Usage: /usr/bin/python3 tools/golden/qat_grad_step.py MNIST_DIR OUT_DIR   (MNIST_DIR: ../shared/mnist)
"""
import copy
import os
import sys
import warnings

import numpy as np
import torch
import torch.ao.quantization as tq
import torch.nn.functional as F

warnings.filterwarnings('ignore')


def idx_images(path):
    raw = open(path, 'rb').read()
    n, h, w = (int.from_bytes(raw[o:o + 4], 'big') for o in (4, 8, 12))
    return np.frombuffer(raw, np.uint8, n * h * w, 16).reshape(n, 1, h, w)


def idx_labels(path):
    raw = open(path, 'rb').read()
    n = int.from_bytes(raw[4:8], 'big')
    return np.frombuffer(raw, np.uint8, n, 8).astype(np.int64)


def as_np(v):
    v = v.detach().clone()   # numpy() shares memory: later in-place buffer updates must not reach the saved copy
    return (v.float() if v.is_floating_point() else v.to(torch.int64)).numpy()


def step(model, x, y, prefix, out, params=True):
    logits = model(x)
    loss = F.cross_entropy(logits, y)
    model.zero_grad(set_to_none=True)
    loss.backward()
    out[prefix + 'loss'] = np.array([loss.item()], '<f4')
    out[prefix + 'logits'] = as_np(logits)
    for n, p in model.named_parameters():
        out[prefix + 'grad.' + n] = as_np(p.grad)
    return loss.item()


def main(mnist, outdir, qc):
    sys.path.insert(0, mnist)
    from models import QuantCNN
    import st_io
    torch.set_num_threads(1)
    fm = QuantCNN(c1=2, c2=4, c3=8)
    floats, _ = st_io.load(os.path.join(mnist, 'cnn_micro_float.safetensors'))
    fm.load_state_dict({k: torch.from_numpy(np.array(v)) for k, v in floats.items()})
    m = copy.deepcopy(fm).train()
    m.fuse_model(is_qat=True)
    m.qconfig = tq.get_default_qat_qconfig(qc)
    tq.prepare_qat(m, inplace=True)
    images = torch.from_numpy(idx_images(os.path.join(mnist, 'calibration-images-idx3-ubyte')).copy())
    labels = torch.from_numpy(idx_labels(os.path.join(mnist, 'calibration-labels-idx1-ubyte')).copy())
    with torch.no_grad():
        for i in range(0, 96, 32):
            m(images[i:i + 32].float().div(255.0))
    start = copy.deepcopy(m.state_dict())
    out = {'state.' + k: as_np(v) for k, v in start.items()}
    xb, yb = images[96:112], labels[96:112]
    out['batch'] = xb.numpy()
    out['labels'] = yb.numpy()
    x = xb.float().div(255.0)
    la = step(m, x, yb, 'a.', out)
    names = {n for n, _ in m.named_parameters()}
    for k, v in m.state_dict().items():
        if k not in names:
            out['a.after.' + k] = as_np(v)
    m.load_state_dict(start)
    m.train()
    m.apply(torch.nn.intrinsic.qat.freeze_bn_stats)
    m.apply(tq.disable_observer)
    lb = step(m, x, yb, 'b.', out)
    os.makedirs(outdir, exist_ok=True)
    path = os.path.join(outdir, f'cnn_micro_{qc}.safetensors')
    st_io.save(path, out, {'model': 'cnn_micro', 'qconfig': qc, 'torch': torch.__version__,
                           'what': 'QAT gradient step golden: see tools/golden/qat_grad_step.py'})
    print(qc, 'loss a', la, 'b', lb, path, os.path.getsize(path), 'bytes')


if __name__ == '__main__':
    for qc in ('fbgemm', 'qnnpack'):
        main(sys.argv[1], sys.argv[2], qc)
