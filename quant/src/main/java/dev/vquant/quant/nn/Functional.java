package dev.vquant.quant.nn;

import dev.vquant.quant.Tensor;

import java.util.List;

/**
 * The operations a model calls on its {@link FloatFunctional} child, so the same model code runs
 * after convert swaps the child for its quantized twin (PyTorch's {@code QFunctional}, which has
 * the same methods). A model reaches it through its handle:
 * {@code ((Functional) skipAdd.get()).addRelu(a, b)}.
 */
public interface Functional {
    /** {@code a + b}. */
    Tensor add(Tensor a, Tensor b);

    /** {@code relu(a + b)}. */
    Tensor addRelu(Tensor a, Tensor b);

    /** {@code a * b}. */
    Tensor mul(Tensor a, Tensor b);

    /** {@code a + scalar}. */
    Tensor addScalar(Tensor a, double scalar);

    /** {@code a * scalar}. */
    Tensor mulScalar(Tensor a, double scalar);

    /** {@code torch.cat(xs, dim)}. */
    Tensor cat(List<Tensor> xs, int dim);
}
