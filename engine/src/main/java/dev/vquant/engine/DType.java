package dev.vquant.engine;

/**
 * The quantized element types, with PyTorch's names and ranges.
 *
 * <p>Storage: {@link #QUINT8} and {@link #QINT8} live in {@code byte[]} (quint8 read back with
 * {@code & 0xFF}); {@link #QINT32} lives in {@code int[]}.
 */
public enum DType {
    /** Unsigned 8-bit, 0..255: activations. */
    QUINT8(0, 255),
    /** Signed 8-bit, -128..127: weights. */
    QINT8(-128, 127),
    /** Signed 32-bit: accumulators and quantized bias. */
    QINT32(Integer.MIN_VALUE, Integer.MAX_VALUE);

    private final int min;
    private final int max;

    DType(int min, int max) {
        this.min = min;
        this.max = max;
    }

    /** {@return the smallest representable value} */
    public int min() {
        return min;
    }

    /** {@return the largest representable value} */
    public int max() {
        return max;
    }

    /** {@return true for the 8-bit types stored in {@code byte[]}} */
    public boolean isByte() {
        return this != QINT32;
    }

    /**
     * The stored value of element {@code i} of a byte array holding this dtype.
     *
     * @param data bytes holding this dtype
     * @param i    element index
     * @return the integer value: 0..255 for quint8, -128..127 for qint8
     */
    public int load(byte[] data, int i) {
        return this == QUINT8 ? data[i] & 0xFF : data[i];
    }

    /**
     * Parses PyTorch's spelling ("quint8", "torch.qint8", "qint32").
     *
     * @param name the dtype name, with or without {@code "torch."}
     * @return the dtype
     * @throws IllegalArgumentException for anything else, naming the valid ones
     */
    public static DType parse(String name) {
        String n = name.startsWith("torch.") ? name.substring(6) : name;
        for (DType d : values()) {
            if (d.name().equalsIgnoreCase(n)) {
                return d;
            }
        }
        throw new IllegalArgumentException("unknown quantized dtype '" + name + "'; expected quint8, qint8 or qint32");
    }

    @Override
    public String toString() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
