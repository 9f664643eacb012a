package dev.vquant.ops.core;

import dev.vquant.engine.QTensor;
import dev.vquant.engine.QuantEngine;
import dev.vquant.engine.spi.KernelBackend;

/**
 * An operator from one quantized tensor to another. Immutable after construction and safe to
 * call from many threads at once. Its output is a new tensor; while an {@link OutputArena} scope
 * is open on the calling thread, the output's array comes from that arena and is valid only until
 * the scope closes (and the output tensor object itself may be the previous scope's, over the same
 * array: {@link OutputTensors}).
 */
public interface QuantizedOperator {

    /** {@return the operator's name as used in error messages ("Linear", "Conv2d", ...)} */
    String name();

    /**
     * Runs on the given engine.
     *
     * @throws IllegalArgumentException naming the operator and the offending value for a null input
     *                                  or engine, or an input the operator does not accept (each
     *                                  implementation lists what it accepts); never an index error
     * @param x      the input, in the operator's PyTorch layout (NHWC for images)
     * @param engine the kernel backend to run on
     * @return a new output tensor (over an arena array inside an {@link OutputArena} scope)
     */
    QTensor forward(QTensor x, KernelBackend engine);

    /**
     * Runs on the current engine ({@link QuantEngine#current()}, read once); throws as {@link #forward(QTensor, KernelBackend)}.
     *
     * @param x the input
     * @return a new output tensor
     */
    default QTensor forward(QTensor x) {
        return forward(x, QuantEngine.current());
    }

    /**
     * Untyped entry for graph executors.
     *
     * @param x the input, expected to be a {@link QTensor}
     * @return a new output tensor
     * @throws IllegalArgumentException for anything but a quantized tensor (a float tensor gets a
     *                                  hint to insert a Quantize step), else as {@link #forward(QTensor)}
     */
    default QTensor apply(Object x) {
        return forward(TensorChecks.quantized(name(), x));
    }
}
