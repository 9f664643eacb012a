package dev.vquant.ops.core;

import dev.vquant.engine.QTensor;
import dev.vquant.engine.QuantEngine;
import dev.vquant.engine.spi.KernelBackend;

/** An operator combining two quantized tensors (add, mul). Immutable and thread-safe. */
public interface QuantizedBinaryOperator {

    String name();

    QTensor forward(QTensor a, QTensor b, KernelBackend engine);

    default QTensor forward(QTensor a, QTensor b) {
        return forward(a, b, QuantEngine.current());
    }

    /** Untyped entry for graph executors: rejects float operands with a hint to insert a Quantize step. */
    default QTensor apply(Object a, Object b) {
        return forward(TensorChecks.quantized(name(), a), TensorChecks.quantized(name(), b));
    }
}
