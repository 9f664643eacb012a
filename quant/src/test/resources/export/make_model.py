"""Test harness for tools/export_int8.py (run by ExportScriptTest where python3 has torch):
builds a small eager-mode model with fixed seeds, writes its float weights, quantizes it with
PyTorch (qnnpack), exports the int8 model with export_int8.py, and writes an input with PyTorch's
int8 output. Usage: make_model.py TOOLS_DIR OUT_DIR"""
import json
import os
import struct
import sys

import torch
import torch.nn as nn
import torch.ao.quantization as tq

sys.path.insert(0, sys.argv[1])
import export_int8  # noqa: E402

out = sys.argv[2]
torch.manual_seed(7)


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.quant = tq.QuantStub()
        self.conv = nn.Conv2d(1, 4, 3, padding=1)
        self.relu = nn.ReLU()
        self.pool = nn.AdaptiveAvgPool2d(1)
        self.flatten = nn.Flatten()
        self.fc = nn.Linear(4, 3)
        self.dequant = tq.DeQuantStub()

    def forward(self, x):
        return self.dequant(self.fc(self.flatten(self.pool(self.relu(self.conv(self.quant(x)))))))


def write_floats(path, tensors):
    header, blobs, offset = {}, [], 0
    for name in sorted(tensors):
        data = tensors[name].detach().to(torch.float32).contiguous().numpy().astype('<f4').tobytes()
        header[name] = {'dtype': 'F32', 'shape': list(tensors[name].shape), 'data_offsets': [offset, offset + len(data)]}
        blobs.append(data)
        offset += len(data)
    text = json.dumps(header).encode('utf-8')
    text += b' ' * (-len(text) % 8)
    with open(path, 'wb') as f:
        f.write(struct.pack('<Q', len(text)) + text + b''.join(blobs))


model = Net().eval()
write_floats(os.path.join(out, 'float.safetensors'), model.state_dict())
torch.backends.quantized.engine = 'qnnpack'
model.qconfig = tq.get_default_qconfig('qnnpack')
fused = tq.fuse_modules(model, [['conv', 'relu']])
prepared = tq.prepare(fused)
for _ in range(3):
    prepared(torch.rand(4, 1, 6, 6) * 2 - 0.5)
int8 = tq.convert(prepared)
export_int8.export(int8, os.path.join(out, 'int8.safetensors'))
x = torch.rand(2, 1, 6, 6) * 2 - 0.5
y = int8(x)
with open(os.path.join(out, 'io.json'), 'w') as f:
    json.dump({'x': x.flatten().tolist(), 'y_bits': [struct.unpack('<i', struct.pack('<f', v))[0] for v in y.flatten().tolist()]}, f)
