package dev.vquant.ops.core;

/**
 * Per-thread reusable buffers (im2col blocks and similar), grown on demand and never shrunk, so
 * steady-state calls allocate nothing. A buffer belongs to the calling thread until its next
 * request; callers must not hand it to another thread or keep it across calls.
 */
public final class Scratch {
    private static final ThreadLocal<byte[]> BYTES = new ThreadLocal<>();
    /** How many float buffers a thread can hold at once. */
    public static final int FLOAT_SLOTS = 3;
    /** Float buffers per thread: slot 0 is {@link #floats(int)}'s, the others {@link #floats(int, int)}'s. */
    private static final ThreadLocal<float[][]> FLOATS = ThreadLocal.withInitial(() -> new float[FLOAT_SLOTS][]);
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
        return floats(0, size);
    }

    /**
     * One of the calling thread's float buffers, for a caller that needs several at once (slot 0
     * is the one {@link #floats(int)} hands out, which convolutions use in their row blocks).
     *
     * @param slot the buffer, {@code 0 <= slot < FLOAT_SLOTS}
     * @param size the elements needed
     * @return a buffer of at least {@code size} elements (contents undefined)
     * @throws ArrayIndexOutOfBoundsException for a slot outside {@code [0, FLOAT_SLOTS)}
     */
    public static float[] floats(int slot, int size) {
        float[][] slots = FLOATS.get();
        float[] f = slots[slot];
        if (f == null || f.length < size) {
            f = new float[size];
            slots[slot] = f;
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
