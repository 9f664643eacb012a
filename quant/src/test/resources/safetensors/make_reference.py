# Writes reference_0.8.0.safetensors with Hugging Face's safetensors library (0.8.0, numpy API):
# the bytes SafeTensorsWriterTest expects vquant's writer to reproduce. Byte j of the k-th tensor
# below is (31*k + 7*j + 3) & 0xFF (BOOL: j % 2). Run: python3 make_reference.py (needs safetensors, numpy).
import numpy as np
from safetensors.numpy import save

SPECS = [
    ("model.embed.weight", "<f4", [3, 4]), ("scale", "<f8", [2]), ("half", "<f2", [2, 3]), ("steps", "<i8", []),
    ("idx", "<i4", [5]), ("s16", "<i2", [3]), ("u16", "<u2", [2]), ("u32", "<u4", [1]), ("u64", "<u8", [2]),
    ("q.weight", "i1", [2, 2, 1, 1]), ("pixels", "u1", [7]), ("mask", "?", [3]), ("empty", "<f4", [0, 3]),
    ("c\n\u00e9\u0001\U0001F600", "u1", [1]), ("\uffff", "u1", [1]), ("\U0001F600", "u1", [1]),
    ("quote\"back\\slash/", "i1", [1]),
]
tensors = {}
for k, (name, dt, shape) in enumerate(SPECS):
    dtype = np.dtype(dt)
    n = int(np.prod(shape)) * dtype.itemsize
    raw = bytes((j % 2) if dt == "?" else (31 * k + 7 * j + 3) & 0xFF for j in range(n))
    tensors[name] = np.frombuffer(raw, dtype).reshape(shape)
with open("reference_0.8.0.safetensors", "wb") as f:
    f.write(save(tensors, metadata={"format": "pt\t\u007f\"\\/\u00e9"}))
