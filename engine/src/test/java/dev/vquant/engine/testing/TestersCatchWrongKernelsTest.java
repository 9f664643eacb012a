package dev.vquant.engine.testing;

import dev.vquant.engine.DType;
import dev.vquant.engine.reference.ReferenceBackend;
import dev.vquant.engine.spi.ConvGeometry;
import dev.vquant.engine.spi.DepthwiseKernels;
import dev.vquant.engine.spi.FloatDepthwiseKernels;
import dev.vquant.engine.spi.FloatGemmKernels;
import dev.vquant.engine.spi.FloatOutput;
import dev.vquant.engine.spi.PackedDepthwiseWeights;
import dev.vquant.engine.spi.PackedFloatDepthwiseWeights;
import dev.vquant.engine.spi.PackedFloatWeights;
import dev.vquant.engine.spi.PackedQGemmWeights;
import dev.vquant.engine.spi.QGemmKernels;
import dev.vquant.engine.spi.QuantizeKernels;
import dev.vquant.engine.spi.Requantization;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The testers can fail: each deliberately wrong kernel below (a classic optimization bug) is
 * rejected, with a message that names the shape and the seed. Each wrong kernel is the reference
 * with one fault injected.
 */
class TestersCatchWrongKernelsTest {
    private static final ReferenceBackend REF = TestBackends.reference();

    private static void assertCaught(Executable run) {
        AssertionError e = assertThrows(AssertionError.class, run);
        assertTrue(e.getMessage().contains("seed="), "failure message should name the seed: " + e.getMessage());
    }

    // ---------------------------------------------------------------- int8 GEMM

    /** The reference GEMM with one overridable piece: the int32 accumulators. */
    private abstract static class FaultyQGemm implements QGemmKernels {
        @Override
        public PackedQGemmWeights pack(byte[] w, int n, int k, int[] zeroPoints) {
            return REF.qgemm().pack(w, n, k, zeroPoints);
        }

        @Override
        public void gemmInt32(byte[] a, int aOffset, int lda, int m, int aZeroPoint, PackedQGemmWeights w, int nStart,
                              int nEnd, int[] c, int cOffset, int ldc) {
            REF.qgemm().gemmInt32(a, aOffset, lda, m, aZeroPoint, w, nStart, nEnd, c, cOffset, ldc);
        }

        /** Requantizes the (possibly faulty) accumulators with {@link #output}. */
        @Override
        public void gemmRequantize(byte[] a, int aOffset, int lda, int m, int aZeroPoint, PackedQGemmWeights w,
                                   int nStart, int nEnd, Requantization rq, byte[] c, int cOffset, int ldc) {
            int[] acc = new int[c.length];
            gemmInt32(a, aOffset, lda, m, aZeroPoint, w, nStart, nEnd, acc, cOffset, ldc);
            for (int i = 0; i < m; i++) {
                for (int j = nStart; j < nEnd; j++) {
                    int idx = cOffset + i * ldc + j;
                    c[idx] = (byte) output(rq, acc[idx], j);
                }
            }
        }

        int output(Requantization rq, int acc, int j) {
            return rq.apply(acc, j);
        }

        @Override
        public void gemmFloat(byte[] a, int aOffset, int lda, int m, int aZeroPoint, PackedQGemmWeights w, int nStart,
                              int nEnd, FloatOutput out, float[] c, int cOffset, int ldc) {
            REF.qgemm().gemmFloat(a, aOffset, lda, m, aZeroPoint, w, nStart, nEnd, out, c, cOffset, ldc);
        }

        // the unchecked kernels run the (possibly faulty) entry points above: the testers call those

        @Override
        public void runInt32(byte[] a, int aOffset, int lda, int m, int aZeroPoint, PackedQGemmWeights w, int nStart,
                             int nEnd, int[] c, int cOffset, int ldc) {
            gemmInt32(a, aOffset, lda, m, aZeroPoint, w, nStart, nEnd, c, cOffset, ldc);
        }

        @Override
        public void runRequantize(byte[] a, int aOffset, int lda, int m, int aZeroPoint, PackedQGemmWeights w,
                                  int nStart, int nEnd, Requantization rq, byte[] c, int cOffset, int ldc) {
            gemmRequantize(a, aOffset, lda, m, aZeroPoint, w, nStart, nEnd, rq, c, cOffset, ldc);
        }

