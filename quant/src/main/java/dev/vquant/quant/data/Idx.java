package dev.vquant.quant.data;

import dev.vquant.quant.Tensor;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;

/**
 * Reader of the IDX files the MNIST distribution uses: images ({@code 0x00000803}, big-endian
 * {@code N, rows, cols}, then {@code N*rows*cols} unsigned bytes) and labels ({@code 0x00000801},
 * {@code N}, then N unsigned bytes). Files ending in {@code .gz} are decompressed on the fly.
 * Magic numbers, sizes and lengths are checked before anything large is allocated; every problem is
 * an {@link IOException} naming the source and what was wrong.
 */
public final class Idx {
    /** Magic number of an unsigned-byte 3-D (images) file. */
    public static final int IMAGES_MAGIC = 0x00000803;
    /** Magic number of an unsigned-byte 1-D (labels) file. */
    public static final int LABELS_MAGIC = 0x00000801;
    /** The largest image file accepted, in pixels (guards against a corrupt header's huge count). */
    private static final long MAX_PIXELS = Integer.MAX_VALUE - 16;

    private Idx() {
    }

    /**
     * Images as the MNIST models take them: float32 {@code [N, 1, rows, cols]}, {@code pixel / 255f}.
     *
     * @param file an IDX3 file of unsigned bytes ({@code train-images-idx3-ubyte}), gunzipped when its name ends in .gz
     * @return the images {@code [N, 1, rows, cols]}
     * @throws IOException for a missing or unreadable file, a wrong magic number, a non-positive or
     *                     oversized dimension, or a length that differs from the header's
     */
    public static Tensor readImages(Path file) throws IOException {
        try (InputStream in = open(file)) {
            return readImages(in, file.toString());
        }
    }

    /**
     * As {@link #readImages(Path)} from a stream; {@code source} names it in messages.
     *
     * @param stream the IDX3 bytes (header, then pixels); not closed
     * @param source the stream's origin, named in exception messages
     * @return the images {@code [N, 1, rows, cols]}
     * @throws IOException as {@link #readImages(Path)}
     */
    public static Tensor readImages(InputStream stream, String source) throws IOException {
        DataInputStream in = new DataInputStream(stream);
        checkMagic(in, IMAGES_MAGIC, "images", source);
        int n = dimension(in, "image count", source);
        int rows = dimension(in, "rows", source);
        int cols = dimension(in, "columns", source);
        long pixels = (long) n * rows * cols;
        if (pixels > MAX_PIXELS) {
            throw new IOException(source + ": " + n + " images of " + rows + "x" + cols + " is more than " + MAX_PIXELS + " pixels");
        }
        byte[] raw = readExactly(in, (int) pixels, "pixels", source);
        float[] x = new float[raw.length];
        for (int i = 0; i < raw.length; i++) {
            x[i] = (raw[i] & 0xff) / 255f;
        }
        return Tensor.of(x, n, 1, rows, cols);
    }

    /**
     * Labels (0..255 as stored; 0..9 for MNIST).
     *
     * @param file an IDX1 file of unsigned bytes ({@code train-labels-idx1-ubyte}), gunzipped when its name ends in .gz
     * @return one label per example
     * @throws IOException as {@link #readImages(Path)}
     */
    public static int[] readLabels(Path file) throws IOException {
        try (InputStream in = open(file)) {
            return readLabels(in, file.toString());
        }
    }

    /**
     * As {@link #readLabels(Path)} from a stream; {@code source} names it in messages.
     *
     * @param stream the IDX1 bytes (header, then labels); not closed
     * @param source the stream's origin, named in exception messages
     * @return one label per example
     * @throws IOException as {@link #readImages(Path)}
     */
    public static int[] readLabels(InputStream stream, String source) throws IOException {
        DataInputStream in = new DataInputStream(stream);
        checkMagic(in, LABELS_MAGIC, "labels", source);
        int n = dimension(in, "label count", source);
        byte[] raw = readExactly(in, n, "labels", source);
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            labels[i] = raw[i] & 0xff;
        }
        return labels;
    }

    private static InputStream open(Path file) throws IOException {
        InputStream in = new BufferedInputStream(Files.newInputStream(file));
        return file.getFileName().toString().endsWith(".gz") ? new GZIPInputStream(in) : in;
    }

    private static void checkMagic(DataInputStream in, int expected, String kind, String source) throws IOException {
        int magic = header(in, "magic number", source);
        if (magic != expected) {
            throw new IOException(source + ": not an IDX " + kind + " file: magic number 0x" + String.format("%08x", magic)
                    + ", expected 0x" + String.format("%08x", expected));
        }
    }

    private static int dimension(DataInputStream in, String what, String source) throws IOException {
        int d = header(in, what, source);
        if (d <= 0) {
            throw new IOException(source + ": " + what + " must be positive, got " + d);
        }
        return d;
    }

    private static int header(DataInputStream in, String what, String source) throws IOException {
        try {
            return in.readInt();
        } catch (EOFException e) {
            throw new IOException(source + ": truncated header (no " + what + ")", e);
        }
    }

    /** Exactly {@code n} bytes and then the end (readNBytes grows its buffer as data arrives, so a short file allocates little). */
    private static byte[] readExactly(InputStream in, int n, String what, String source) throws IOException {
        byte[] b = in.readNBytes(n);
        if (b.length != n) {
            throw new IOException(source + ": truncated: the header announces " + n + " bytes of " + what + ", the file has " + b.length);
        }
        if (in.read() != -1) {
            throw new IOException(source + ": trailing data after the " + n + " bytes of " + what + " the header announces");
        }
        return b;
    }
}
