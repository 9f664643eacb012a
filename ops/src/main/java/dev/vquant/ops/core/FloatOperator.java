package dev.vquant.ops.core;

import dev.vquant.engine.FloatTensor;
import dev.vquant.engine.QuantEngine;
import dev.vquant.engine.spi.KernelBackend;

/**
 * An operator from one float32 tensor to another (float twins and dynamically quantized ops).
 * Immutable after construction and safe to call from many threads at once.
 */
public interface FloatOperator {

    /** {@return the operator's name as used in error messages ("Linear", "Conv2d", ...)} */
    String name();

    /**
     * Runs on the given engine's float (or dynamic int8) kernels.
     *
     * @throws IllegalArgumentException naming the operator and the offending value for a null input
     *                                  or engine, or an input the operator does not accept (each
     *                                  implementation lists what it accepts); never an index error
     * @param x      the input, in the operator's PyTorch layout (NHWC for images)
     * @param engine the kernel backend to run on
     * @return a new output tensor
     */
    FloatTensor forward(FloatTensor x, KernelBackend engine);

    /**
     * Runs on the current engine ({@link QuantEngine#current()}, read once); throws as {@link #forward(FloatTensor, KernelBackend)}.
     *
     * @param x the input
     * @return a new output tensor
     */
    default FloatTensor forward(FloatTensor x) {
        return forward(x, QuantEngine.current());
    }

    /**
     * Untyped entry for graph executors.
     *
     * @param x the input, expected to be a {@link FloatTensor}
     * @return a new output tensor
     * @throws IllegalArgumentException for anything but a float tensor (a quantized one gets a hint
     *                                  to insert a DeQuantize step), else as {@link #forward(FloatTensor)}
     */
    default FloatTensor apply(Object x) {
        return forward(TensorChecks.floating(name(), x));
    }
}