        @Override
        public void runFloat(byte[] a, int aOffset, int lda, int m, int aZeroPoint, PackedQGemmWeights w, int nStart,
                             int nEnd, FloatOutput out, float[] c, int cOffset, int ldc) {
            gemmFloat(a, aOffset, lda, m, aZeroPoint, w, nStart, nEnd, out, c, cOffset, ldc);
        }
    }

    @Test
    void qgemmRoundingHalfAwayFromZeroIsCaught() {
        QGemmKernels wrong = new FaultyQGemm() {
            @Override
            int output(Requantization rq, int acc, int j) {
                if (rq.mode() != Requantization.Mode.FLOAT_BIAS) {
                    return rq.apply(acc, j);
                }
                float v = ((float) acc + rq.biasOverScale()[j]) * rq.multiplier()[j];
                float r = Math.signum(v) * (float) Math.floor(Math.abs(v) + 0.5); // ties away from zero
                return (int) Math.max(rq.qmin(), Math.min(rq.qmax(), r + rq.outZeroPoint()));
            }
        };
        assertCaught(() -> new QGemmKernelTester().m(6).n(24).k(40).seed(11).test(wrong));
    }

    @Test
    void qgemmWriteOutsideTheColumnRangeIsCaught() {
        QGemmKernels wrong = new FaultyQGemm() {
            @Override
            public void gemmInt32(byte[] a, int aOffset, int lda, int m, int aZeroPoint, PackedQGemmWeights w, int nStart,
                                  int nEnd, int[] c, int cOffset, int ldc) {
                super.gemmInt32(a, aOffset, lda, m, aZeroPoint, w, nStart, nEnd, c, cOffset, ldc);
                c[cOffset + (m - 1) * ldc + nEnd] = 0; // one element past the last written one
            }
        };
        assertCaught(() -> new QGemmKernelTester().m(3).n(9).k(5).nRange(0, 7).seed(1).test(wrong));
        assertCaught(() -> new QGemmKernelTester().m(3).n(9).k(5).seed(1).test(wrong)); // hits the guard after C
    }

    @Test
    void qgemmIgnoringPerChannelZeroPointsIsCaught() {
        QGemmKernels wrong = new FaultyQGemm() {
            @Override
            public void gemmInt32(byte[] a, int aOffset, int lda, int m, int aZeroPoint, PackedQGemmWeights w, int nStart,
                                  int nEnd, int[] c, int cOffset, int ldc) {
                for (int i = 0; i < m; i++) {
                    for (int j = nStart; j < nEnd; j++) {
                        int acc = 0;
                        for (int kk = 0; kk < w.k(); kk++) {
                            acc += ((a[aOffset + i * lda + kk] & 0xFF) - aZeroPoint) * (weight(w, j, kk) - w.zeroPoint(0));
                        }
                        c[cOffset + i * ldc + j] = acc;
                    }
                }
            }
        };
        new QGemmKernelTester().m(2).n(8).k(9).perChannel(false).seed(3).test(wrong); // per tensor it is right
        assertCaught(() -> new QGemmKernelTester().m(2).n(8).k(9).perChannel(true).seed(3).test(wrong));
    }

    @Test
    void qgemmSaturatingPairSumsAreCaughtWithFullRangeActivationsOnly() {
        // vpmaddubsw: adjacent u8*s8 products summed into a saturating int16
        QGemmKernels wrong = new FaultyQGemm() {
            @Override
            public void gemmInt32(byte[] a, int aOffset, int lda, int m, int aZeroPoint, PackedQGemmWeights w, int nStart,
                                  int nEnd, int[] c, int cOffset, int ldc) {
                for (int i = 0; i < m; i++) {
                    for (int j = nStart; j < nEnd; j++) {
                        int raw = 0;
                        int rowSumA = 0;
                        int rowSumW = 0;
                        for (int kk = 0; kk < w.k(); kk += 2) {
                            int pair = 0;
                            for (int t = kk; t < Math.min(kk + 2, w.k()); t++) {
                                int x = a[aOffset + i * lda + t] & 0xFF;
                                pair += x * weight(w, j, t);
                                rowSumA += x;
                                rowSumW += weight(w, j, t);
                            }
                            raw += Math.max(Short.MIN_VALUE, Math.min(Short.MAX_VALUE, pair));
                        }
                        int zw = w.zeroPoint(j);
                        c[cOffset + i * ldc + j] = raw - zw * rowSumA - aZeroPoint * rowSumW + w.k() * aZeroPoint * zw;
                    }
                }
            }
        };
        new QGemmKernelTester().m(4).n(8).k(32).activationMax(127).extremes(Extremes.ONLY).seed(5).test(wrong);
        assertCaught(() -> new QGemmKernelTester().m(4).n(8).k(32).extremes(Extremes.ONLY).seed(5).test(wrong));
    }

