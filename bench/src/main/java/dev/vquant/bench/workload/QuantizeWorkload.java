package dev.vquant.bench.workload;

import dev.vquant.engine.DType;
import dev.vquant.engine.spi.KernelBackend;
import dev.vquant.engine.spi.QuantizeKernels;

import java.util.SplittableRandom;

/** Throughput of quantize, dequantize or standalone requantize over N elements (no float twin). */
public final class QuantizeWorkload implements Workload {

    /** Which conversion is measured. */
    public enum Op {
        /** float32 to quint8 with one scale and zero point. */
        QUANTIZE,
        /** quint8 back to float32. */
        DEQUANTIZE,
        /** int32 accumulators to quint8 (the requantization step of the int8 GEMM, alone). */
        REQUANTIZE
    }

    private final String id;
    private final Op op;
    private final int n;
    private final QuantizeKernels kernels;
    private final float[] floats;
    private final byte[] bytes;
    private final int[] acc;

    /**
     * A workload over {@code n} seeded random elements.
     *
     * @param id the case's id
     * @param engine the kernel backend whose quantize kernels run
     * @param op the conversion
     * @param n the element count
     */
    public QuantizeWorkload(String id, KernelBackend engine, Op op, int n) {
        this.id = id;
        this.op = op;
        this.n = n;
        this.kernels = engine.quantize();
        SplittableRandom rnd = new SplittableRandom(3);
        floats = new float[n];
        bytes = new byte[n];
        acc = new int[n];
        for (int i = 0; i < n; i++) {
            floats[i] = (float) (rnd.nextGaussian() * 2);
            bytes[i] = (byte) rnd.nextInt(256);
            acc[i] = rnd.nextInt(-200_000, 200_000);
        }
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public boolean hasFloat() {
        return false;
    }

    @Override
    public long elements() {
        return n;
    }

    @Override
    public void runFloat() {
        throw new IllegalStateException(id + " has no float twin");
    }

    @Override
    public void runInt8() {
        switch (op) {
            case QUANTIZE -> kernels.quantize(floats, 0, bytes, 0, n, 0.03f, 128, DType.QUINT8);
            case DEQUANTIZE -> kernels.dequantize(bytes, 0, floats, 0, n, 0.03f, 128, DType.QUINT8);
            case REQUANTIZE -> kernels.requantize(acc, 0, bytes, 0, n, 0.0007f, 128, 0, 255);
        }
    }

    @Override
    public long checksum() {
        return bytes[n - 1] + Float.floatToRawIntBits(floats[n - 1]);
    }
}
