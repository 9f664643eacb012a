package dev.vquant.quant.data;

import dev.vquant.quant.Tensor;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The IDX reader on the bundled test-public split and on broken files. */
class IdxTest {

    static byte[] file(int magic, int[] dims, int payload) {
        ByteBuffer b = ByteBuffer.allocate(4 + 4 * dims.length + payload);
        b.putInt(magic);
        for (int d : dims) {
            b.putInt(d);
        }
        for (int i = 0; i < payload; i++) {
            b.put((byte) (i * 37));
        }
        return b.array();
    }

    static String fails(byte[] bytes, boolean images) {
        IOException e = assertThrows(IOException.class, () -> {
            if (images) {
                Idx.readImages(new ByteArrayInputStream(bytes), "x.idx");
            } else {
                Idx.readLabels(new ByteArrayInputStream(bytes), "x.idx");
            }
        });
        assertTrue(e.getMessage().startsWith("x.idx: "), e.getMessage());
        return e.getMessage();
    }

    @Test
    void readsTheBundledSplit() throws IOException {
        Tensor x;
        int[] labels;
        try (InputStream in = IdxTest.class.getResourceAsStream("/mnist/test-public-images-idx3-ubyte");
             InputStream l = IdxTest.class.getResourceAsStream("/mnist/test-public-labels-idx1-ubyte")) {
            x = Idx.readImages(in, "test-public-images");
            labels = Idx.readLabels(l, "test-public-labels");
        }
        assertArrayEquals(new int[]{1500, 1, 28, 28}, x.shape());
        assertEquals(1500, labels.length);
        float max = 0;
        for (float v : x.toFloatArray()) {
            assertTrue(v >= 0 && v <= 1);
            max = Math.max(max, v);
        }
        assertEquals(1f, max);
        for (int label : labels) {
            assertTrue(label >= 0 && label <= 9);
        }
    }

    @Test
    void pixelsAreDividedBy255InFloat() throws IOException {
        Tensor x = Idx.readImages(new ByteArrayInputStream(file(Idx.IMAGES_MAGIC, new int[]{1, 1, 2}, 2)), "x");
        assertArrayEquals(new float[]{0f, 37 / 255f}, x.toFloatArray());
    }

    @Test
    void brokenFilesAreClearIoErrors() {
        assertTrue(fails(file(Idx.LABELS_MAGIC, new int[]{1, 2, 2}, 4), true).contains("magic number 0x00000801, expected 0x00000803"));
        assertTrue(fails(file(Idx.IMAGES_MAGIC, new int[]{2, 2, 2}, 7), true).contains("truncated"));
        assertTrue(fails(file(Idx.IMAGES_MAGIC, new int[]{1, 2, 2}, 5), true).contains("trailing data"));
        assertTrue(fails(file(Idx.IMAGES_MAGIC, new int[]{0, 2, 2}, 0), true).contains("image count must be positive"));
        assertTrue(fails(file(Idx.IMAGES_MAGIC, new int[]{1 << 30, 1 << 10, 1 << 10}, 0), true).contains("more than"));
        assertTrue(fails(new byte[]{0, 0, 8}, true).contains("truncated header"));
        assertTrue(fails(file(Idx.LABELS_MAGIC, new int[]{3}, 2), false).contains("truncated"));
        assertTrue(fails(file(Idx.IMAGES_MAGIC, new int[]{3}, 3), false).contains("not an IDX labels file"));
    }
}
