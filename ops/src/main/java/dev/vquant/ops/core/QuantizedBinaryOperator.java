package dev.vquant.ops.core;

import dev.vquant.engine.QTensor;
import dev.vquant.engine.QuantEngine;
import dev.vquant.engine.spi.KernelBackend;

/** An operator combining two quantized tensors (add, mul). Immutable and thread-safe. */
public interface QuantizedBinaryOperator {

    /** {@return the operator's name as used in error messages ("Add", "Mul", ...)} */
    String name();

    /**
     * Combines {@code a} and {@code b} on {@code engine}.
     *
     * @throws IllegalArgumentException naming the operator and the offending value for a null
     *                                  operand or engine, or operands the operator does not accept
     * @param a      the first operand
     * @param b      the second operand
     * @param engine the kernel backend to run on
     * @return a new output tensor
     */
    QTensor forward(QTensor a, QTensor b, KernelBackend engine);

    /**
     * {@link #forward(QTensor, QTensor, KernelBackend)} on the current engine.
     *
     * @param a the first operand
     * @param b the second operand
     * @return a new output tensor
     */
    default QTensor forward(QTensor a, QTensor b) {
        return forward(a, b, QuantEngine.current());
    }

    /**
     * Untyped entry for graph executors.
     *
     * @param a the first operand, expected to be a {@link QTensor}
     * @param b the second operand, expected to be a {@link QTensor}
     * @return a new output tensor
     * @throws IllegalArgumentException for anything but quantized tensors (float operands get a
     *                                  hint to insert a Quantize step), else as {@link #forward(QTensor, QTensor)}
     */
    default QTensor apply(Object a, Object b) {
        return forward(TensorChecks.quantized(name(), a), TensorChecks.quantized(name(), b));
    }
}
