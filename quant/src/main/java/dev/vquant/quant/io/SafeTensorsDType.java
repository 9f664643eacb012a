package dev.vquant.quant.io;

import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * The element types of a safetensors file, with the format's spelling ({@code "F32"}, {@code "BF16"},
 * ...) and PyTorch's name for each ({@code torch.float32}, {@code torch.bfloat16}, ...).
 *
 * <p>Not to be confused with {@link dev.vquant.engine.DType}, the engine's quantized types: a
 * quantized PyTorch tensor is stored in safetensors as its integer representation ({@link #I8} or
 * {@link #U8}) beside its scale and zero point.
 *
 * <p>The constants are declared in the order of the reference implementation's {@code Dtype} enum
 * (increasing alignment); {@link SafeTensors#write} lays tensors out by descending position in it,
 * as that implementation does, so every tensor starts naturally aligned.
 */
public enum SafeTensorsDType {
    /** {@code torch.bool}: one byte, 0 or 1. */
    BOOL(1, "bool", Kind.BOOLEAN),
    /** {@code torch.uint8}. */
    U8(1, "uint8", Kind.INTEGER),
    /** {@code torch.int8}. */
    I8(1, "int8", Kind.INTEGER),
    /** {@code torch.float8_e5m2}: 1 sign, 5 exponent, 2 mantissa bits (the top byte of a float16). */
    F8_E5M2(1, "float8_e5m2", Kind.FLOATING),
    /** {@code torch.float8_e4m3fn}: 1 sign, 4 exponent, 3 mantissa bits, no infinities, NaN = S.1111.111. */
    F8_E4M3(1, "float8_e4m3fn", Kind.FLOATING),
    /** {@code torch.int16}. */
    I16(2, "int16", Kind.INTEGER),
    /** {@code torch.uint16}. */
    U16(2, "uint16", Kind.INTEGER),
    /** {@code torch.float16} (IEEE binary16). */
    F16(2, "float16", Kind.FLOATING),
    /** {@code torch.bfloat16}: the top half of a float32. */
    BF16(2, "bfloat16", Kind.FLOATING),
    /** {@code torch.int32}. */
    I32(4, "int32", Kind.INTEGER),
    /** {@code torch.uint32}. */
    U32(4, "uint32", Kind.INTEGER),
    /** {@code torch.float32}. */
    F32(4, "float32", Kind.FLOATING),
    /** {@code torch.float64}. */
    F64(8, "float64", Kind.FLOATING),
    /** {@code torch.int64}. */
    I64(8, "int64", Kind.INTEGER),
    /** {@code torch.uint64}. */
    U64(8, "uint64", Kind.INTEGER);

    private enum Kind { BOOLEAN, INTEGER, FLOATING }

    private final int byteSize;
    private final String torchName;
    private final Kind kind;

    SafeTensorsDType(int byteSize, String torchName, Kind kind) {
        this.byteSize = byteSize;
        this.torchName = torchName;
        this.kind = kind;
    }

    /** {@return the bytes per element} */
    public int byteSize() {
        return byteSize;
    }

    /** {@return PyTorch's name, as in {@code torch.<name>}: {@code "float32"}, {@code "bfloat16"}, ...} */
    public String torchName() {
        return torchName;
    }

    /** {@return true for the floating-point types (F64, F32, F16, BF16, F8_E5M2, F8_E4M3)} */
    public boolean isFloatingPoint() {
        return kind == Kind.FLOATING;
    }

    /** {@return true for the integer types, signed and unsigned (BOOL excluded)} */
    public boolean isInteger() {
        return kind == Kind.INTEGER;
    }

    /** {@return true for the unsigned integer types U8, U16, U32, U64} */
    public boolean isUnsigned() {
        return this == U8 || this == U16 || this == U32 || this == U64;
    }

    /** {@return the spelling in a safetensors header, e.g. {@code "F32"} (the constant's name)} */
    public String headerName() {
        return name();
    }

    /**
     * The dtype a safetensors header names.
     *
     * @param name the header's {@code dtype} string, e.g. {@code "F32"}
     * @return the constant of that name
     * @throws IllegalArgumentException for a name this reader does not know (F8_E8M0, F4, F6_E2M3, ...
     *                                  and anything else), listing the known ones
     */
    public static SafeTensorsDType fromHeaderName(String name) {
        if (name != null) {
            for (SafeTensorsDType d : values()) {
                if (d.name().equals(name)) {
                    return d;
                }
            }
        }
        throw new IllegalArgumentException("unknown safetensors dtype " + (name == null ? "null" : "'" + name + "'")
                + "; known: " + Arrays.stream(values()).map(Enum::name).collect(Collectors.joining(", ")));
    }
}