    @Test
    void qgemmWithoutArgumentChecksIsCaught() {
        QGemmKernels unchecked = new FaultyQGemm() {
            @Override
            public void gemmInt32(byte[] a, int aOffset, int lda, int m, int aZeroPoint, PackedQGemmWeights w, int nStart,
                                  int nEnd, int[] c, int cOffset, int ldc) {
                for (int i = 0; i < m; i++) { // no validation: index errors or silent garbage
                    for (int j = nStart; j < nEnd; j++) {
                        int acc = 0;
                        for (int kk = 0; kk < w.k(); kk++) {
                            acc += ((a[aOffset + i * lda + kk] & 0xFF) - aZeroPoint) * (weight(w, j, kk) - w.zeroPoint(j));
                        }
                        c[cOffset + i * ldc + j] = acc;
                    }
                }
            }
        };
        AssertionError e = assertThrows(AssertionError.class, () -> BadArgumentsTester.testQGemm(unchecked));
        assertTrue(e.getMessage().contains("activation zero point 256: accepted"), e.getMessage());
        assertTrue(e.getMessage().contains("A too short: threw java.lang.ArrayIndexOutOfBoundsException"), e.getMessage());
    }

    /** {@code W[j][kk]} recovered through the reference kernel (the packed layout is private). */
    private static int weight(PackedQGemmWeights w, int j, int kk) {
        byte[] a = new byte[w.k()];
        a[kk] = 1;
        int[] c = new int[w.n()];
        REF.qgemm().gemmInt32(a, 0, w.k(), 1, 0, w, j, j + 1, c, 0, w.n());
        return c[j] + w.zeroPoint(j);
    }

    // ---------------------------------------------------------------- int8 depthwise

    private abstract static class FaultyDepthwise implements DepthwiseKernels {
        @Override
        public PackedDepthwiseWeights pack(byte[] w, int channels, int kh, int kw, int[] zeroPoints) {
            return REF.depthwise().pack(w, channels, kh, kw, zeroPoints);
        }

        @Override
        public void convRequantize(byte[] x, int batch, int h, int w, int aZeroPoint, PackedDepthwiseWeights weights,
                                   ConvGeometry g, Requantization rq, int rowStart, int rowEnd, byte[] out) {
            REF.depthwise().convRequantize(x, batch, h, w, aZeroPoint, weights, g, rq, rowStart, rowEnd, out);
        }

        // the unchecked kernels run the (possibly faulty) entry points: the testers call those

        @Override
        public void runInt32(byte[] x, int batch, int h, int w, int aZeroPoint, PackedDepthwiseWeights weights,
                             ConvGeometry g, int rowStart, int rowEnd, int[] out) {
            convInt32(x, batch, h, w, aZeroPoint, weights, g, rowStart, rowEnd, out);
        }

        @Override
        public void runRequantize(byte[] x, int batch, int h, int w, int aZeroPoint, PackedDepthwiseWeights weights,
                                  ConvGeometry g, Requantization rq, int rowStart, int rowEnd, byte[] out) {
            convRequantize(x, batch, h, w, aZeroPoint, weights, g, rq, rowStart, rowEnd, out);
        }
    }

