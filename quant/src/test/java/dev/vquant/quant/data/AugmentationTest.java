package dev.vquant.quant.data;

import dev.vquant.quant.Tensor;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The augmentation's geometry on synthetic images (identity within 1e-5 as PyTorch's, quarter and half turns and
 * pixel shifts move pixels where they should), determinism per seed of draws and batches, and
 * the argument checks.
 */
class AugmentationTest {
    private static final int H = 28;
    private static final int W = 28;

    /** Seeded random pixels in [0, 1): every pixel distinct, so a misplaced one shows. */
    private static Tensor ramp(int n, int c, int h, int w) {
        float[] x = new float[n * c * h * w];
        SplittableRandom rnd = new SplittableRandom(42);
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) rnd.nextDouble();
        }
        return Tensor.of(x, n, c, h, w);
    }

    private static float at(float[] x, int plane, int r, int c, int w) {
        return x[plane + r * w + c];
    }

    /**
     * PyTorch's identity warp is not exact (its pixel centres {@code linspace(-1, 1, W) * (W - 1) / W}
     * are rounded in float32, so the bilinear weights are off by up to ~1e-6, not exactly 1 and 0; golden
     * "identity" cases match it bit for bit): within 1e-5 of the input on values in [0, 1).
     */
    @Test
    void identityIsTheInput() {
        for (int[] s : new int[][]{{2, 1, H, W}, {1, 3, 5, 7}, {1, 1, 1, 9}, {1, 2, 33, 17}}) {
            Tensor x = ramp(s[0], s[1], s[2], s[3]);
            float[] theta = new float[6 * s[0]];
            for (int b = 0; b < s[0]; b++) {
                theta[6 * b] = 1f;
                theta[6 * b + 4] = 1f;
            }
            assertArrayEquals(x.toFloatArray(), AffineWarp.apply(x, theta).toFloatArray(), 1e-5f, Arrays.toString(s));
        }
        Tensor x = ramp(3, 1, H, W);
        assertArrayEquals(x.toFloatArray(), new RandomAffine(0, 0, 0).apply(x, new TorchGenerator(7)).toFloatArray(), 1e-5f);
    }

    @Test
    void quarterAndHalfTurnsMovePixels() {
        Tensor x = ramp(1, 2, H, W);
        float[] in = x.toFloatArray();
        // output (x, y) samples input (-y, x): out[r][c] = in[c][W - 1 - r], a quarter turn
        float[] quarter = AffineWarp.apply(x, new float[]{0f, -1f, 0f, 1f, 0f, 0f}).toFloatArray();
        float[] half = AffineWarp.apply(x, new float[]{-1f, 0f, 0f, 0f, -1f, 0f}).toFloatArray();
        for (int ch = 0; ch < 2; ch++) {
            int p = ch * H * W;
            for (int r = 0; r < H; r++) {
                for (int c = 0; c < W; c++) {
                    String where = "channel " + ch + " (" + r + ", " + c + ")";
                    assertEquals(at(in, p, c, W - 1 - r, W), at(quarter, p, r, c, W), 1e-5, "quarter turn " + where);
                    assertEquals(at(in, p, H - 1 - r, W - 1 - c, W), at(half, p, r, c, W), 1e-5, "half turn " + where);
                }
            }
        }
    }

    @Test
    void shiftsMovePixelsAndFillZero() {
        Tensor x = ramp(1, 1, H, W);
        float[] in = x.toFloatArray();
        // sampling at x - 2 px and y + 1 px: the picture moves 2 right and 1 up
        float[] out = AffineWarp.apply(x, new float[]{1f, 0f, -2f * 2 / W, 0f, 1f, 1f * 2 / H}).toFloatArray();
        for (int r = 0; r < H; r++) {
            for (int c = 0; c < W; c++) {
                float want = c >= 2 && r + 1 < H ? at(in, 0, r + 1, c - 2, W) : 0f;
                assertEquals(want, at(out, 0, r, c, W), 1e-5, "(" + r + ", " + c + ")");
            }
        }
    }

    @Test
    void drawsAreDeterministicPerSeed() {
        RandomAffine aug = RandomAffine.mnistRecipe();
        assertArrayEquals(aug.drawTheta(64, new TorchGenerator(3)), aug.drawTheta(64, new TorchGenerator(3)));
        assertFalse(Arrays.equals(aug.drawTheta(64, new TorchGenerator(3)), aug.drawTheta(64, new TorchGenerator(4))));
        float[] theta = aug.drawTheta(500, new TorchGenerator(5));
        for (int i = 0; i < 500; i++) {
            double s = Math.hypot(theta[6 * i], theta[6 * i + 3]);
            double angle = Math.toDegrees(Math.atan2(theta[6 * i + 3], theta[6 * i]));
            assertTrue(s >= 1 / 1.1 - 1e-6 && s <= 1 / 0.9 + 1e-6, "1 / scale " + s);
            assertTrue(Math.abs(angle) <= 10 + 1e-4, "angle " + angle);
            assertTrue(Math.abs(theta[6 * i + 2]) <= 2.0 / 14 + 1e-7 && Math.abs(theta[6 * i + 5]) <= 2.0 / 14 + 1e-7, "shift");
        }
        TorchGenerator a = new TorchGenerator(9);
        a.rand(5);
        TorchGenerator b = a.copy();
        assertArrayEquals(a.randperm(100), b.randperm(100), "a copy draws the same");
    }

    @Test
    void batchesCoverTheEpochInShuffledOrderPerSeed() {
        int n = 10;
        Tensor x = ramp(n, 1, 2, 3);
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            labels[i] = i;
        }
        List<int[]> first = epochLabels(new ShuffledBatches(x, labels, 4, new TorchGenerator(1)));
        assertEquals(List.of(4, 4, 2), first.stream().map(b -> b.length).toList(), "ceil(10 / 4) batches, the last smaller");
        int[] all = first.stream().flatMapToInt(Arrays::stream).sorted().toArray();
        assertArrayEquals(labels, all, "every example once per epoch");
        int[] order = first.stream().flatMapToInt(Arrays::stream).toArray();
        assertArrayEquals(new TorchGenerator(1).randperm(n), order, "the order is torch.randperm's");
        assertEquals(Arrays.deepToString(first.toArray()),
                Arrays.deepToString(epochLabels(new ShuffledBatches(x, labels, 4, new TorchGenerator(1))).toArray()), "same seed, same batches");

        ShuffledBatches batches = new ShuffledBatches(x, labels, 4, new TorchGenerator(1));
        Iterator<Batch> it = batches.epoch();
        Batch b0 = it.next();
        float[] px = x.toFloatArray();
        for (int i = 0; i < b0.size(); i++) {
            float[] got = Arrays.copyOfRange(b0.images().toFloatArray(), i * 6, i * 6 + 6);
            assertArrayEquals(Arrays.copyOfRange(px, b0.labels()[i] * 6, b0.labels()[i] * 6 + 6), got, "image follows its label");
        }
        assertEquals(3, batches.batchesPerEpoch());
        assertFalse(Arrays.equals(order, epochLabels(batches).stream().flatMapToInt(Arrays::stream).toArray()),
                "the next epoch draws a new order");
    }

    private static List<int[]> epochLabels(ShuffledBatches batches) {
        List<int[]> out = new ArrayList<>();
        batches.epoch().forEachRemaining(b -> out.add(b.labels()));
        return out;
    }

    @Test
    void badArgumentsAreNamed() {
        Tensor x = ramp(2, 1, 4, 4);
        assertThrows(IllegalArgumentException.class, () -> AffineWarp.apply(Tensor.of(new float[16], 4, 4), new float[6]));
        assertThrows(IllegalArgumentException.class, () -> AffineWarp.apply(x, new float[6]));
        float[] nan = new float[12];
        nan[3] = Float.NaN;
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> AffineWarp.apply(x, nan));
        assertTrue(e.getMessage().contains("theta[3]"), e.getMessage());
        assertThrows(NullPointerException.class, () -> AffineWarp.apply(x, null));
        assertThrows(IllegalArgumentException.class, () -> new RandomAffine(-1, 0.1, 0.1));
        assertThrows(IllegalArgumentException.class, () -> new RandomAffine(10, 1.5, 0.1));
        assertThrows(IllegalArgumentException.class, () -> new RandomAffine(10, 0.1, Double.NaN));
        assertThrows(IllegalArgumentException.class, () -> new TorchGenerator(0).randperm(-1));
        assertThrows(IllegalArgumentException.class, () -> new ShuffledBatches(x, new int[3], 4, new TorchGenerator(0)));
        assertThrows(IllegalArgumentException.class, () -> new ShuffledBatches(x, new int[2], 0, new TorchGenerator(0)));
        assertThrows(IllegalArgumentException.class, () -> new Batch(x, new int[5]));
        Iterator<Batch> it = new ShuffledBatches(x, new int[2], 4, new TorchGenerator(0)).epoch();
        it.next();
        assertThrows(java.util.NoSuchElementException.class, it::next);
    }
}
