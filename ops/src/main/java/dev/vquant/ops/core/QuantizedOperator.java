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

    /** Runs on the given engine. */
    QTensor forward(QTensor x, KernelBackend engine);

    /** Runs on the current engine ({@link QuantEngine#current()}, read once). */
    default QTensor forward(QTensor x) {
        return forward(x, QuantEngine.current());
    }

    /** Untyped entry for graph executors: rejects a float tensor with a hint to insert a Quantize step. */
    default QTensor apply(Object x) {
        return forward(TensorChecks.quantized(name(), x));
    }
}
