package dev.vquant.x86.qgemm;

import dev.vquant.engine.spi.FloatOutput;
import dev.vquant.engine.spi.Requantization;
import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The fused GEMM epilogue, 512-bit: turns a raw tile ({@code rows x 32} sums of
 * {@code A * (W + 128)}, row stride 32) into exact accumulators
 * {@code acc = raw - (zW[j] + 128) * rowSum[i] - zA * colAdj[j]} (see {@link PackedQGemmPanels})
 * and writes them, or their requantized / float form, for the columns of {@code [nStart, nEnd)}
 * that fall in the panel starting at column {@code col}. Partial vectors use masked stores, so no
 * element outside the range is written.
 *
 * <p>Requantization ({@link Requantization.Mode#FLOAT_BIAS}, {@link Requantization.Mode#INT_BIAS}) is
 * the vector chain I2F, bias, multiply, clamp to {@code [qmin - zOut, qmax - zOut]} in float,
 * round half to even with {@code (v + 1.5*2^23) - 1.5*2^23}, F2I, add {@code zOut}, narrow. It is
 * bit-exact with {@link Requantization#apply}: clamping to integer bounds commutes with rint, and
 * after the clamp {@code |v| <= 255}, far inside the trick's {@code |v| < 2^22} domain (the clamp
 * also maps infinities to the bounds, as the scalar rule does; NaN cannot arise from finite
 * parameters). {@link Requantization.Mode#FIXED_POINT} calls {@link Requantization#apply} per element.
 * Float output uses {@link FloatVector#fma} (single rounding) or multiply then add, as
 * {@link FloatOutput#apply}.
 */
final class QGemmOutputV512 {
    static final VectorSpecies<Integer> SI = IntVector.SPECIES_512;
    static final VectorSpecies<Float> SF = FloatVector.SPECIES_512;
    static final VectorSpecies<Byte> SB = ByteVector.SPECIES_128;
    static final int L = 16;
    static final int NR = 2 * L;
    private static final float ROUND = 0x1.8p23f;

    private QGemmOutputV512() {
    }

    static void toInt32(int[] tile, int rows, int[] rowSum, PackedQGemmPanels w, int zA, int col, int nStart,
                        int nEnd, int[] c, int cRow, int ldc) {
        for (int v = 0; v < 2; v++) {
            int j = col + v * L;
            if (j >= nEnd || j + L <= nStart) {
                continue;
            }
            boolean full = j >= nStart && j + L <= nEnd;
            VectorMask<Integer> in = SI.indexInRange(j - nStart, nEnd - nStart);
            IntVector zb = IntVector.fromArray(SI, w.zeroPointPlus128(), j);
            IntVector corr = IntVector.fromArray(SI, w.colAdj(), j).mul(zA);
            for (int r = 0; r < rows; r++) {
                IntVector acc = IntVector.fromArray(SI, tile, r * NR + v * L).sub(zb.mul(rowSum[r])).sub(corr);
                if (full) {
                    acc.intoArray(c, cRow + r * ldc + j);
                } else {
                    acc.intoArray(c, cRow + r * ldc + j, in);
                }
            }
        }
    }

    static void toQuint8(int[] tile, int rows, int[] rowSum, PackedQGemmPanels w, int zA, int col, int nStart,
                         int nEnd, Requantization rq, byte[] c, int cRow, int ldc, int[] lane) {
        if (rq.mode() == Requantization.Mode.FIXED_POINT) {
            toQuint8Scalar(tile, rows, rowSum, w, zA, col, nStart, nEnd, rq, c, cRow, ldc, lane);
            return;
        }
        // the unused bias reads zeros, so both float modes are one expression (adding +0f changes no
        // value an I2F can produce)
        boolean intBias = rq.mode() == Requantization.Mode.INT_BIAS;
        int[] iBias = intBias ? rq.intBias() : w.zeroInts();
        float[] fBias = intBias ? w.zeroFloats() : rq.biasOverScale();
        for (int v = 0; v < 2; v++) {
            int j = col + v * L;
            if (j >= nEnd || j + L <= nStart) {
                continue;
            }
            boolean full = j >= nStart && j + L <= nEnd;
            for (int r = 0; r < rows; r++) {
                requantize(tile, r * NR + v * L, rowSum[r], w, zA, j, iBias, fBias, rq, c, cRow + r * ldc + j, full,
                        nStart, nEnd);
            }
        }
    }

    /**
     * One vector of quint8 outputs (columns {@code j..j+L}) from raw sums at {@code tile[t..]}. No
     * vector crosses a method boundary or a branch: every per-column vector is loaded here (from
     * L1), which kept C2 from boxing intermediates in every JIT profile tried.
     */
    private static void requantize(int[] tile, int t, int rowSum, PackedQGemmPanels w, int zA, int j, int[] iBias,
                                   float[] fBias, Requantization rq, byte[] c, int o, boolean full, int nStart,
                                   int nEnd) {
        float lo = rq.qmin() - rq.outZeroPoint();
        float hi = rq.qmax() - rq.outZeroPoint();
        VectorMask<Integer> in = SI.indexInRange(j - nStart, nEnd - nStart);
        VectorMask<Float> inF = SF.indexInRange(j - nStart, nEnd - nStart);
        IntVector acc = IntVector.fromArray(SI, tile, t)
                .sub(IntVector.fromArray(SI, w.zeroPointPlus128(), j).mul(rowSum))
                .sub(IntVector.fromArray(SI, w.colAdj(), j).mul(zA))
                .add(IntVector.fromArray(SI, iBias, j, in));
        FloatVector f = ((FloatVector) acc.convertShape(VectorOperators.I2F, SF, 0))
                .add(FloatVector.fromArray(SF, fBias, j, inF))
                .mul(FloatVector.fromArray(SF, rq.multiplier(), j, inF))
                .max(lo).min(hi).add(ROUND).sub(ROUND);
        ByteVector out = (ByteVector) ((IntVector) f.convertShape(VectorOperators.F2I, SI, 0)).add(rq.outZeroPoint())
                .convertShape(VectorOperators.I2B, SB, 0);
        if (full) {
            out.intoArray(c, o);
        } else {
            out.intoArray(c, o, SB.indexInRange(j - nStart, nEnd - nStart));
        }
    }

    /** Fixed-point (gemmlowp) requantization: exact accumulators per vector, then the scalar rule. */
    private static void toQuint8Scalar(int[] tile, int rows, int[] rowSum, PackedQGemmPanels w, int zA, int col,
                                       int nStart, int nEnd, Requantization rq, byte[] c, int cRow, int ldc,
                                       int[] lane) {
        for (int v = 0; v < 2; v++) {
            int j = col + v * L;
            if (j >= nEnd || j + L <= nStart) {
                continue;
            }
            int from = Math.max(j, nStart) - j;
            int to = Math.min(j + L, nEnd) - j;
            IntVector zb = IntVector.fromArray(SI, w.zeroPointPlus128(), j);
            IntVector corr = IntVector.fromArray(SI, w.colAdj(), j).mul(zA);
            for (int r = 0; r < rows; r++) {
                IntVector.fromArray(SI, tile, r * NR + v * L).sub(zb.mul(rowSum[r])).sub(corr).intoArray(lane, 0);
                int o = cRow + r * ldc + j;
                for (int l = from; l < to; l++) {
                    c[o + l] = (byte) rq.apply(lane[l], j + l);
                }
            }
        }
    }

    static void toFloat(int[] tile, int rows, int[] rowSum, PackedQGemmPanels w, int zA, int col, int nStart,
                        int nEnd, FloatOutput fo, float[] c, int cRow, int ldc) {
        boolean fused = fo.fused();
        boolean relu = fo.relu();
        for (int v = 0; v < 2; v++) {
            int j = col + v * L;
            if (j >= nEnd || j + L <= nStart) {
                continue;
            }
            boolean full = j >= nStart && j + L <= nEnd;
            VectorMask<Integer> in = SI.indexInRange(j - nStart, nEnd - nStart);
            VectorMask<Float> inF = SF.indexInRange(j - nStart, nEnd - nStart);
            IntVector zb = IntVector.fromArray(SI, w.zeroPointPlus128(), j);
            IntVector corr = IntVector.fromArray(SI, w.colAdj(), j).mul(zA);
            FloatVector scale = FloatVector.fromArray(SF, fo.scale(), j, inF);
            FloatVector bias = FloatVector.fromArray(SF, fo.bias(), j, inF);
            for (int r = 0; r < rows; r++) {
                IntVector acc = IntVector.fromArray(SI, tile, r * NR + v * L).sub(zb.mul(rowSum[r])).sub(corr);
                FloatVector f = (FloatVector) acc.convertShape(VectorOperators.I2F, SF, 0);
                f = fused ? f.fma(scale, bias) : f.mul(scale).add(bias);
                if (relu) {
                    f = f.max(0f);
                }
                if (full) {
                    f.intoArray(c, cRow + r * ldc + j);
                } else {
                    f.intoArray(c, cRow + r * ldc + j, inF);
                }
            }
        }
    }
}
