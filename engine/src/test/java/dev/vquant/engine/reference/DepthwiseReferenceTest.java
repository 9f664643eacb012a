package dev.vquant.engine.reference;

import dev.vquant.engine.spi.ConvGeometry;
import dev.vquant.engine.spi.PackedDepthwiseWeights;
import dev.vquant.engine.spi.Requantization;
import dev.vquant.engine.testing.NaiveMath;
import dev.vquant.engine.testing.FittingGeometry;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * {@link DepthwiseReference} against an im2col formulation: per channel, every output position's
 * receptive field is gathered into a row of {@code kh*kw} values (padding filled with the
 * activation zero point, i.e. real zero), then dotted with {@code W[c] - zW[c]} in long.
 */
class DepthwiseReferenceTest {
    private final DepthwiseReference dw = new DepthwiseReference();

    @Property(tries = 60)
    void equalsIm2colDotProducts(@ForAll @IntRange(min = 1, max = 9) int channels, @ForAll @IntRange(min = 1, max = 2) int batch,
                                 @ForAll @IntRange(min = 1, max = 10) int h, @ForAll @IntRange(min = 1, max = 10) int w,
                                 @ForAll @IntRange(min = 1, max = 5) int kh, @ForAll @IntRange(min = 1, max = 5) int kw,
                                 @ForAll @IntRange(min = 1, max = 3) int stride, @ForAll @IntRange(max = 3) int pad,
                                 @ForAll @IntRange(min = 1, max = 2) int dilation, @ForAll boolean perChannel, @ForAll long seed) {
        kh = FittingGeometry.fitKernel(kh, h, pad, dilation);
        kw = FittingGeometry.fitKernel(kw, w, pad, dilation);
        ConvGeometry g = new ConvGeometry(kh, kw, stride, stride, pad, pad, dilation, dilation);
        SplittableRandom rng = new SplittableRandom(seed);
        byte[] x = new byte[batch * h * w * channels];
        byte[] wt = new byte[channels * kh * kw];
        rng.nextBytes(x);
        rng.nextBytes(wt);
        int za = rng.nextInt(256);
        int[] zw = new int[perChannel ? channels : 1];
        for (int c = 0; c < zw.length; c++) {
            zw[c] = rng.nextInt(256) - 128;
        }
        int outH = g.outH(h);
        int outW = g.outW(w);
        int positions = batch * outH * outW;

        // im2col: cols[c][p][t] = X at tap t of output position p, zA where the tap is padding
        int taps = kh * kw;
        int[][][] cols = new int[channels][positions][taps];
        for (int n = 0; n < batch; n++) {
            for (int oy = 0; oy < outH; oy++) {
                for (int ox = 0; ox < outW; ox++) {
                    int p = (n * outH + oy) * outW + ox;
                    for (int t = 0; t < taps; t++) {
                        int iy = oy * stride - pad + (t / kw) * dilation;
                        int ix = ox * stride - pad + (t % kw) * dilation;
                        boolean inside = iy >= 0 && iy < h && ix >= 0 && ix < w;
                        for (int c = 0; c < channels; c++) {
                            cols[c][p][t] = inside ? x[((n * h + iy) * w + ix) * channels + c] & 0xFF : za;
                        }
                    }
                }
            }
        }
        long[] expected = new long[positions * channels];
        for (int c = 0; c < channels; c++) {
            int z = zw[perChannel ? c : 0];
            for (int p = 0; p < positions; p++) {
                long dot = 0;
                for (int t = 0; t < taps; t++) {
                    dot += (long) (cols[c][p][t] - za) * (wt[c * taps + t] - z);
                }
                expected[p * channels + c] = dot;
            }
        }

        PackedDepthwiseWeights packed = dw.pack(wt, channels, kh, kw, zw);
        int[] out = new int[positions * channels];
        // two row ranges that together cover every row, as a caller splitting work would
        int split = rng.nextInt(batch * outH + 1);
        dw.convInt32(x, batch, h, w, za, packed, g, 0, split, out);
        dw.convInt32(x, batch, h, w, za, packed, g, split, batch * outH, out);
        for (int i = 0; i < out.length; i++) {
            assertEquals(expected[i], out[i], "element " + i + " seed=" + seed);
        }

        Requantization rq = Requantization.qnnpack(0.05, new double[] {0.01}, null, 0.3 + rng.nextDouble(), rng.nextInt(256),
                false, channels);
        byte[] q = new byte[out.length];
        dw.convRequantize(x, batch, h, w, za, packed, g, rq, 0, batch * outH, q);
        for (int i = 0; i < q.length; i++) {
            float v = (float) ((double) (float) expected[i] * rq.multiplier()[i % channels]);
            assertEquals(NaiveMath.roundAddClamp(v, rq.outZeroPoint(), 0, 255), q[i] & 0xFF, "requantized element " + i);
        }
    }
}
