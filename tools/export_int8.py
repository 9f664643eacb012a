"""Export a PyTorch eager-mode converted (int8) model to the flattened safetensors layout vquant
loads with Quantize.convertFromState (Java: StateDicts.load + Quantize.convertFromState).

Usage from Python:
    import export_int8
    export_int8.export(converted_model, "model_int8.safetensors")
or  python3 tools/export_int8.py MODEL.pt OUT.safetensors   (a torch.save'd converted nn.Module)

For every quantized module name M it writes:
  M.weight             I8   the weight's int_repr, PyTorch's shape ([out, in] or [out, in/g, kh, kw])
  M.weight_scale       F64  [1] per tensor, [out] per channel
  M.weight_zero_point  I64  same length
  M.bias               F32  when the module has a bias
  M.scale, M.zero_point  F64 [1] / I64 [1]: the module's output qparams (Quantize, QFunctional,
                       quantized Linear/Conv; placeholders for dynamic modules)
For a quantized BatchNorm2d / BNReLU2d M it writes M.weight, M.bias, M.running_mean, M.running_var
(F32) and M.scale, M.zero_point.
For a dynamic quantized LSTM M (nnqd.LSTM, unidirectional) it writes, per layer k, PyTorch's names
as nnqd.LSTM._weight_bias() gives them:
  M.weight_ih_l{k}, M.weight_hh_l{k}   I8 with _scale (F64) / _zero_point (I64) companions, as above
  M.bias_ih_l{k}, M.bias_hh_l{k}       F32
(Java: build the float model, Quantize.quantizeDynamic(model, Set.of(LSTM.class), DType.QINT8),
then loadStateDict(StateDicts.load(path)).)
Supported: nnq.Quantize, nnq.Linear/Conv2d, nniq.LinearReLU/ConvReLU2d, nnq.BatchNorm2d,
nniq.BNReLU2d, nnqd.Linear, nnqd.LSTM (not bidirectional: vquant's LSTM has one direction),
QFunctional. Needs only torch and the standard library.
"""
import json
import struct
import sys

import torch


def _quantized(out, key, w):
    """A quantized tensor as its integers plus _scale / _zero_point companions."""
    out[key] = ('I8', w.int_repr().contiguous())
    if w.qscheme() in (torch.per_channel_affine, torch.per_channel_symmetric):
        if w.q_per_channel_axis() != 0:
            raise ValueError(f"{key}: per-channel qparams along axis {w.q_per_channel_axis()}; the layout has axis 0")
        scales = w.q_per_channel_scales().to(torch.float64)
        zps = w.q_per_channel_zero_points().to(torch.int64)
    else:
        scales = torch.tensor([w.q_scale()], dtype=torch.float64)
        zps = torch.tensor([w.q_zero_point()], dtype=torch.int64)
    out[f'{key}_scale'] = ('F64', scales)
    out[f'{key}_zero_point'] = ('I64', zps)


def _dynamic_lstm(out, name, m):
    if m.bidirectional:
        raise ValueError(f"{name}: bidirectional dynamic quantized LSTM export is not supported (vquant's LSTM has one direction)")
    if m.dtype != torch.qint8:
        raise ValueError(f"{name}: dynamic quantized LSTM with dtype {m.dtype}; only qint8 weights are exported")
    wb = m._weight_bias()
    for key, w in wb['weight'].items():
        _quantized(out, f'{name}.{key}', w)
    for key, b in wb['bias'].items():
        if b is not None:
            out[f'{name}.{key}'] = ('F32', b.detach().to(torch.float32).contiguous())


def _tensors(model):
    out = {}
    for name, m in model.named_modules():
        if type(m).__name__ == 'LSTM' and type(m).__module__.startswith('torch.ao.nn.quantized.dynamic'):
            _dynamic_lstm(out, name, m)
            continue
        if type(m).__name__ in ('BatchNorm2d', 'BNReLU2d') and '.quantized' in type(m).__module__:
            for key in ('weight', 'bias', 'running_mean', 'running_var'):
                out[f'{name}.{key}'] = ('F32', getattr(m, key).detach().to(torch.float32).contiguous())
        weight = getattr(m, 'weight', None)
        if callable(weight) and not isinstance(m, torch.nn.Sequential):
            w = weight()
            if isinstance(w, torch.Tensor) and w.is_quantized:
                _quantized(out, f'{name}.weight', w)
                bias = m.bias() if callable(getattr(m, 'bias', None)) else None
                if bias is not None:
                    out[f'{name}.bias'] = ('F32', bias.detach().to(torch.float32).contiguous())
        if hasattr(m, 'scale') and hasattr(m, 'zero_point') and name:
            try:
                scale = float(m.scale)
                zero_point = int(m.zero_point)
            except (TypeError, ValueError, RuntimeError):
                continue
            out[f'{name}.scale'] = ('F64', torch.tensor([scale], dtype=torch.float64))
            out[f'{name}.zero_point'] = ('I64', torch.tensor([zero_point], dtype=torch.int64))
    return out


def _raw(dtype, t):
    t = t.contiguous()
    if dtype == 'I8':
        return t.to(torch.int8).numpy().tobytes()
    if dtype == 'F64':
        return t.to(torch.float64).numpy().astype('<f8').tobytes()
    if dtype == 'I64':
        return t.to(torch.int64).numpy().astype('<i8').tobytes()
    return t.to(torch.float32).numpy().astype('<f4').tobytes()


def export(model, path):
    """Writes the converted model's int8 tensors to a safetensors file at path."""
    tensors = _tensors(model)
    if not tensors:
        raise ValueError("no quantized modules found: convert the model first (torch.ao.quantization.convert)")
    header, blobs, offset = {}, [], 0
    for name in sorted(tensors):
        dtype, t = tensors[name]
        data = _raw(dtype, t)
        header[name] = {'dtype': dtype, 'shape': list(t.shape), 'data_offsets': [offset, offset + len(data)]}
        blobs.append(data)
        offset += len(data)
    text = json.dumps(header, separators=(',', ':')).encode('utf-8')
    text += b' ' * (-len(text) % 8)
    with open(path, 'wb') as f:
        f.write(struct.pack('<Q', len(text)))
        f.write(text)
        for b in blobs:
            f.write(b)


if __name__ == '__main__':
    if len(sys.argv) != 3:
        sys.exit("usage: export_int8.py MODEL.pt OUT.safetensors")
    export(torch.load(sys.argv[1]), sys.argv[2])
