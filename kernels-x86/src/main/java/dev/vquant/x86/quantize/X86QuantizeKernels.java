package dev.vquant.x86.quantize;

import dev.vquant.engine.DType;
import dev.vquant.engine.spi.KernelArgs;
import dev.vquant.engine.spi.QuantizeKernels;
import dev.vquant.engine.spi.Requantization;
import dev.vquant.engine.spi.VectorWidth;

/**
 * The "fbgemm" engine's quantize family at one vector width: validates every call with
 * {@link KernelArgs}, then runs the {@code V512} or {@code V256} kernel classes
 * ({@link QuantizeV512}, {@link DequantizeV512}, {@link RequantizeV512} and their 256-bit twins).
 * Numerics are {@link QuantizeKernels}'s, bit for bit. Stateless and thread-safe.
 */
public final class X86QuantizeKernels implements QuantizeKernels {
    private final boolean wide;

    /**
     * Creates the fbgemm engine's quantize/dequantize kernels at one vector width; the width's kernel classes load here.
     *
     * @param width {@link VectorWidth#V512} or {@link VectorWidth#V256}
     * @throws IllegalArgumentException for any other width
     */
    public X86QuantizeKernels(VectorWidth width) {
        if (width != VectorWidth.V512 && width != VectorWidth.V256) {
            throw new IllegalArgumentException("x86 quantize kernels exist for V512 and V256, not " + width);
        }
        this.wide = width == VectorWidth.V512;
    }

    @Override
    public void quantize(float[] x, int xOff, byte[] q, int qOff, int len, float scale, int zeroPoint, DType dtype) {
        KernelArgs.checkQuantParams(scale, zeroPoint, dtype);
        KernelArgs.checkRange("quantize input", length(x, "input"), xOff, len);
        KernelArgs.checkRange("quantize output", length(q, "output"), qOff, len);
        float inverseScale = 1.0f / scale;
        if (wide) {
            QuantizeV512.quantize(x, xOff, q, qOff, len, inverseScale, zeroPoint, dtype.min(), dtype.max());
        } else {
            QuantizeV256.quantize(x, xOff, q, qOff, len, inverseScale, zeroPoint, dtype.min(), dtype.max());
        }
    }

    @Override
    public void dequantize(byte[] q, int qOff, float[] x, int xOff, int len, float scale, int zeroPoint, DType dtype) {
        KernelArgs.checkQuantParams(scale, zeroPoint, dtype);
        KernelArgs.checkRange("dequantize input", length(q, "input"), qOff, len);
        KernelArgs.checkRange("dequantize output", length(x, "output"), xOff, len);
        boolean unsigned = dtype == DType.QUINT8;
        if (wide) {
            DequantizeV512.dequantize(q, qOff, x, xOff, len, scale, zeroPoint, unsigned);
        } else {
            DequantizeV256.dequantize(q, qOff, x, xOff, len, scale, zeroPoint, unsigned);
        }
    }

    @Override
    public void quantizePerChannel(float[] x, byte[] q, int outer, int channels, int inner, float[] scales,
                                   int[] zeroPoints, DType dtype) {
        KernelArgs.checkPerChannelParams(scales, zeroPoints, channels, dtype);
        KernelArgs.checkPerChannelExtents(length(x, "input"), length(q, "output"), outer, channels, inner);
        if (inner == 1) {
            if (wide) {
                QuantizeV512.quantizeChannelsLast(x, q, outer, channels, scales, zeroPoints, dtype.min(), dtype.max());
            } else {
                QuantizeV256.quantizeChannelsLast(x, q, outer, channels, scales, zeroPoints, dtype.min(), dtype.max());
            }
            return;
        }
        for (int o = 0; o < outer; o++) {
            for (int c = 0; c < channels; c++) {
                int base = (o * channels + c) * inner;
                float inverseScale = 1.0f / scales[c];
                if (wide) {
                    QuantizeV512.quantize(x, base, q, base, inner, inverseScale, zeroPoints[c], dtype.min(), dtype.max());
                } else {
                    QuantizeV256.quantize(x, base, q, base, inner, inverseScale, zeroPoints[c], dtype.min(), dtype.max());
                }
            }
        }
    }

    @Override
    public void dequantizePerChannel(byte[] q, float[] x, int outer, int channels, int inner, double[] scales,
                                     int[] zeroPoints, DType dtype) {
        KernelArgs.checkPerChannelParams(scales, zeroPoints, channels, dtype);
        KernelArgs.checkPerChannelExtents(length(q, "input"), length(x, "output"), outer, channels, inner);
        boolean unsigned = dtype == DType.QUINT8;
        if (inner == 1) {
            if (wide) {
                DequantizeV512.dequantizeChannelsLast(q, x, outer, channels, scales, zeroPoints, unsigned);
            } else {
                DequantizeV256.dequantizeChannelsLast(q, x, outer, channels, scales, zeroPoints, unsigned);
            }
            return;
        }
        for (int o = 0; o < outer; o++) {
            for (int c = 0; c < channels; c++) {
                int base = (o * channels + c) * inner;
                if (wide) {
                    DequantizeV512.dequantizeRun(q, base, x, inner, scales[c], zeroPoints[c], unsigned);
                } else {
                    DequantizeV256.dequantizeRun(q, base, x, inner, scales[c], zeroPoints[c], unsigned);
                }
            }
        }
    }

    @Override
    public void requantize(int[] acc, int accOff, byte[] q, int qOff, int len, float multiplier, int zeroPoint,
                           int qmin, int qmax) {
        // the factory validates multiplier, zero point and range with the messages every engine gives
        Requantization.ofMultiplier(multiplier, zeroPoint, qmin, qmax, 1);
        KernelArgs.checkRange("requantize input", length(acc, "input"), accOff, len);
        KernelArgs.checkRange("requantize output", length(q, "output"), qOff, len);
        if (wide) {
            RequantizeV512.requantize(acc, accOff, q, qOff, len, multiplier, zeroPoint, qmin, qmax);
        } else {
            RequantizeV256.requantize(acc, accOff, q, qOff, len, multiplier, zeroPoint, qmin, qmax);
        }
    }


    private static int length(Object array, String what) {
        if (array == null) {
            throw new IllegalArgumentException(what + " array must not be null");
        }
        return java.lang.reflect.Array.getLength(array);
    }
}
