package dev.vquant.bench.workload;

import dev.vquant.engine.DType;
import dev.vquant.engine.spi.KernelBackend;
import dev.vquant.engine.spi.QuantizeKernels;

import java.util.SplittableRandom;

/** Throughput of quantize, dequantize or standalone requantize over N elements (no float twin). */
public final class QuantizeWorkload implements Workload {

    /** Which conversion is measured. */
    public enum Op { QUANTIZE, DEQUANTIZE, REQUANTIZE }

    private final String id;
    private final Op op;
    private final int n;
    private final QuantizeKernels kernels;
    private final float[] floats;
    private final byte[] bytes;
    private final int[] acc;

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
