package dev.vquant.ops.conv;

import dev.vquant.engine.spi.ConvGeometry;
import dev.vquant.engine.testing.FittingGeometry;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

import java.util.Arrays;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

/**
 * The fast quint8 im2col ({@link Im2col#u8}: pixel walk, whole kernel-row runs, short copies by
 * loop) equals its tap-by-tap reference ({@link Im2col#u8Reference}) byte for byte: random
 * kernels, strides, paddings, dilations, groups, batches and row blocks that start and end
 * anywhere (across image rows and batch items), with extreme byte values and zero points.
 */
class Im2colPropertiesTest {

    @Property(tries = 400)
    void fastEqualsReference(@ForAll long seed, @ForAll @IntRange(min = 0, max = 3) int channelKind) {
        Random r = new Random(seed);
        int kh = 1 + r.nextInt(4);
        int kw = 1 + r.nextInt(4);
        ConvGeometry g = new ConvGeometry(kh, kw, 1 + r.nextInt(3), 1 + r.nextInt(3), r.nextInt(3), r.nextInt(3),
                1 + r.nextInt(2), 1 + r.nextInt(2));
        int groups = 1 + r.nextInt(3);
        // channel counts around the copy loop's 8-byte steps and 64-byte switch (whole runs of KW * Cin)
        int cg = switch (channelKind) {
            case 0 -> 1 + r.nextInt(4);
            case 1 -> 5 + r.nextInt(12);
            case 2 -> 14 + r.nextInt(54);
            default -> 1 + r.nextInt(70);
        };
        int cin = cg * groups;
        int h = FittingGeometry.minSize(kh, g.padH(), g.dilationH()) + r.nextInt(7);
        int w = FittingGeometry.minSize(kw, g.padW(), g.dilationW()) + r.nextInt(7);
        int batch = 1 + r.nextInt(3);
        ConvSpec spec = ConvSpec.of("Conv2d", new int[]{groups + r.nextInt(3) * groups, cg, kh, kw}, groups, g);
        int outH = (h + 2 * g.padH() - g.dilationH() * (kh - 1) - 1) / g.strideH() + 1;
        int outW = (w + 2 * g.padW() - g.dilationW() * (kw - 1) - 1) / g.strideW() + 1;
        Im2col.Frame f = new Im2col.Frame(h, w, cin, outH, outW, spec);
        byte[] x = new byte[batch * h * w * cin];
        for (int i = 0; i < x.length; i++) {
            x[i] = switch (r.nextInt(4)) {
                case 0 -> 0;
                case 1 -> (byte) 255;
                case 2 -> (byte) 128;
                default -> (byte) r.nextInt(256);
            };
        }
        byte pad = (byte) (r.nextBoolean() ? r.nextInt(256) : 255);
        int m = batch * outH * outW;
        int rowStart = r.nextInt(m);
        int rows = 1 + r.nextInt(m - rowStart);
        int k = spec.kPerGroup();
        for (int group = 0; group < groups; group++) {
            byte[] want = new byte[rows * k + 5];
            byte[] got = new byte[rows * k + 5];
            Arrays.fill(want, (byte) 7);
            Arrays.fill(got, (byte) 7);
            Im2col.u8Reference(x, f, group, rowStart, rows, pad, want, f.newTapArray());
            Im2col.u8(x, f, group, rowStart, rows, pad, got, f.newTapArray());
            assertArrayEquals(want, got, "group " + group + " of " + spec + " h " + h + " w " + w + " rows "
                    + rowStart + "+" + rows);
        }
    }
}
