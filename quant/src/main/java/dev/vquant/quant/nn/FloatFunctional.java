package dev.vquant.quant.nn;

import dev.vquant.engine.FloatTensor;
import dev.vquant.ops.elementwise.FloatAdd;
import dev.vquant.ops.elementwise.FloatCat;
import dev.vquant.quant.Tensor;
import dev.vquant.quant.autograd.Elementwise;
import dev.vquant.quant.autograd.GradTape;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Element-wise operations as a module, PyTorch's {@code torch.nn.quantized.FloatFunctional}: a
 * model calls {@link #add}, {@link #addRelu}, {@link #mul}, {@link #cat} (and the scalar forms) on
 * it instead of writing {@code a + b}, so prepare can observe the result (the child
 * {@code activation_post_process}, the identity while float) and convert can swap in the quantized
 * operation with its own output qparams. Operands of the same logical shape; 4-D operands in
 * different memory formats are brought to channels-last. {@link #forward} is not an operation.
 */
public final class FloatFunctional extends Module implements Functional {
    private static final FloatAdd ADD = FloatAdd.add().build();
    private static final FloatAdd ADD_RELU = FloatAdd.add().relu(true).build();
    private static final FloatAdd MUL = FloatAdd.multiply().build();

    private final Child activationPostProcess = registerModule("activation_post_process", new Identity());

    /** A float functional module, its {@code activation_post_process} an Identity until prepare observes it. */
    public FloatFunctional() {
    }

    /**
     * Always throws, as PyTorch's does: call {@link #add}, {@link #cat}... instead.
     *
     * @throws UnsupportedOperationException always
     */
    @Override
    public Tensor forward(Tensor x) {
        throw new UnsupportedOperationException("FloatFunctional is not intended to use the 'forward'; call its operations "
                + "(add, addRelu, mul, addScalar, mulScalar, cat) instead");
    }

    /** {@code a + b}. */
    @Override
    public Tensor add(Tensor a, Tensor b) {
        return binary(ADD, "add", a, b);
    }

    /** {@code relu(a + b)} (PyTorch's {@code add_relu}). */
    @Override
    public Tensor addRelu(Tensor a, Tensor b) {
        return binary(ADD_RELU, "add_relu", a, b);
    }

    /** {@code a * b}. */
    @Override
    public Tensor mul(Tensor a, Tensor b) {
        return binary(MUL, "mul", a, b);
    }

    /** {@code a + scalar} (PyTorch's {@code add_scalar}; float32 arithmetic). */
    @Override
    public Tensor addScalar(Tensor a, double scalar) {
        return scalar(a, (float) scalar, false, "add_scalar");
    }

    /** {@code a * scalar} (PyTorch's {@code mul_scalar}; float32 arithmetic). */
    @Override
    public Tensor mulScalar(Tensor a, double scalar) {
        return scalar(a, (float) scalar, true, "mul_scalar");
    }

    /**
     * {@code torch.cat(xs, dim)} along logical dimension {@code dim} (negative counts from the end).
     *
     * @throws IllegalArgumentException when the list is empty, ranks or other dimensions differ,
     *                                  dim is out of range, or an operand is quantized
     */
    @Override
    public Tensor cat(List<Tensor> xs, int dim) {
        if (xs == null || xs.isEmpty()) {
            throw new IllegalArgumentException("FloatFunctional.cat: expected at least one tensor");
        }
        int rank = xs.get(0).rank();
        if (dim < -rank || dim >= rank) {
            throw new IllegalArgumentException("FloatFunctional.cat: dimension " + dim + " out of range for rank " + rank);
        }
        int d = dim < 0 ? dim + rank : dim;
        boolean channelsLast = rank == 4 && xs.stream().anyMatch(t -> t.memoryFormat() == Tensor.MemoryFormat.CHANNELS_LAST);
        List<FloatTensor> stored = new ArrayList<>();
        for (Tensor t : xs) {
            if (t.rank() != rank) {
                throw new IllegalArgumentException("FloatFunctional.cat: all tensors need rank " + rank + ", got shape "
                        + Arrays.toString(t.shape()));
            }
            stored.add(channelsLast ? t.engineFloat("FloatFunctional.cat") : t.storageFloat("FloatFunctional.cat"));
        }
        // NCHW dimension d lies at NHWC position {0, 3, 1, 2}[d] in channels-last memory
        int storedDim = channelsLast ? new int[]{0, 3, 1, 2}[d] : d;
        FloatTensor out = new FloatCat(storedDim).forward(stored);
        Tensor r = channelsLast ? Tensor.fromEngine(out) : Tensor.of(out.data(), out.shape());
        GradTape tape = GradTape.recording();
        if (tape != null) {
            Elementwise.cat(tape, xs, d, r);
        }
        return activationPostProcess.forward(r);
    }

    private Tensor binary(FloatAdd op, String what, Tensor a, Tensor b) {
        String who = "FloatFunctional." + what;
        if (!Arrays.equals(a.shape(), b.shape())) {
            throw new IllegalArgumentException(who + ": operands must have the same shape, got " + Arrays.toString(a.shape())
                    + " and " + Arrays.toString(b.shape()));
        }
        Tensor left = a;
        Tensor right = b;
        if (a.memoryFormat() != b.memoryFormat()) {
            left = a.isQuantized() ? a : a.toChannelsLast();
            right = b.isQuantized() ? b : b.toChannelsLast();
        }
        FloatTensor x = left.storageFloat(who);
        FloatTensor y = right.storageFloat(who);
        Tensor r = left.withStorage(op.forward(x, y));
        GradTape tape = GradTape.recording();
        if (tape != null) {
            Elementwise.binary(tape, a, b, r, op == MUL, op == ADD_RELU);
        }
        return activationPostProcess.forward(r);
    }

    private Tensor scalar(Tensor a, float s, boolean multiply, String what) {
        float[] in = a.storageFloat("FloatFunctional." + what).data();
        float[] out = new float[in.length];
        for (int i = 0; i < in.length; i++) {
            out[i] = multiply ? in[i] * s : in[i] + s;
        }
        Tensor r = a.withStorage(FloatTensor.of(out, a.storageFloat(what).shape()));
        GradTape tape = GradTape.recording();
        if (tape != null) {
            Elementwise.scalar(tape, a, r, s, multiply);
        }
        return activationPostProcess.forward(r);
    }
}
