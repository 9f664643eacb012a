package dev.vquant.ops.elementwise;

import dev.vquant.engine.DType;
import dev.vquant.engine.QParams;
import dev.vquant.engine.QTensor;
import dev.vquant.ops.core.TensorChecks;

import java.util.List;

/**
 * Quantized concatenation (PyTorch's {@code quantized::cat}, {@code FloatFunctional.cat} after
 * conversion) of quint8 tensors along {@code dim} (for NHWC activations the channel axis is 3),
 * into the given output qparams. An input whose qparams equal the output's is copied; any other
 * is requantized element by element, {@code y = quantize(dq(q))} with {@link QuantArith}'s
 * dequantize and {@code f32(1.0f / outScale)}: PyTorch's NHWC channel-concat kernel. Its generic
 * path (other axes) dequantizes as {@code f32(q - zp) * scale} without fma, which can move a value
 * lying at a rounding tie by one step. Immutable and thread-safe.
 */
public final class QCat {
    private static final String NAME = "Cat";

    private final int dim;
    private final double outScale;
    private final int outZeroPoint;

    /**
     * @param dim          the dimension to concatenate along ({@code >= 0})
     * @param outScale     output scale
     * @param outZeroPoint output zero point (quint8)
     * @throws IllegalArgumentException naming the operator for a negative dimension or invalid
     *                                  output qparams
     */
    public QCat(int dim, double outScale, int outZeroPoint) {
        if (dim < 0) {
            throw new IllegalArgumentException(NAME + ": dimension must be >= 0, got " + dim);
        }
        TensorChecks.outputQParams(NAME, outScale, outZeroPoint);
        this.dim = dim;
        this.outScale = outScale;
        this.outZeroPoint = outZeroPoint;
    }

    /**
     * Concatenates {@code inputs} (each requantized to the output qparams unless it already has them).
     *
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
        byte[] out = new byte[outer * total * inner];
        float inv = 1.0f / (float) outScale;
        int offset = 0;
        for (QTensor t : inputs) {
            QParams.PerTensor q = (QParams.PerTensor) t.qparams();
            int block = t.dim(dim) * inner;
            byte[] src = t.bytes();
            boolean same = (float) q.scale() == (float) outScale && q.zeroPoint() == outZeroPoint;
            byte[] table = same ? null : requantTable(q, inv);
            for (int o = 0; o < outer; o++) {
                int dst = o * total * inner + offset;
                if (same) {
                    System.arraycopy(src, o * block, out, dst, block);
                } else {
                    for (int i = 0; i < block; i++) {
                        out[dst + i] = table[src[o * block + i] & 0xFF];
                    }
                }
            }
            offset += block;
        }
        int[] shape = cs.outShape();
        return QTensor.of(out, shape, QParams.perTensor(outScale, outZeroPoint, DType.QUINT8));
    }

    private byte[] requantTable(QParams.PerTensor q, float inv) {
        float s = (float) q.scale();
        float premul = QuantArith.premul(s, q.zeroPoint());
        return UnaryTable.build(v -> QuantArith.quantize(QuantArith.dequantize(v, s, premul), inv, outZeroPoint));
    }
}