    @Test
    void depthwisePaddingReadAsZeroInsteadOfTheZeroPointIsCaught() {
        DepthwiseKernels wrong = new FaultyDepthwise() {
            @Override
            public void convInt32(byte[] x, int batch, int h, int w, int aZeroPoint, PackedDepthwiseWeights weights,
                                  ConvGeometry g, int rowStart, int rowEnd, int[] out) {
                // pad the input with real zeros (quantized 0, not the zero point) and run unpadded
                int ph = h + 2 * g.padH();
                int pw = w + 2 * g.padW();
                int c = weights.channels();
                byte[] padded = new byte[batch * ph * pw * c];
                for (int n = 0; n < batch; n++) {
                    for (int y = 0; y < h; y++) {
                        System.arraycopy(x, ((n * h + y) * w) * c, padded, ((n * ph + y + g.padH()) * pw + g.padW()) * c, w * c);
                    }
                }
                ConvGeometry unpadded = new ConvGeometry(g.kernelH(), g.kernelW(), g.strideH(), g.strideW(), 0, 0,
                        g.dilationH(), g.dilationW());
                REF.depthwise().convInt32(padded, batch, ph, pw, aZeroPoint, weights, unpadded, rowStart, rowEnd, out);
            }
        };
        new DepthwiseKernelTester().channels(5).size(6, 6).kernel(3).pad(1).aZeroPoint(0).seed(2).test(wrong);
        assertCaught(() -> new DepthwiseKernelTester().channels(5).size(6, 6).kernel(3).pad(1).aZeroPoint(77).seed(2).test(wrong));
    }

    @Test
    void depthwiseWritingRowsOutsideTheRangeIsCaught() {
        DepthwiseKernels wrong = new FaultyDepthwise() {
            @Override
            public void convInt32(byte[] x, int batch, int h, int w, int aZeroPoint, PackedDepthwiseWeights weights,
                                  ConvGeometry g, int rowStart, int rowEnd, int[] out) {
                REF.depthwise().convInt32(x, batch, h, w, aZeroPoint, weights, g, 0, batch * g.outH(h), out);
            }
        };
        new DepthwiseKernelTester().channels(4).batch(2).size(5, 5).kernel(3).seed(4).test(wrong);
        assertCaught(() -> new DepthwiseKernelTester().channels(4).batch(2).size(5, 5).kernel(3).rows(1, 4).seed(4).test(wrong));
    }

    // ---------------------------------------------------------------- quantize

    /** The reference with a replaceable per-tensor quantize of one element. */
    private abstract static class FaultyQuantize implements QuantizeKernels {
        abstract int quantizeOne(float x, float scale, int zp, DType dtype);

        @Override
        public void quantize(float[] x, int xOff, byte[] q, int qOff, int len, float scale, int zeroPoint, DType dtype) {
            for (int i = 0; i < len; i++) {
                q[qOff + i] = (byte) quantizeOne(x[xOff + i], scale, zeroPoint, dtype);
            }
        }

        @Override
        public void dequantize(byte[] q, int qOff, float[] x, int xOff, int len, float scale, int zeroPoint, DType dtype) {
            REF.quantize().dequantize(q, qOff, x, xOff, len, scale, zeroPoint, dtype);
        }

        @Override
        public void quantizePerChannel(float[] x, byte[] q, int outer, int channels, int inner, float[] scales,
                                       int[] zeroPoints, DType dtype) {
            REF.quantize().quantizePerChannel(x, q, outer, channels, inner, scales, zeroPoints, dtype);
        }

        @Override
        public void dequantizePerChannel(byte[] q, float[] x, int outer, int channels, int inner, double[] scales,
                                         int[] zeroPoints, DType dtype) {
            REF.quantize().dequantizePerChannel(q, x, outer, channels, inner, scales, zeroPoints, dtype);
        }

        @Override
        public void requantize(int[] acc, int accOff, byte[] q, int qOff, int len, float multiplier, int zeroPoint,
                               int qmin, int qmax) {
            REF.quantize().requantize(acc, accOff, q, qOff, len, multiplier, zeroPoint, qmin, qmax);
        }
    }

    private static int clamp(float v, DType dtype) {
        return (int) Math.min(Math.max(v, dtype.min()), dtype.max());
    }

    @Test
    void quantizeDividingByTheScaleIsCaught() {
        QuantizeKernels wrong = new FaultyQuantize() {
            @Override
            int quantizeOne(float x, float scale, int zp, DType dtype) {
                return clamp(zp + (float) Math.rint(x / scale), dtype);
            }
        };
        assertCaught(() -> new QuantizeKernelTester().length(3000).seed(6).test(wrong));
    }

