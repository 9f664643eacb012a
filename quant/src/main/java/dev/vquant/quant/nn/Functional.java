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
    /**
     * {@code a + b}.
     *
     * @param a the first operand
     * @param b the second operand, of {@code a}'s shape
     * @return the sum
     */
    Tensor add(Tensor a, Tensor b);

    /**
     * {@code relu(a + b)}.
     *
     * @param a the first operand
     * @param b the second operand, of {@code a}'s shape
     * @return the rectified sum
     */
    Tensor addRelu(Tensor a, Tensor b);

    /**
     * {@code a * b}.
     *
     * @param a the first operand
     * @param b the second operand, of {@code a}'s shape
     * @return the element-wise product
     */
    Tensor mul(Tensor a, Tensor b);

    /**
     * {@code a + scalar}.
     *
     * @param a      the tensor
     * @param scalar the value added to every element
     * @return the sum
     */
    Tensor addScalar(Tensor a, double scalar);

    /**
     * {@code a * scalar}.
     *
     * @param a      the tensor
     * @param scalar the factor
     * @return the product
     */
    Tensor mulScalar(Tensor a, double scalar);

    /**
     * {@code torch.cat(xs, dim)}.
     *
     * @param xs  the tensors, equal in every dimension but {@code dim}
     * @param dim the dimension to concatenate along
     * @return the concatenation
     */
    Tensor cat(List<Tensor> xs, int dim);
}
