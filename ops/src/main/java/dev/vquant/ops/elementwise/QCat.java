package dev.vquant.ops.elementwise;

import dev.vquant.engine.DType;
import dev.vquant.engine.QParams;
import dev.vquant.engine.QTensor;
import dev.vquant.ops.core.OutputArena;
import dev.vquant.ops.core.TensorChecks;

import java.util.List;
import java.util.function.IntUnaryOperator;

/**
 * Quantized concatenation (PyTorch's {@code quantized::cat}, {@code FloatFunctional.cat} after
 * conversion) of quint8 tensors along {@code dim} (for NHWC activations the channel axis is 3),
 * into the given output qparams, with ATen's arithmetic (PyTorch's qnnpack engine has no cat of
 * its own, so this holds on every engine):
 * <ul>
 * <li>4-D inputs along the channel axis (ATen's channels-last kernel): per pixel and input, an
 * input whose scale and zero point equal the output's is copied; otherwise its first
 * {@code 64*floor(C/64)} channels, then {@code 16*floor(rest/16)} more, are requantized as
 * {@code quantize(fma dequantize, f32(1.0 / outScale))} (AVX-512 vector loops) and the remaining
 * channels as {@code quantize(f32(q - zp) * scale, 1.0f / f32(outScale))};</li>
 * <li>any other axis (ATen's generic path: dequantize, cat, quantize): every element as the
 * scalar form above.</li>
 * </ul>
 * See {@link QuantArith}. Immutable and thread-safe.
 */
public final class QCat {
    private static final String NAME = "Cat";

    private final int dim;
    private final double outScale;
    private final int outZeroPoint;

    private QCat(int dim, double outScale, int outZeroPoint) {
        if (dim < 0) {
            throw new IllegalArgumentException(NAME + ": dimension must be >= 0, got " + dim);
        }
        TensorChecks.outputQParams(NAME, outScale, outZeroPoint);
        this.dim = dim;
        this.outScale = outScale;
        this.outZeroPoint = outZeroPoint;
    }

    /**
     * Starts a quantized concatenation along {@code dim} (PyTorch's {@code dim}; 3 is the
     * channel axis of NHWC activations); the output qparams are required.
     * <pre>QCat cat = QCat.builder(3).output(0.05, 128).build();</pre>
     *
     * @param dim the dimension to concatenate along ({@code >= 0}, checked by {@code build()})
     * @return the builder
     */
    public static Builder builder(int dim) {
        return new Builder(dim);
    }

    /** Options of a {@link QCat}: the dimension and the required quint8 output qparams. */
    public static final class Builder {
        private final int dim;
        private double outScale;
        private int outZeroPoint;
        private boolean outputSet;

        private Builder(int dim) {
            this.dim = dim;
        }

        /**
         * The quint8 output scale and zero point (required: PyTorch's {@code scale} and
         * {@code zero_point}).
         *
         * @param scale     output scale
         * @param zeroPoint output zero point, 0..255
         * @return this builder
         */
        public Builder output(double scale, int zeroPoint) {
            this.outScale = scale;
            this.outZeroPoint = zeroPoint;
            this.outputSet = true;
            return this;
        }

        /**
         * The operator.
         *
         * @return the concatenation
         * @throws IllegalArgumentException naming the operator for a negative dimension, output
         *                                  qparams never set (naming {@code output(scale, zeroPoint)})
         *                                  or invalid ones
         */
        public QCat build() {
            TensorChecks.outputSet(NAME, outputSet);
            return new QCat(dim, outScale, outZeroPoint);
        }
    }

    /**
     * Concatenates {@code inputs} (each requantized to the output qparams unless it already has them).
     *
     * @param inputs the per-tensor quint8 tensors, in order
     * @return a new quint8 tensor in the output qparams, the inputs one after the other along {@code dim}
     * @throws IllegalArgumentException naming the operator for a null or empty list, a null input,
     *                                  an input that is not a per-tensor quint8 tensor, shapes that
     *                                  differ off {@code dim} or have no dimension {@code dim}, or an
     *                                  output over {@code 2^31-1} elements
     */
    public QTensor forward(List<QTensor> inputs) {
        if (inputs == null || inputs.isEmpty()) {
            throw new IllegalArgumentException(NAME + ": expected at least one input tensor");
        }
        for (QTensor t : inputs) {
            TensorChecks.quint8PerTensor(NAME, t);
        }
        CatShape cs = CatShape.of(NAME, dim, inputs.stream().map(QTensor::shape).toList());
        int outer = cs.outer();
        int inner = cs.inner();
        int total = cs.total();
        byte[] out = OutputArena.bytes(outer * total * inner);
        // ATen's channels-last fast path: 4-D, concatenating channels (NHWC's last axis)
        boolean channelsLast = cs.outShape().length == 4 && dim == 3;
        int offset = 0;
        for (QTensor t : inputs) {
            QParams.PerTensor q = (QParams.PerTensor) t.qparams();
            int block = t.dim(dim) * inner;
            byte[] src = t.bytes();
            boolean copy = channelsLast && q.scale() == outScale && q.zeroPoint() == outZeroPoint;
            byte[] scalar = UnaryTable.build(scalarRequant(q));
            byte[] vector = UnaryTable.build(vectorRequant(q));
            // channels [0, vectorChannels) go through ATen's vector loops on the channels-last path
            int vectorChannels = channelsLast ? vectorChannels(block) : 0;
            for (int o = 0; o < outer; o++) {
                int dst = o * total * inner + offset;
                if (copy) {
                    System.arraycopy(src, o * block, out, dst, block);
                    continue;
                }
                for (int i = 0; i < block; i++) {
                    out[dst + i] = (i < vectorChannels ? vector : scalar)[src[o * block + i] & 0xFF];
                }
            }
            offset += block;
        }
        int[] shape = cs.outShape();
        return QTensor.of(out, shape, QParams.perTensor(outScale, outZeroPoint, DType.QUINT8));
    }

    /** Channels ATen's AVX-512 loops handle: whole 64-wide vectors, then whole 16-float vectors. */
    private static int vectorChannels(int channels) {
        int v = channels / 64 * 64;
        int rest = channels - v;
        return rest >= 16 ? v + rest / 16 * 16 : v;
    }

    private IntUnaryOperator scalarRequant(QParams.PerTensor q) {
        float s = (float) q.scale();
        int zp = q.zeroPoint();
        float inv = QuantArith.scalarInverse(outScale);
        return v -> QuantArith.quantize(QuantArith.dequantizeScalar(v, s, zp), inv, outZeroPoint);
    }

    private IntUnaryOperator vectorRequant(QParams.PerTensor q) {
        float s = (float) q.scale();
        float premul = QuantArith.premul(s, q.zeroPoint());
        float inv = (float) (1.0 / outScale);
        return v -> QuantArith.quantize(QuantArith.dequantize(v, s, premul), inv, outZeroPoint);
    }
}
