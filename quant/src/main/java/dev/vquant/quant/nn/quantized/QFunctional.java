package dev.vquant.quant.nn.quantized;

import dev.vquant.engine.QTensor;
import dev.vquant.engine.QuantEngine;
import dev.vquant.ops.core.QuantizedBinaryOperator;
import dev.vquant.ops.elementwise.QAdd;
import dev.vquant.ops.elementwise.QCat;
import dev.vquant.ops.elementwise.QMul;
import dev.vquant.quant.Tensor;
import dev.vquant.quant.nn.Functional;
import dev.vquant.quant.nn.Module;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Quantized tensor arithmetic with fixed output qparams (PyTorch's
 * {@code torch.ao.nn.quantized.QFunctional}, what a calibrated FloatFunctional becomes): add,
 * add_relu, mul, mul_relu and cat on quint8 tensors, requantized to this module's
 * {@code scale}/{@code zero_point} with the engine's arithmetic.
 */
public final class QFunctional extends Module implements Functional {
    private final double scale;
    private final int zeroPoint;
    private final QAdd add;
    private final QAdd addRelu;
    private final QMul mul;
    private final QMul mulRelu;

    /**
     * The quantized element-wise operations with one output quantization.
     *
     * @param scale     the output scale
     * @param zeroPoint the output zero point (quint8)
     * @throws IllegalArgumentException when the output qparams are invalid for quint8
     */
    public QFunctional(double scale, int zeroPoint) {
        QuantizedState.output(scale, zeroPoint);
        this.scale = scale;
        this.zeroPoint = zeroPoint;
        this.add = QAdd.builder().output(scale, zeroPoint).build();
        this.addRelu = QAdd.builder().output(scale, zeroPoint).relu(true).build();
        this.mul = QMul.builder().output(scale, zeroPoint).build();
        this.mulRelu = QMul.builder().output(scale, zeroPoint).relu(true).build();
    }

    /** {@return the output scale} */
    public double scale() {
        return scale;
    }

    /** {@return the output zero point} */
    public int zeroPoint() {
        return zeroPoint;
    }

    /** {@code a + b}, requantized. */
    @Override
    public Tensor add(Tensor a, Tensor b) {
        return binary(add, a, b, "QFunctional.add");
    }

    /** {@code relu(a + b)}, requantized. */
    @Override
    public Tensor addRelu(Tensor a, Tensor b) {
        return binary(addRelu, a, b, "QFunctional.add_relu");
    }

    /** {@code a * b}, requantized. */
    @Override
    public Tensor mul(Tensor a, Tensor b) {
        return binary(mul, a, b, "QFunctional.mul");
    }

    /**
     * {@code relu(a * b)}, requantized.
     *
     * @param a a quantized tensor
     * @param b a quantized tensor of {@code a}'s shape
     * @return the quint8 result, in this module's output qparams
     */
    public Tensor mulRelu(Tensor a, Tensor b) {
        return binary(mulRelu, a, b, "QFunctional.mul_relu");
    }

    /**
     * Concatenation along logical dimension {@code dim} (PyTorch's), requantized.
     *
     * @throws IllegalArgumentException when the inputs disagree in rank, memory format or other dimensions
     */
    @Override
    public Tensor cat(List<Tensor> xs, int dim) {
        if (xs == null || xs.isEmpty()) {
            throw new IllegalArgumentException("QFunctional.cat needs at least one tensor");
        }
        int rank = xs.get(0).rank();
        int d = dim < 0 ? dim + rank : dim;
        if (d < 0 || d >= rank) {
            throw new IllegalArgumentException("QFunctional.cat: dim " + dim + " is out of range for rank " + rank);
        }
        List<QTensor> qs = new ArrayList<>(xs.size());
        for (Tensor t : xs) {
            qs.add(t.engineQuantized("QFunctional.cat"));
        }
        // 4-D tensors are channels-last in the engines: logical axis (N, C, H, W) -> memory axis
        int engineDim = rank == 4 ? new int[]{0, 3, 1, 2}[d] : d;
        return Tensor.fromEngine(QCat.builder(engineDim).output(scale, zeroPoint).build().forward(qs));
    }

    private static Tensor binary(QuantizedBinaryOperator op, Tensor a, Tensor b, String what) {
        return Tensor.fromEngine(op.forward(a.engineQuantized(what), b.engineQuantized(what),
                QuantEngine.current()));
    }

    /**
     * Not built: PyTorch's quantized {@code add_scalar}/{@code mul_scalar} derive the output qparams
     * from the scalar rather than from an observer, and vquant has no operator for them yet.
     *
     * @throws UnsupportedOperationException always
     */
    @Override
    public Tensor addScalar(Tensor a, double scalar) {
        throw new UnsupportedOperationException("QFunctional.addScalar is not supported on quantized tensors yet; keep this "
                + "FloatFunctional float (setQConfig(null)) or use add with a tensor");
    }

    /**
     * Not built (see {@link #addScalar}).
     *
     * @throws UnsupportedOperationException always
     */
    @Override
    public Tensor mulScalar(Tensor a, double scalar) {
        throw new UnsupportedOperationException("QFunctional.mulScalar is not supported on quantized tensors yet; keep this "
                + "FloatFunctional float (setQConfig(null)) or use mul with a tensor");
    }

    /** QFunctional has no forward of its own: call add, add_relu, mul or cat, as in PyTorch. */
    @Override
    public Tensor forward(Tensor x) {
        throw new UnsupportedOperationException("QFunctional is called through add, addRelu, mul, mulRelu or cat, not forward");
    }

    @Override
    protected void saveToStateDict(String prefix, Map<String, Tensor> out) {
        QuantizedState.putOutput(prefix, out, scale, zeroPoint);
    }

    @Override
    protected String extraRepr() {
        return "scale=" + scale + ", zero_point=" + zeroPoint;
    }
}
