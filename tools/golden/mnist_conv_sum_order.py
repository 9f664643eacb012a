"""Where cnn's res.conv1 calibration sum depends on summation order (diagnostic for MnistPtqTest):
finds the largest res.conv1 output over PyTorch's calibration (oneDNN float convolution), and sums
that output element in float64 and in float32 fused multiply-adds in a few orders.
Usage: mnist_conv_sum_order.py MNIST_DIR"""
import sys, struct, numpy as np, torch, torch.ao.quantization as tq
sys.path.insert(0, sys.argv[1])
from models import QuantCNN
import st_io
raw = open(sys.argv[1] + '/calibration-images-idx3-ubyte', 'rb').read()
xc = torch.tensor(np.frombuffer(raw[16:], dtype=np.uint8).reshape(-1, 1, 28, 28).astype(np.float32)) / 255.0
m = QuantCNN(16, 32, 64); m.load_state_dict({k: torch.as_tensor(v) for k, v in st_io.load(sys.argv[1] + '/cnn_float.safetensors')[0].items()}); m.eval(); m.fuse_model()
conv = m.res.conv1[0][0]
W = conv.weight.detach().numpy(); B = conv.bias.detach().numpy()
best = (-1, None)
with torch.no_grad():
    for i in range(0, 500, 100):
        x = m.stem2(m.stem1(xc[i:i+100]))
        y = m.res.conv1[0](x)
        v, idx = y.flatten().max(0)
        if v.item() > best[0]:
            n, c, h, w = np.unravel_index(idx.item(), y.shape)
            best = (v.item(), (i + n, c, h, w), x[n].numpy().copy())
v, (n, c, h, w), xin = best
print('PyTorch (oneDNN) max', repr(np.float32(v)), 'at image', n, 'channel', c, 'pos', h, w)
xp = np.pad(xin, ((0, 0), (1, 1), (1, 1)))
patch = xp[:, h:h+3, w:w+3]            # [ic, kh, kw]
terms = (W[c].astype(np.float64) * patch.astype(np.float64))
exact = terms.sum() + np.float64(B[c])
print('float64 exact', repr(exact), '-> float32', repr(np.float32(exact)))
def fma_seq(ws, xs, init):
    acc = np.float32(init)
    for wv, xv in zip(ws, xs):
        acc = np.float32(np.float64(wv) * np.float64(xv) + np.float64(acc))  # fma (exact product, one rounding; double rounding negligible here)
    return acc
wf, xf = W[c], patch
ic = wf.shape[0]
blk = [list(range(b, min(b + 16, ic))) for b in range(0, ic, 16)]
icb_tap_ic = [(i, kh, kw) for bl in blk for kh in range(3) for kw in range(3) for i in bl]
tap_icb_ic = [(i, kh, kw) for kh in range(3) for kw in range(3) for bl in blk for i in bl]
orders = {
 'oneDNN-like (16-ic blocks, kh, kw, ic), bias last': (np.array([wf[t] for t in icb_tap_ic]), np.array([xf[t] for t in icb_tap_ic]), 0.0, True),
 'oneDNN-like (16-ic blocks, kh, kw, ic), bias first': (np.array([wf[t] for t in icb_tap_ic]), np.array([xf[t] for t in icb_tap_ic]), B[c], False),
 '(kh, kw, 16-ic blocks, ic), bias first': (np.array([wf[t] for t in tap_icb_ic]), np.array([xf[t] for t in tap_icb_ic]), B[c], False),
 'ic-major (ic, kh, kw), bias last': (wf.reshape(-1), xf.reshape(-1), 0.0, True),
 'tap-major (kh, kw, ic), bias last': (wf.transpose(1, 2, 0).reshape(-1), xf.transpose(1, 2, 0).reshape(-1), 0.0, True),
 'ic-major, bias first': (wf.reshape(-1), xf.reshape(-1), B[c], False),
 'tap-major, bias first': (wf.transpose(1, 2, 0).reshape(-1), xf.transpose(1, 2, 0).reshape(-1), B[c], False),
}
for k, (ws, xs, init, biaslast) in orders.items():
    r = fma_seq(ws, xs, init)
    if biaslast: r = np.float32(r + B[c])
    print(f'{k:40s}', repr(r))
