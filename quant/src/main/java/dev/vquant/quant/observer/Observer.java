package dev.vquant.quant.observer;

import dev.vquant.engine.FloatTensor;
import dev.vquant.engine.QParams;

/**
 * An observer (PyTorch's {@code ObserverBase}): {@link #forward} records statistics of the
 * tensors that flow through it and returns them unchanged; {@link #calculateQParams} turns the
 * statistics into quantization parameters. Observers are mutable and not thread-safe.
 */
public interface Observer {

    /**
     * Records {@code x} and returns it (the same instance). An empty tensor is returned without
     * being recorded, as in PyTorch.
     *
     * @param x the tensor to record, in PyTorch's logical order
     * @return {@code x}
     * @throws IllegalArgumentException when {@code x} is null or holds NaN or an infinity (PyTorch
     *                                  would record those and produce unusable qparams), or its shape does
     *                                  not fit the observer (per-channel observers)
     */
    FloatTensor forward(FloatTensor x);

    /**
     * The quantization parameters for what was observed so far: per tensor, or per channel along
     * the observer's {@code ch_axis}. Before any data, PyTorch's default (scale 1.0, zero point 0,
     * one entry) with a logged warning.
     *
     * @return the scale and zero point (one pair, or one per channel)
     * @throws IllegalStateException for observers that do not compute qparams ({@link PlaceholderObserver})
     */
    QParams calculateQParams();
}
