"""Test harness for tools/export_int8.py's dynamic LSTM export (run by ExportScriptTest where
python3 has torch): a 2-layer LSTM (5 -> 7) with fixed seeds, quantized dynamically by PyTorch
(qnnpack; per-tensor qint8 weights), exported with export_int8.py; writes an input [T=4, B=3, 5]
with PyTorch's output, h_n and c_n (float32 bits). Usage: make_lstm.py TOOLS_DIR OUT_DIR"""
import json
import os
import struct
import sys

import torch
import torch.nn as nn

sys.path.insert(0, sys.argv[1])
import export_int8  # noqa: E402

out = sys.argv[2]
torch.manual_seed(11)


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.lstm = nn.LSTM(5, 7, num_layers=2)

    def forward(self, x):
        return self.lstm(x)


def bits(t):
    return [struct.unpack('<i', struct.pack('<f', v))[0] for v in t.flatten().tolist()]


torch.backends.quantized.engine = 'qnnpack'
model = Net().eval()
int8 = torch.ao.quantization.quantize_dynamic(model, {nn.LSTM}, dtype=torch.qint8)
export_int8.export(int8, os.path.join(out, 'lstm_int8.safetensors'))
x = torch.randn(4, 3, 5)
y, (h, c) = int8(x)
with open(os.path.join(out, 'lstm_io.json'), 'w') as f:
    json.dump({'x': x.flatten().tolist(), 'y_bits': bits(y), 'h_bits': bits(h), 'c_bits': bits(c)}, f)
