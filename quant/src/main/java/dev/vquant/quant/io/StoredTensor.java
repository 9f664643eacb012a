package dev.vquant.quant.io;

import dev.vquant.engine.FloatTensor;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * One tensor as a safetensors file stores it: a {@link SafeTensorsDType}, a shape in PyTorch's
 * logical order (row-major, C order; a 4-D activation is NCHW, a conv weight
 * {@code [Cout, Cin/groups, KH, KW]}) and its elements as little-endian bytes. Immutable; the name
 * lives in the map that holds it.
 *
 * <p>A tensor read from a file is a read-only view of the memory-mapped file (no copy until a
 * {@code to...Array()} converter is called); one built by a factory owns a private copy.
 *
 * <p>The converters follow PyTorch: {@link #toFloatArray()} is {@code t.float()} (exact for
 * F32/F16/BF16/F8, round to nearest even from F64 and the wide integers), {@link #toDoubleArray()}
 * is {@code t.double()}, {@link #toLongArray()} and {@link #toIntArray()} read integer and bool
 * tensors (never floats: that would truncate), {@link #toByteArray()} reads I8, U8 (bit patterns, read
 * back with {@code & 0xFF}) and BOOL, {@link #toBooleanArray()} reads BOOL.
 */
public final class StoredTensor {
    /** Elements a Java array can hold (the VM's practical limit). */
    static final long MAX_ARRAY_LENGTH = Integer.MAX_VALUE - 8;

    private static final ValueLayout.OfShort SHORT_LE = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfInt INT_LE = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfLong LONG_LE = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfFloat FLOAT_LE = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfDouble DOUBLE_LE = ValueLayout.JAVA_DOUBLE_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    private final SafeTensorsDType dtype;
    private final long[] shape;
    private final long numel;
    private final MemorySegment data;

    /** {@code data} must be read-only and hold exactly numel(shape) * dtype.byteSize() bytes (checked). */
    StoredTensor(SafeTensorsDType dtype, long[] shape, MemorySegment data) {
        this.dtype = dtype;
        this.shape = shape;
        this.numel = numel(shape);
        this.data = data;
        long expected = byteLength(shape, dtype);
        if (data.byteSize() != expected) {
            throw new IllegalArgumentException(dtype + " tensor of shape " + Arrays.toString(shape) + " needs "
                    + expected + " bytes, got " + data.byteSize());
        }
    }

    // ---------------------------------------------------------------- factories

    /**
     * A tensor of any dtype from its little-endian bytes (copied), e.g. for I16 or U32 data.
     *
     * @param dtype             the element type
     * @param shape             the shape ({@code []} for a scalar), dimensions non-negative
     * @param littleEndianBytes the elements in row-major order, little-endian
     * @return a new tensor
     * @throws IllegalArgumentException for a null or negative shape, or a byte count other than
     *                                  {@code numel(shape) * dtype.byteSize()}
     */
    public static StoredTensor of(SafeTensorsDType dtype, long[] shape, byte[] littleEndianBytes) {
        if (dtype == null) {
            throw new IllegalArgumentException("dtype must not be null");
        }
        long[] s = checkShape(shape);
        if (littleEndianBytes == null) {
            throw new IllegalArgumentException("data must not be null");
        }
        return new StoredTensor(dtype, s, MemorySegment.ofArray(littleEndianBytes.clone()).asReadOnly());
    }

    /**
     * An F32 tensor ({@code torch.float32}) holding {@code values} (copied) in row-major order.
     *
     * @param shape  the shape ({@code []} for a scalar), dimensions non-negative
     * @param values the elements in row-major order, {@code numel(shape)} of them (copied)
     * @return a new tensor
     */
    public static StoredTensor ofFloat(long[] shape, float[] values) {
        MemorySegment m = allocate(SafeTensorsDType.F32, shape, values == null ? -1 : values.length);
        MemorySegment.copy(values, 0, m, FLOAT_LE, 0, values.length);
        return sealed(SafeTensorsDType.F32, shape, m);
    }

    /**
     * An F32 tensor with the shape and values of {@code tensor} (copied; the order of its data is kept).
     *
     * @param tensor an engine tensor
     * @return a new tensor
     */
    public static StoredTensor ofFloat(FloatTensor tensor) {
        if (tensor == null) {
            throw new IllegalArgumentException("tensor must not be null");
        }
        return ofFloat(Arrays.stream(tensor.shape()).asLongStream().toArray(), tensor.data());
    }

    /**
     * An F64 tensor ({@code torch.float64}).
     *
     * @param shape  the shape ({@code []} for a scalar), dimensions non-negative
     * @param values the elements in row-major order, {@code numel(shape)} of them (copied)
     * @return a new tensor
     */
    public static StoredTensor ofDouble(long[] shape, double[] values) {
        MemorySegment m = allocate(SafeTensorsDType.F64, shape, values == null ? -1 : values.length);
        MemorySegment.copy(values, 0, m, DOUBLE_LE, 0, values.length);
        return sealed(SafeTensorsDType.F64, shape, m);
    }

    /**
     * An F16 tensor: {@code values} rounded as {@code torch.tensor(values).half()} does (nearest even).
     *
     * @param shape  the shape ({@code []} for a scalar), dimensions non-negative
     * @param values the elements in row-major order, {@code numel(shape)} of them (copied)
     * @return a new tensor
     */
    public static StoredTensor ofHalf(long[] shape, float[] values) {
        MemorySegment m = allocate(SafeTensorsDType.F16, shape, values == null ? -1 : values.length);
        for (int i = 0; i < values.length; i++) {
            m.setAtIndex(SHORT_LE, i, SmallFloats.floatToHalf(values[i]));
        }
        return sealed(SafeTensorsDType.F16, shape, m);
    }

    /**
     * A BF16 tensor: {@code values} rounded as {@code torch.tensor(values).bfloat16()} does (nearest even).
     *
     * @param shape  the shape ({@code []} for a scalar), dimensions non-negative
     * @param values the elements in row-major order, {@code numel(shape)} of them (copied)
     * @return a new tensor
     */
    public static StoredTensor ofBFloat16(long[] shape, float[] values) {
        MemorySegment m = allocate(SafeTensorsDType.BF16, shape, values == null ? -1 : values.length);
        for (int i = 0; i < values.length; i++) {
            m.setAtIndex(SHORT_LE, i, SmallFloats.floatToBFloat16(values[i]));
        }
        return sealed(SafeTensorsDType.BF16, shape, m);
    }

    /**
     * An I64 tensor ({@code torch.int64}).
     *
     * @param shape  the shape ({@code []} for a scalar), dimensions non-negative
     * @param values the elements in row-major order, {@code numel(shape)} of them (copied)
     * @return a new tensor
     */
    public static StoredTensor ofLong(long[] shape, long[] values) {
        MemorySegment m = allocate(SafeTensorsDType.I64, shape, values == null ? -1 : values.length);
        MemorySegment.copy(values, 0, m, LONG_LE, 0, values.length);
        return sealed(SafeTensorsDType.I64, shape, m);
    }

    /**
     * An I32 tensor ({@code torch.int32}).
     *
     * @param shape  the shape ({@code []} for a scalar), dimensions non-negative
     * @param values the elements in row-major order, {@code numel(shape)} of them (copied)
     * @return a new tensor
     */
    public static StoredTensor ofInt(long[] shape, int[] values) {
        MemorySegment m = allocate(SafeTensorsDType.I32, shape, values == null ? -1 : values.length);
        MemorySegment.copy(values, 0, m, INT_LE, 0, values.length);
        return sealed(SafeTensorsDType.I32, shape, m);
    }

    /**
     * An I8 tensor ({@code torch.int8}), e.g. a quantized weight's {@code int_repr()}.
     *
     * @param shape  the shape ({@code []} for a scalar), dimensions non-negative
     * @param values the elements in row-major order, {@code numel(shape)} of them (copied)
     * @return a new tensor
     */
    public static StoredTensor ofByte(long[] shape, byte[] values) {
        return ofBytes(SafeTensorsDType.I8, shape, values);
    }

    /**
     * A U8 tensor ({@code torch.uint8}) from bit patterns: byte {@code -1} stores 255.
     *
     * @param shape  the shape ({@code []} for a scalar), dimensions non-negative
     * @param values the elements' bit patterns in row-major order, {@code numel(shape)} of them (copied)
     * @return a new tensor
     */
    public static StoredTensor ofUnsignedByte(long[] shape, byte[] values) {
        return ofBytes(SafeTensorsDType.U8, shape, values);
    }

    /**
     * A BOOL tensor ({@code torch.bool}): one byte per element, 0 or 1.
     *
     * @param shape  the shape ({@code []} for a scalar), dimensions non-negative
     * @param values the elements in row-major order, {@code numel(shape)} of them (copied)
     * @return a new tensor
     */
    public static StoredTensor ofBoolean(long[] shape, boolean[] values) {
        MemorySegment m = allocate(SafeTensorsDType.BOOL, shape, values == null ? -1 : values.length);
        for (int i = 0; i < values.length; i++) {
            m.set(ValueLayout.JAVA_BYTE, i, values[i] ? (byte) 1 : (byte) 0);
        }
        return sealed(SafeTensorsDType.BOOL, shape, m);
    }

    private static StoredTensor ofBytes(SafeTensorsDType dtype, long[] shape, byte[] values) {
        MemorySegment m = allocate(dtype, shape, values == null ? -1 : values.length);
        MemorySegment.copy(values, 0, m, ValueLayout.JAVA_BYTE, 0, values.length);
        return sealed(dtype, shape, m);
    }

    /** A zeroed heap segment for {@code length} elements, after checking them against the shape. */
    private static MemorySegment allocate(SafeTensorsDType dtype, long[] shape, int length) {
        long[] s = checkShape(shape);
        if (length < 0) {
            throw new IllegalArgumentException("values must not be null");
        }
        long n = numel(s);
        if (n != length) {
            throw new IllegalArgumentException(dtype + " tensor: shape " + Arrays.toString(s) + " holds " + n
                    + " elements but " + length + " values were given");
        }
        long bytes = (long) length * dtype.byteSize();
        if (bytes > MAX_ARRAY_LENGTH) {
            throw new IllegalArgumentException(dtype + " tensor of " + length + " elements needs " + bytes
                    + " bytes, more than one Java array holds");
        }
        return MemorySegment.ofArray(new byte[(int) bytes]);
    }

    private static StoredTensor sealed(SafeTensorsDType dtype, long[] shape, MemorySegment filled) {
        return new StoredTensor(dtype, shape.clone(), filled.asReadOnly());
    }

    // ---------------------------------------------------------------- accessors

    /** {@return the element type} */
    public SafeTensorsDType dtype() {
        return dtype;
    }

    /** {@return a copy of the shape ({@code []} for a scalar)} */
    public long[] shape() {
        return shape.clone();
    }

    /**
     * The shape as {@code int[]}, as the engine's tensors take it.
     *
     * @return a new array of the dimensions
     * @throws IllegalArgumentException when a dimension exceeds {@code Integer.MAX_VALUE}
     */
    public int[] intShape() {
        int[] s = new int[shape.length];
        for (int i = 0; i < s.length; i++) {
            if (shape[i] > Integer.MAX_VALUE) {
                throw new IllegalArgumentException("shape " + Arrays.toString(shape) + " has a dimension over 2^31-1");
            }
            s[i] = (int) shape[i];
        }
        return s;
    }

    /** {@return number of dimensions (0 for a scalar)} */
    public int rank() {
        return shape.length;
    }

    /** {@return number of elements (1 for a scalar, 0 when a dimension is 0)} */
    public long numel() {
        return numel;
    }

    /** {@return the size of the data in bytes: {@code numel() * dtype().byteSize()}} */
    public long byteSize() {
        return data.byteSize();
    }

    /** {@return the elements as read-only little-endian bytes, without a copy (for a read tensor: the mapped file)} */
    public MemorySegment data() {
        return data;
    }

    /** {@return a copy of the little-endian bytes} */
    public byte[] toBytes() {
        checkArrayLength(data.byteSize(), "toBytes");
        return data.toArray(ValueLayout.JAVA_BYTE);
    }

    // ---------------------------------------------------------------- converters

    /**
     * The elements as float32, as {@code t.float()}: F32 as is, F16/BF16/F8 widened exactly, F64 and
     * integers rounded to nearest even, BOOL as 0 and 1.
     *
     * @return a new array, row-major
     */
    public float[] toFloatArray() {
        int n = checkArrayLength(numel, "toFloatArray");
        float[] out = new float[n];
        switch (dtype) {
            case F32 -> MemorySegment.copy(data, FLOAT_LE, 0, out, 0, n);
            case F64 -> {
                for (int i = 0; i < n; i++) {
                    out[i] = (float) data.getAtIndex(DOUBLE_LE, i);
                }
            }
            case F16 -> {
                for (int i = 0; i < n; i++) {
                    out[i] = SmallFloats.halfToFloat(data.getAtIndex(SHORT_LE, i));
                }
            }
            case BF16 -> {
                for (int i = 0; i < n; i++) {
                    out[i] = SmallFloats.bfloat16ToFloat(data.getAtIndex(SHORT_LE, i));
                }
            }
            case F8_E5M2 -> {
                for (int i = 0; i < n; i++) {
                    out[i] = SmallFloats.e5m2ToFloat(data.get(ValueLayout.JAVA_BYTE, i));
                }
            }
            case F8_E4M3 -> {
                for (int i = 0; i < n; i++) {
                    out[i] = SmallFloats.e4m3fnToFloat(data.get(ValueLayout.JAVA_BYTE, i));
                }
            }
            case U64 -> {
                for (int i = 0; i < n; i++) {
                    out[i] = SmallFloats.unsignedLongToFloat(data.getAtIndex(LONG_LE, i));
                }
            }
            default -> {
                for (int i = 0; i < n; i++) {
                    out[i] = (float) integerAt(i);
                }
            }
        }
        return out;
    }

    /**
     * The elements as float64, as {@code t.double()}: exact for every dtype except I64/U64 beyond
     * 2^53 (rounded to nearest even).
     *
     * @return a new array, row-major
     */
    public double[] toDoubleArray() {
        int n = checkArrayLength(numel, "toDoubleArray");
        double[] out = new double[n];
        switch (dtype) {
            case F64 -> MemorySegment.copy(data, DOUBLE_LE, 0, out, 0, n);
            case F32 -> {
                for (int i = 0; i < n; i++) {
                    out[i] = data.getAtIndex(FLOAT_LE, i);
                }
            }
            case F16, BF16, F8_E5M2, F8_E4M3 -> {
                float[] f = toFloatArray();
                for (int i = 0; i < n; i++) {
                    out[i] = f[i];
                }
            }
            case U64 -> {
                for (int i = 0; i < n; i++) {
                    out[i] = SmallFloats.unsignedLongToDouble(data.getAtIndex(LONG_LE, i));
                }
            }
            default -> {
                for (int i = 0; i < n; i++) {
                    out[i] = (double) integerAt(i);
                }
            }
        }
        return out;
    }

    /**
     * The elements of an integer or BOOL tensor as {@code long}, as {@code t.long()}.
     *
     * @return a new array, row-major
     * @throws IllegalArgumentException for a floating-point tensor, or a U64 element above
     *                                  {@code Long.MAX_VALUE} (named by index)
     */
    public long[] toLongArray() {
        requireIntegerOrBool("toLongArray");
        int n = checkArrayLength(numel, "toLongArray");
        long[] out = new long[n];
        for (int i = 0; i < n; i++) {
            long v = integerAt(i);
            if (dtype == SafeTensorsDType.U64 && v < 0) {
                throw new IllegalArgumentException("toLongArray: U64 element " + i + " = "
                        + Long.toUnsignedString(v) + " exceeds Long.MAX_VALUE");
            }
            out[i] = v;
        }
        return out;
    }

    /**
     * The elements of an integer or BOOL tensor as {@code int}, as {@code t.int()} but checked.
     *
     * @return a new array, row-major
     * @throws IllegalArgumentException for a floating-point tensor, or an element outside the int
     *                                  range (named by index and value)
     */
    public int[] toIntArray() {
        requireIntegerOrBool("toIntArray");
        int n = checkArrayLength(numel, "toIntArray");
        int[] out = new int[n];
        for (int i = 0; i < n; i++) {
            long v = integerAt(i);
            if (v != (int) v || (dtype == SafeTensorsDType.U64 && v < 0)) {
                throw new IllegalArgumentException("toIntArray: " + dtype + " element " + i + " = "
                        + (dtype == SafeTensorsDType.U64 ? Long.toUnsignedString(v) : Long.toString(v))
                        + " is outside the int range");
            }
            out[i] = (int) v;
        }
        return out;
    }

    /**
     * The elements of an I8, U8 or BOOL tensor as bytes: I8 values, U8 bit patterns (read back
     * with {@code & 0xFF}, as quint8 data is in the engine), BOOL as 0 and 1.
     *
     * @return a new array, row-major
     * @throws IllegalArgumentException for any other dtype
     */
    public byte[] toByteArray() {
        if (dtype != SafeTensorsDType.I8 && dtype != SafeTensorsDType.U8 && dtype != SafeTensorsDType.BOOL) {
            throw new IllegalArgumentException("toByteArray reads I8, U8 and BOOL tensors; this one is " + describe()
                    + " (toBytes() gives its raw bytes)");
        }
        byte[] out = toBytes();
        if (dtype == SafeTensorsDType.BOOL) {
            for (int i = 0; i < out.length; i++) {
                out[i] = out[i] != 0 ? (byte) 1 : (byte) 0;
            }
        }
        return out;
    }

    /**
     * The elements of a BOOL tensor (any non-zero byte is true, as in PyTorch).
     *
     * @return a new array, row-major
     * @throws IllegalArgumentException for any other dtype
     */
    public boolean[] toBooleanArray() {
        if (dtype != SafeTensorsDType.BOOL) {
            throw new IllegalArgumentException("toBooleanArray reads BOOL tensors; this one is " + describe());
        }
        int n = checkArrayLength(numel, "toBooleanArray");
        boolean[] out = new boolean[n];
        for (int i = 0; i < n; i++) {
            out[i] = data.get(ValueLayout.JAVA_BYTE, i) != 0;
        }
        return out;
    }

    /**
     * This tensor as the engine's {@link FloatTensor} (via {@link #toFloatArray()}), with the same shape
     * and element order: PyTorch's logical layout. Weights go to vquant's operators as they are (a conv
     * weight is {@code [Cout, Cin/groups, KH, KW]} there too); a 4-D <em>activation</em> is NCHW here
     * and must go through {@code dev.vquant.ops.convert.Layout.nchwToNhwc} before an operator that
     * computes in NHWC.
     *
     * @return a new float32 engine tensor of this shape
     */
    public FloatTensor toFloatTensor() {
        int[] s = intShape();
        return FloatTensor.of(toFloatArray(), s);
    }

    /** Element {@code i} of an integer or BOOL tensor, sign- or zero-extended (U64 as its bit pattern). */
    private long integerAt(long i) {
        return switch (dtype) {
            case BOOL -> data.get(ValueLayout.JAVA_BYTE, i) != 0 ? 1 : 0;
            case U8 -> data.get(ValueLayout.JAVA_BYTE, i) & 0xFF;
            case I8 -> data.get(ValueLayout.JAVA_BYTE, i);
            case I16 -> data.getAtIndex(SHORT_LE, i);
            case U16 -> data.getAtIndex(SHORT_LE, i) & 0xFFFF;
            case I32 -> data.getAtIndex(INT_LE, i);
            case U32 -> data.getAtIndex(INT_LE, i) & 0xFFFF_FFFFL;
            case I64, U64 -> data.getAtIndex(LONG_LE, i);
            default -> throw new IllegalStateException("not an integer dtype: " + dtype);
        };
    }

    private void requireIntegerOrBool(String what) {
        if (!dtype.isInteger() && dtype != SafeTensorsDType.BOOL) {
            throw new IllegalArgumentException(what + " reads integer and BOOL tensors; this one is " + describe()
                    + " (use toFloatArray or toDoubleArray)");
        }
    }

    private int checkArrayLength(long length, String what) {
        if (length > MAX_ARRAY_LENGTH) {
            throw new IllegalArgumentException(what + ": " + describe() + " has " + length
                    + " elements, more than one Java array holds");
        }
        return (int) length;
    }

    private String describe() {
        return dtype + " (torch." + dtype.torchName() + ") " + Arrays.toString(shape);
    }

    // ---------------------------------------------------------------- shape arithmetic

    /**
     * Elements of {@code shape}.
     *
     * @throws ArithmeticException when the product overflows a long
     */
    static long numel(long[] shape) {
        long n = 1;
        for (long d : shape) {
            n = Math.multiplyExact(n, d);
        }
        return n;
    }

    /**
     * Bytes of a tensor of this shape and dtype.
     *
     * @throws ArithmeticException when the element count or the byte count overflows a long
     */
    static long byteLength(long[] shape, SafeTensorsDType dtype) {
        return Math.multiplyExact(numel(shape), (long) dtype.byteSize());
    }

    private static long[] checkShape(long[] shape) {
        if (shape == null) {
            throw new IllegalArgumentException("shape must not be null");
        }
        for (long d : shape) {
            if (d < 0) {
                throw new IllegalArgumentException("negative dimension in shape " + Arrays.toString(shape));
            }
        }
        try {
            numel(shape);
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException("shape " + Arrays.toString(shape) + " has more than 2^63-1 elements");
        }
        return shape.clone();
    }

    // ---------------------------------------------------------------- identity

    /** Same dtype, same shape and the same bytes (so NaNs compare by bit pattern). */
    @Override
    public boolean equals(Object o) {
        return o instanceof StoredTensor t && dtype == t.dtype && Arrays.equals(shape, t.shape)
                && data.mismatch(t.data) == -1;
    }

    @Override
    public int hashCode() {
        int h = 31 * dtype.hashCode() + Arrays.hashCode(shape);
        long n = Math.min(data.byteSize(), 64); // a prefix is enough for a hash
        for (long i = 0; i < n; i++) {
            h = 31 * h + data.get(ValueLayout.JAVA_BYTE, i);
        }
        return h;
    }

    /** e.g. {@code StoredTensor(F32, [16, 1, 3, 3])}. */
    @Override
    public String toString() {
        return "StoredTensor(" + dtype + ", " + Arrays.toString(shape) + ")";
    }
}
