package dev.vquant.ops.convert;

import dev.vquant.engine.FloatTensor;
import dev.vquant.engine.QParams;
import dev.vquant.engine.QTensor;
import dev.vquant.engine.QuantEngine;
import dev.vquant.engine.spi.KernelBackend;
import dev.vquant.ops.core.OutputArena;
import dev.vquant.ops.core.OutputTensors;
import dev.vquant.ops.core.Parallel;
import dev.vquant.ops.core.TensorChecks;
import dev.vquant.ops.core.Threads;

/**
 * The DeQuantize step ({@code nn.quantized.DeQuantize}): quint8/qint8 to float32,
 * {@code x = f32(q - zp) * scale}, per tensor or per channel, on the engine's kernels. Same
 * shape. Immutable and thread-safe.
 */
public final class DeQuantize {
    private static final String NAME = "DeQuantize";
    private static final int GRAIN = 1 << 15;

    private final int threads;

    /**
     * A DeQuantize step.
     *
     * @param threads threads, 0 for {@link Threads#get()}
     * @throws IllegalArgumentException for a negative thread count
     */
    public DeQuantize(int threads) {
        this.threads = TensorChecks.threads(NAME, threads);
    }

    /**
     * The operator's name.
     *
     * @return {@code "DeQuantize"}
     */
    public String name() {
        return NAME;
    }

    /**
     * {@link #forward(QTensor, KernelBackend)} on the current engine.
     *
     * @param x the quantized tensor
     * @return a new float32 tensor of the same shape
     * @throws IllegalArgumentException as {@link #forward(QTensor, KernelBackend)}
     */
    public FloatTensor forward(QTensor x) {
        return forward(x, QuantEngine.current());
    }

    /**
     * The real values of {@code x}, per tensor or per channel along any axis.
     *
     * @param x      the quantized tensor (quint8 or qint8)
     * @param engine the kernel backend
     * @return a new float32 tensor of the same shape
     * @throws IllegalArgumentException naming the operator for a null input or engine, or a qint32 tensor
     */
    public FloatTensor forward(QTensor x, KernelBackend engine) {
        TensorChecks.notNull(NAME, "input", x);
        TensorChecks.engine(NAME, engine);
        if (!x.dtype().isByte()) {
            throw new IllegalArgumentException(NAME + ": expected a quint8 or qint8 tensor, got " + x.dtype());
        }
        byte[] q = x.bytes();
        float[] out = OutputArena.floats(q.length);
        QParams p = x.qparams();
        if (p instanceof QParams.PerChannel pc) {
            int[] shape = x.shape();
            int outer = 1;
            for (int i = 0; i < pc.axis(); i++) {
                outer *= shape[i];
            }
            int inner = q.length / Math.max(1, outer * pc.count());
            engine.quantize().dequantizePerChannel(q, out, outer, pc.count(), inner, pc.scales(), pc.zeroPoints(),
                    x.dtype());
        } else {
            float s = (float) p.scale(0);
            int zp = p.zeroPoint(0);
            int t = q.length < 2 * GRAIN ? 1 : Threads.resolve(threads);
            if (Parallel.inline(q.length, t, GRAIN)) { // one range: no capturing lambda per call
                engine.quantize().dequantize(q, 0, out, 0, q.length, s, zp, x.dtype());
            } else {
                Parallel.forRange(q.length, t, GRAIN, (st, e) ->
                        engine.quantize().dequantize(q, st, out, st, e - st, s, zp, x.dtype()));
            }
        }
        return OutputTensors.floatsLike(out, x);
    }

    /**
     * Untyped entry: a float input gets a hint that it is not quantized.
     *
     * @param x the input, expected to be a {@link QTensor}
     * @return a new float32 tensor of the same shape
     * @throws IllegalArgumentException for anything but a quantized tensor, else as {@link #forward(QTensor)}
     */
    public FloatTensor apply(Object x) {
        if (x instanceof FloatTensor f) {
            throw new IllegalArgumentException(NAME + ": expected a quantized tensor, got a float tensor "
                    + java.util.Arrays.toString(f.shape()) + "; remove this DeQuantize step or insert a Quantize before it");
        }
        return forward(TensorChecks.quantized(NAME, x));
    }
}
