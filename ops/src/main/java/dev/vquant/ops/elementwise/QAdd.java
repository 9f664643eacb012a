package dev.vquant.ops.elementwise;

import dev.vquant.engine.QParams;
import dev.vquant.engine.spi.EngineNumerics.Family;

/**
 * Quantized add / add_relu (PyTorch's {@code quantized::add}, {@code FloatFunctional.add} after
 * conversion) of two quint8 tensors of the same shape, requantized to the given output qparams.
 * <ul>
 * <li>fbgemm and reference: ATen's kernel ({@link QuantArith}),
 * <pre>c = dq(a) + dq(b)  (ReLU: max(c, 0));  y = clamp(rint(c * f32(1.0f / f32(outScale))) + zOut, 0, 255)</pre>
 * with the fma dequantize on the vector-loop elements and {@code f32(q - zp) * scale} on the
 * scalar tail (the last {@code n mod 128} elements);</li>
 * <li>qnnpack: QNNPACK's fixed-point add ({@link QnnpackAdd}), which differs from the above by
 * one step on a few elements; it refuses scale ratios outside {@code [2^-14, 2^8)} as PyTorch
 * does.</li>
 * </ul>
 * Immutable and thread-safe.
 */
public final class QAdd extends QuantizedBinary {

    /**
     * Starts building a quantized add (PyTorch's {@code quantized::add}); the output
     * qparams are required.
     * <pre>QAdd op = QAdd.builder().output(0.05, 128).relu(true).build();</pre>
     *
     * @return the builder
     */
    public static BinaryBuilder<QAdd> builder() {
        return new BinaryBuilder<>("Add", QAdd::new);
    }

    private QAdd(double outScale, int outZeroPoint, boolean relu, int threads) {
        super("Add", outScale, outZeroPoint, relu, threads);
    }

    @Override
    void checkOperands(QParams.PerTensor qa, QParams.PerTensor qb, Family numerics) {
        if (numerics == Family.QNNPACK) {
            new QnnpackAdd(name(), (float) qa.scale(), qa.zeroPoint(), (float) qb.scale(), qb.zeroPoint(), (float) outScale);
        }
    }

    @Override
    void combine(byte[] x, QParams.PerTensor qa, byte[] y, QParams.PerTensor qb, byte[] out, int start, int end,
                 Family numerics) {
        float sa = (float) qa.scale();
        float sb = (float) qb.scale();
        int za = qa.zeroPoint();
        int zb = qb.zeroPoint();
        if (numerics == Family.QNNPACK) {
            new QnnpackAdd(name(), sa, za, sb, zb, (float) outScale).apply(x, y, out, start, end, outZeroPoint,
                    relu ? outZeroPoint : 0);
            return;
        }
        float pa = QuantArith.premul(sa, za);
        float pb = QuantArith.premul(sb, zb);
        float inv = QuantArith.scalarInverse(outScale);
        int vectorEnd = Math.max(start, Math.min(end, QuantArith.atenVectorEnd(x.length)));
        int i = QuantizedBinaryKernels.atenAdd(x, y, out, start, vectorEnd, sa, pa, sb, pb, inv, outZeroPoint, relu);
        atenBlocksScalar(x, y, out, i, vectorEnd, sa, pa, sb, pb, inv, outZeroPoint, relu);
        for (i = vectorEnd; i < end; i++) {
            float c = QuantArith.dequantizeScalar(x[i] & 0xFF, sa, za) + QuantArith.dequantizeScalar(y[i] & 0xFF, sb, zb);
            out[i] = (byte) QuantArith.quantize(relu ? Math.max(c, 0f) : c, inv, outZeroPoint);
        }
    }

    /**
     * ATen's vector-loop arithmetic on {@code [start, end)}, one element at a time: the reference
     * twin of {@link QuantizedBinaryKernels#atenAdd}, which must equal it bit for bit.
     */
    static void atenBlocksScalar(byte[] x, byte[] y, byte[] out, int start, int end, float sa, float pa, float sb,
                                 float pb, float inv, int zOut, boolean relu) {
        for (int i = start; i < end; i++) {
            float c = QuantArith.dequantize(x[i] & 0xFF, sa, pa) + QuantArith.dequantize(y[i] & 0xFF, sb, pb);
            out[i] = (byte) QuantArith.quantize(relu ? Math.max(c, 0f) : c, inv, zOut);
        }
    }
}
