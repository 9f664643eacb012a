package dev.vquant.ops.core;

/**
 * Per-thread reusable buffers (im2col blocks and similar), grown on demand and never shrunk, so
 * steady-state calls allocate nothing. A buffer belongs to the calling thread until its next
 * request; callers must not hand it to another thread or keep it across calls.
 */
public final class Scratch {
    private static final ThreadLocal<byte[]> BYTES = new ThreadLocal<>();
    private static final ThreadLocal<float[]> FLOATS = new ThreadLocal<>();
    private static final ThreadLocal<int[]> INTS = new ThreadLocal<>();

    private Scratch() {
    }

    /**
     * The calling thread's byte buffer.
     *
     * @param size the elements needed
     * @return a buffer of at least {@code size} elements (contents undefined)
     */
    public static byte[] bytes(int size) {
        byte[] b = BYTES.get();
        if (b == null || b.length < size) {
            b = new byte[size];
            BYTES.set(b);
        }
        return b;
    }

    /**
     * The calling thread's float buffer.
     *
     * @param size the elements needed
     * @return a buffer of at least {@code size} elements (contents undefined)
     */
    public static float[] floats(int size) {
        float[] f = FLOATS.get();
        if (f == null || f.length < size) {
            f = new float[size];
            FLOATS.set(f);
        }
        return f;
    }

    /**
     * The calling thread's int buffer, separate from {@link #bytes}.
     *
     * @param size the elements needed
     * @return a buffer of at least {@code size} elements (contents undefined)
     */
    public static int[] ints(int size) {
        int[] i = INTS.get();
        if (i == null || i.length < size) {
            i = new int[size];
            INTS.set(i);
        }
        return i;
    }
}
