package dev.vquant.ops.core;

import dev.vquant.engine.QTensor;
import dev.vquant.engine.QuantEngine;
import dev.vquant.engine.spi.KernelBackend;

/**
 * An operator from one quantized tensor to another. Immutable after construction and safe to
 * call from many threads at once.
 */
public interface QuantizedOperator {

    /** The operator's name as used in error messages ("Linear", "Conv2d", ...). */
    String name();

    /**
     * Runs on the given engine.
     *
     * @throws IllegalArgumentException naming the operator and the offending value for a null input
     *                                  or engine, or an input the operator does not accept (each
     *                                  implementation lists what it accepts); never an index error
     */
    QTensor forward(QTensor x, KernelBackend engine);

    /** Runs on the current engine ({@link QuantEngine#current()}, read once); throws as {@link #forward(QTensor, KernelBackend)}. */
    default QTensor forward(QTensor x) {
        return forward(x, QuantEngine.current());
    }

    /**
     * Untyped entry for graph executors.
     *
     * @throws IllegalArgumentException for anything but a quantized tensor (a float tensor gets a
     *                                  hint to insert a Quantize step), else as {@link #forward(QTensor)}
     */
    default QTensor apply(Object x) {
        return forward(TensorChecks.quantized(name(), x));
    }
}
