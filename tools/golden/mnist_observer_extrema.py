"""Writes quant/src/test/resources/mnist/pytorch_observers.json: after PyTorch's static PTQ
calibration of the MNIST CNNs (../shared/mnist recipe: fuse, default qconfig, 5 batches of 100
calibration images in file order), each output observer's min_val / max_val (float32 bits), once
with PyTorch's default float convolutions (oneDNN, "mkldnn") and once with them disabled
(torch._C._set_mkldnn_enabled(False): THNN im2col + GEMM), and whether the converted module's
output qparams then equal ../shared/mnist/qparams.json. MnistPtqTest prints vquant's extrema beside
these, in ulps, where its qparams differ. Needs PyTorch 1.13 (Debian python3-torch) and
../shared/mnist (models.py, st_io.py, the float weights, the calibration images).
Usage: mnist_observer_extrema.py MNIST_DIR OUT_JSON"""
import json
import struct
import sys

import numpy as np
import torch
import torch.ao.quantization as tq

SPEC = {'cnn': (16, 32, 64), 'cnn_tiny': (4, 8, 16), 'cnn_micro': (2, 4, 8)}


def bits(x):
    return struct.unpack('<i', struct.pack('<f', float(x)))[0]


def main(mnist, out_path):
    sys.path.insert(0, mnist)
    from models import QuantCNN
    import st_io
    raw = open(f'{mnist}/calibration-images-idx3-ubyte', 'rb').read()
    n = struct.unpack('>i', raw[4:8])[0]
    xc = torch.tensor(np.frombuffer(raw[16:], dtype=np.uint8).reshape(n, 1, 28, 28).astype(np.float32)) / 255.0
    qparams = json.load(open(f'{mnist}/qparams.json'))
    out = {}
    for model in SPEC:
        for qc in ('qnnpack', 'onednn', 'fbgemm'):
            key = f'{model}|static_ptq|{qc}'
            entry = {}
            for backend, enabled in (('onednn', True), ('thnn', False)):
                torch._C._set_mkldnn_enabled(enabled)
                m = QuantCNN(*SPEC[model])
                m.load_state_dict({k: torch.as_tensor(v) for k, v in st_io.load(f'{mnist}/{model}_float.safetensors')[0].items()})
                m.eval()
                m.fuse_model()
                m.qconfig = tq.get_default_qconfig(qc)
                tq.prepare(m, inplace=True)
                with torch.no_grad():
                    for i in range(0, n, 100):
                        m(xc[i:i + 100])
                observers = {name: mod.activation_post_process for name, mod in m.named_modules()
                             if hasattr(mod, 'activation_post_process') and name in qparams[key]}
                converted = tq.convert(m)
                for name, o in observers.items():
                    q = converted.get_submodule(name)
                    want = qparams[key][name]
                    entry.setdefault(name, {})[backend] = {
                        'min_bits': bits(o.min_val), 'max_bits': bits(o.max_val),
                        'qparams_equal_qparams_json': float(q.scale) == want['out_scale']
                        and int(q.zero_point) == want['out_zero_point']}
            out[key] = entry
    torch._C._set_mkldnn_enabled(True)
    meta = {'description': (
        "Per model|static_ptq|qconfig and module: PyTorch's observer min_val/max_val (float32 bits) after "
        "calibration with oneDNN float convolutions (PyTorch's default) and with THNN im2col+GEMM ones, and "
        "whether the converted output qparams equal qparams.json."), 'torch': torch.__version__,
        'generator': 'tools/golden/mnist_observer_extrema.py'}
    with open(out_path, 'w') as f:
        json.dump({'meta': meta, 'models': out}, f, indent=1)


if __name__ == '__main__':
    main(sys.argv[1], sys.argv[2])