    @Test
    void quantizeRoundingHalfAwayFromZeroIsCaught() {
        QuantizeKernels wrong = new FaultyQuantize() {
            @Override
            int quantizeOne(float x, float scale, int zp, DType dtype) {
                float v = x * (1.0f / scale);
                return clamp(zp + Math.signum(v) * (float) Math.floor(Math.abs(v) + 0.5), dtype);
            }
        };
        assertCaught(() -> new QuantizeKernelTester().length(200).seed(7).test(wrong));
    }

    @Test
    void quantizeConvertingToIntBeforeClampingIsCaught() {
        QuantizeKernels wrong = new FaultyQuantize() {
            @Override
            int quantizeOne(float x, float scale, int zp, DType dtype) {
                int wrapped = (int) (long) Math.rint(x * (1.0f / scale)); // C-style: huge values wrap
                return Math.max(dtype.min(), Math.min(dtype.max(), zp + wrapped));
            }
        };
        assertCaught(() -> new QuantizeKernelTester().length(400).seed(8).test(wrong));
    }

    // ---------------------------------------------------------------- float kernels

    @Test
    void floatGemmDroppingTheLastProductIsCaught() {
        FloatGemmKernels wrong = new FloatGemmKernels() {
            @Override
            public PackedFloatWeights pack(float[] w, int n, int k) {
                float[] shortened = w.clone();
                for (int j = 0; j < n; j++) {
                    shortened[j * k + k - 1] = 0f;
                }
                return REF.floatGemm().pack(shortened, n, k);
            }

            @Override
            public void gemm(float[] a, int aOffset, int lda, int m, PackedFloatWeights w, int nStart, int nEnd,
                             float[] bias, float clampMin, float clampMax, float[] c, int cOffset, int ldc) {
                REF.floatGemm().gemm(a, aOffset, lda, m, w, nStart, nEnd, bias, clampMin, clampMax, c, cOffset, ldc);
            }
        };
        assertCaught(() -> new FloatGemmKernelTester().m(3).n(5).k(200).seed(9).test(wrong));
    }

    @Test
    void floatGemmIgnoringTheUpperClampIsCaught() {
        FloatGemmKernels wrong = new FloatGemmKernels() {
            @Override
            public PackedFloatWeights pack(float[] w, int n, int k) {
                return REF.floatGemm().pack(w, n, k);
            }

            @Override
            public void gemm(float[] a, int aOffset, int lda, int m, PackedFloatWeights w, int nStart, int nEnd,
                             float[] bias, float clampMin, float clampMax, float[] c, int cOffset, int ldc) {
                REF.floatGemm().gemm(a, aOffset, lda, m, w, nStart, nEnd, bias, clampMin, Float.POSITIVE_INFINITY, c,
                        cOffset, ldc);
            }
        };
        assertCaught(() -> new FloatGemmKernelTester().m(4).n(8).k(16).seed(10).test(wrong));
    }

    @Test
    void floatDepthwiseSkippingTheLastTapIsCaught() {
        FloatDepthwiseKernels wrong = new FloatDepthwiseKernels() {
            @Override
            public PackedFloatDepthwiseWeights pack(float[] w, int channels, int kh, int kw) {
                float[] shortened = w.clone();
                for (int c = 0; c < channels; c++) {
                    shortened[(c + 1) * kh * kw - 1] = 0f;
                }
                return REF.floatDepthwise().pack(shortened, channels, kh, kw);
            }

            @Override
            public void conv(float[] x, int batch, int h, int w, PackedFloatDepthwiseWeights weights, ConvGeometry g,
                             float[] bias, float clampMin, float clampMax, int rowStart, int rowEnd, float[] out) {
                REF.floatDepthwise().conv(x, batch, h, w, weights, g, bias, clampMin, clampMax, rowStart, rowEnd, out);
            }

            @Override
            public void run(float[] x, int batch, int h, int w, PackedFloatDepthwiseWeights weights, ConvGeometry g,
                            float[] bias, float clampMin, float clampMax, int rowStart, int rowEnd, float[] out) {
                conv(x, batch, h, w, weights, g, bias, clampMin, clampMax, rowStart, rowEnd, out);
            }
        };
        assertCaught(() -> new FloatDepthwiseKernelTester().channels(6).size(7, 7).kernel(3).pad(1).seed(12).test(wrong));
    }
}
