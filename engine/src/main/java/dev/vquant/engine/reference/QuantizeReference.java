package dev.vquant.engine.reference;

import dev.vquant.engine.DType;
import dev.vquant.engine.spi.KernelArgs;
import dev.vquant.engine.spi.QuantizeKernels;
import dev.vquant.engine.spi.Requantization;

/**
 * Scalar quantize, dequantize and requantize with PyTorch's float32 numerics:
 * <pre>
 * quantize:   q = clamp(zp + rint_half_even(x * f32(1 / scale)), dtype.min, dtype.max)   (all float32)
 * dequantize: x = f32(q - zp) * scale          (per channel: f32((double) (q - zp) * scale[c]))
 * requantize: q = clamp(rint_half_even(f32(acc) * multiplier) + zp, qmin, qmax)
 * </pre>
 * The quantize clamp happens in float, before the conversion to int, so +-inf and values beyond
 * the int range saturate at the dtype bounds. NaN is the caller's to reject; here it becomes
 * {@code clamp(0)}. Thread-safe (stateless).
 */
public final class QuantizeReference implements QuantizeKernels {

    /** Creates the scalar quantize kernels; stateless, so one instance (each {@link ReferenceBackend} makes one) serves all threads. */
    public QuantizeReference() {
    }

    @Override
    public void quantize(float[] x, int xOff, byte[] q, int qOff, int len, float scale, int zeroPoint, DType dtype) {
        KernelArgs.checkQuantParams(scale, zeroPoint, dtype);
        KernelArgs.checkRange("quantize input", ReferenceArgs.length(x, "input"), xOff, len);
        KernelArgs.checkRange("quantize output", ReferenceArgs.length(q, "output"), qOff, len);
        float inverseScale = 1.0f / scale;
        for (int i = 0; i < len; i++) {
            q[qOff + i] = (byte) quantizeOne(x[xOff + i], inverseScale, zeroPoint, dtype);
        }
    }

    @Override
    public void dequantize(byte[] q, int qOff, float[] x, int xOff, int len, float scale, int zeroPoint, DType dtype) {
        KernelArgs.checkQuantParams(scale, zeroPoint, dtype);
        KernelArgs.checkRange("dequantize input", ReferenceArgs.length(q, "input"), qOff, len);
        KernelArgs.checkRange("dequantize output", ReferenceArgs.length(x, "output"), xOff, len);
        for (int i = 0; i < len; i++) {
            x[xOff + i] = (float) (dtype.load(q, qOff + i) - zeroPoint) * scale;
        }
    }

    @Override
    public void quantizePerChannel(float[] x, byte[] q, int outer, int channels, int inner, float[] scales,
                                   int[] zeroPoints, DType dtype) {
        KernelArgs.checkPerChannelParams(scales, zeroPoints, channels, dtype);
        KernelArgs.checkPerChannelExtents(ReferenceArgs.length(x, "input"), ReferenceArgs.length(q, "output"), outer, channels, inner);
        for (int o = 0; o < outer; o++) {
            for (int c = 0; c < channels; c++) {
                float inverseScale = 1.0f / scales[c];
                int base = (o * channels + c) * inner;
                for (int i = 0; i < inner; i++) {
                    q[base + i] = (byte) quantizeOne(x[base + i], inverseScale, zeroPoints[c], dtype);
                }
            }
        }
    }

    @Override
    public void dequantizePerChannel(byte[] q, float[] x, int outer, int channels, int inner, double[] scales,
                                     int[] zeroPoints, DType dtype) {
        KernelArgs.checkPerChannelParams(scales, zeroPoints, channels, dtype);
        KernelArgs.checkPerChannelExtents(ReferenceArgs.length(q, "input"), ReferenceArgs.length(x, "output"), outer, channels, inner);
        for (int o = 0; o < outer; o++) {
            for (int c = 0; c < channels; c++) {
                int base = (o * channels + c) * inner;
                for (int i = 0; i < inner; i++) {
                    // PyTorch multiplies by its double per-channel scale, then rounds once to float
                    x[base + i] = (float) ((double) (dtype.load(q, base + i) - zeroPoints[c]) * scales[c]);
                }
            }
        }
    }

    @Override
    public void requantize(int[] acc, int accOff, byte[] q, int qOff, int len, float multiplier, int zeroPoint,
                           int qmin, int qmax) {
        // the factory validates multiplier, zero point and range with the same messages every engine gives
        Requantization rule = Requantization.ofMultiplier(multiplier, zeroPoint, qmin, qmax, 1);
        KernelArgs.checkRange("requantize input", ReferenceArgs.length(acc, "input"), accOff, len);
        KernelArgs.checkRange("requantize output", ReferenceArgs.length(q, "output"), qOff, len);
        for (int i = 0; i < len; i++) {
            q[qOff + i] = (byte) rule.apply(acc[accOff + i], 0);
        }
    }

    /**
     * One element: {@code clamp(zp + rint(x * inverseScale))} in float32, clamped while still a
     * float so that infinities and huge values saturate instead of wrapping in the int conversion.
     */
    static int quantizeOne(float x, float inverseScale, int zeroPoint, DType dtype) {
        float rounded = (float) Math.rint(x * inverseScale);
        float shifted = zeroPoint + rounded;
        float clamped = Math.min(Math.max(shifted, (float) dtype.min()), (float) dtype.max());
        return (int) clamped;
    }
}
