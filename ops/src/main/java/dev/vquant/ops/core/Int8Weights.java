package dev.vquant.ops.core;

import dev.vquant.engine.DType;
import dev.vquant.engine.QParams;
import dev.vquant.engine.QTensor;

import java.util.Arrays;

/**
 * The original qint8 weights of an operator, kept for repacking on another engine: a row-major
 * matrix {@code [rows][cols]} (PyTorch's {@code [out, in...]} flattened after the first axis) with
 * one scale and zero point per tensor or per row (per-channel along axis 0). Immutable: the data
 * is copied in.
 */
public final class Int8Weights {
    private final byte[] data;
    private final int rows;
    private final int cols;
    private final int[] shape;
    private final double[] scales;
    private final int[] zeroPoints;
    private final boolean perChannel;

    private Int8Weights(byte[] data, int[] shape, double[] scales, int[] zeroPoints, boolean perChannel) {
        this.data = data;
        this.shape = shape;
        this.rows = shape[0];
        this.cols = shape[0] == 0 ? 0 : data.length / shape[0];
        this.scales = scales;
        this.zeroPoints = zeroPoints;
        this.perChannel = perChannel;
    }

    /**
     * Validates and copies a qint8 weight tensor of rank {@code >= 2}, per tensor or per channel
     * along axis 0.
     *
     * @param op names the operator in the message
     * @param w  the qint8 weight, output channels first (PyTorch's {@code [out, in, ...]})
     * @return the validated copy
     * @throws IllegalArgumentException when {@code w} is null, not qint8, empty, of rank below 2 or
     *                                  per channel along an axis other than 0
     */
    public static Int8Weights of(String op, QTensor w) {
        if (w == null) {
            throw new IllegalArgumentException(op + ": weight must not be null");
        }
        if (w.dtype() != DType.QINT8) {
            throw new IllegalArgumentException(op + ": expected qint8 weights, got " + w.dtype());
        }
        int[] shape = w.shape();
        if (shape.length < 2 || shape[0] == 0 || w.numel() == 0) {
            throw new IllegalArgumentException(op + ": expected a non-empty weight of rank >= 2, got shape "
                    + Arrays.toString(shape));
        }
        QParams q = w.qparams();
        int n = shape[0];
        double[] s;
        int[] z;
        if (q instanceof QParams.PerChannel pc) {
            if (pc.axis() != 0) {
                throw new IllegalArgumentException(op + ": per-channel weight qparams must be along axis 0 (output channels), got axis "
                        + pc.axis());
            }
            s = pc.scales();
            z = pc.zeroPoints();
        } else {
            s = new double[]{q.scale(0)};
            z = new int[]{q.zeroPoint(0)};
        }
        return new Int8Weights(w.bytes().clone(), shape, s, z, q.isPerChannel());
    }

    /** {@return the rows (output channels)} */
    public int rows() {
        return rows;
    }

    /** {@return the columns (reduction length)} */
    public int cols() {
        return cols;
    }

    /** {@return a copy of the original weight shape} */
    public int[] shape() {
        return shape.clone();
    }

    /** {@return the row-major data; do not modify} */
    public byte[] data() {
        return data;
    }

    /** {@return one scale, or one per row; do not modify} */
    public double[] scales() {
        return scales;
    }

    /** {@return one zero point, or one per row; do not modify} */
    public int[] zeroPoints() {
        return zeroPoints;
    }

    /** {@return whether the weight is quantized per output channel (else per tensor)} */
    public boolean perChannel() {
        return perChannel;
    }

    /**
     * Scales of rows {@code [from, to)} (the one per-tensor scale stays one).
     *
     * @param from the first row, inclusive
     * @param to   the last row, exclusive
     * @return the scales of those rows, or the one per-tensor scale
     */
    public double[] scales(int from, int to) {
        return perChannel ? Arrays.copyOfRange(scales, from, to) : scales;
    }

    /**
     * Zero points of rows {@code [from, to)} (the one per-tensor zero point stays one).
     *
     * @param from the first row, inclusive
     * @param to   the last row, exclusive
     * @return the zero points of those rows, or the one per-tensor zero point
     */
    public int[] zeroPoints(int from, int to) {
        return perChannel ? Arrays.copyOfRange(zeroPoints, from, to) : zeroPoints;
    }
}
