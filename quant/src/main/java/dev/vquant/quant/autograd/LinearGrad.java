package dev.vquant.quant.autograd;

import dev.vquant.quant.Tensor;

/**
 * The backward of {@code y = x W^T + b} (then ReLU when fused) over the last dimension, as
 * {@link dev.vquant.quant.nn.Linear} and the QAT Linears compute it, on the engine's GEMM:
 * {@code dx = dy W}, {@code dW = dy^T x}, {@code db = sum dy} over rows.
 */
public final class LinearGrad {
    private LinearGrad() {
    }

    /**
     * Records {@code y = linear(x, weight, bias)} (ReLU'd when {@code relu}) on {@code tape}.
     *
     * @param tape the tape to record on
     * @param x      the input {@code [..., in]}
     * @param y      the forward's output {@code [..., out]}
     * @param weight the weight tensor {@code [out, in]} (a {@link GradTape#leaf} or a recorded tensor)
     * @param bias   the bias tensor {@code [out]}, or null
     * @param relu   whether the forward applied ReLU (LinearReLU)
     */
    public static void record(GradTape tape, Tensor x, Tensor y, Tensor weight, Tensor bias, boolean relu) {
        int n = weight.dim(0);
        int k = weight.dim(1);
        int m = x.numel() / k;
        float[] xs = x.contiguousFloat("Linear backward").data();
        float[] w = weight.toFloatArray();
        float[] ys = relu ? y.storageFloat("Linear backward").data() : null;
        tape.record(y, (g, needs) -> {
            float[] gy = relu ? Elementwise.maskPositive(g, ys) : g;
            float[][] out = new float[3][];
            if (needs[0]) {
                float[] dx = new float[m * k];
                Gemm.abT(gy, m, n, Gemm.transpose(w, n, k), k, dx);
                out[0] = Layouts.logicalToStorage(x, dx);
            }
            if (needs[1]) {
                float[] dw = new float[n * k];
                Gemm.abT(Gemm.transpose(gy, m, n), n, m, Gemm.transpose(xs, m, k), k, dw);
                out[1] = dw;
            }
            if (needs[2]) {
                float[] db = new float[n];
                Gemm.addColumnSums(gy, m, n, db);
                out[2] = db;
            }
            return out;
        }, x, weight, bias);
    }
}
