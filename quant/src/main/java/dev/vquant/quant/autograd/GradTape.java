package dev.vquant.quant.autograd;

import dev.vquant.quant.Tensor;
import dev.vquant.quant.nn.Parameter;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Reverse-mode automatic differentiation for one training step: a Wengert list that modules
 * record onto while it is open on the current thread, then {@link #backward} walks it backwards
 * and adds each parameter's gradient into {@link Parameter#grad()} (accumulating, as PyTorch's
 * {@code loss.backward()} does; call {@code zeroGrad()} between steps).
 * <pre>{@code
 * try (GradTape step = GradTape.record()) {
 *     Tensor loss = Loss.crossEntropy(model.forward(images), labels);
 *     step.backward(loss);
 * }
 * }</pre>
 *
 * <p>Why a tape instead of gradient fields on {@link Tensor}: inference never pays for training.
 * With no tape open, a module's forward costs one read of a static counter more than before and
 * behaves exactly as before; tensors stay immutable and carry no graph. Under a tape, every float
 * operation of the supported modules records its output tensor (keyed by identity), its input
 * tensors and a {@link GradFn}; parameters enter as leaf tensors ({@link #leaf}).
 *
 * <p>Confined to the thread that opened it: one tape per thread at a time, recording, backward
 * and close on that thread only. A tape supports one backward; the recorded graph is released
 * then.
 */
public final class GradTape implements AutoCloseable {
    private static final ThreadLocal<GradTape> CURRENT = new ThreadLocal<>();
    /** Open tapes in the process: zero lets every forward skip the thread-local lookup. */
    private static volatile int open;

    private record Node(Tensor output, Tensor[] inputs, GradFn fn) {
    }

    private record Leaf(Parameter parameter, Tensor tensor, long version) {
    }

    private final Thread owner = Thread.currentThread();
    private final List<Node> nodes = new ArrayList<>();
    private final Map<Tensor, Node> producers = new IdentityHashMap<>();
    private final Map<Parameter, Leaf> leaves = new IdentityHashMap<>();
    private final Map<Tensor, Leaf> leafTensors = new IdentityHashMap<>();
    private boolean closed;
    private boolean backwardDone;

    private GradTape() {
    }

    /**
     * Opens a tape on the current thread; modules record onto it until {@link #close()}.
     *
     * @return the new tape, to close (try-with-resources) when the training step is done
     * @throws IllegalStateException when this thread already has an open tape
     */
    public static GradTape record() {
        if (CURRENT.get() != null) {
            throw new IllegalStateException("a GradTape is already recording on thread " + Thread.currentThread().getName()
                    + "; close it before opening another");
        }
        GradTape t = new GradTape();
        CURRENT.set(t);
        synchronized (GradTape.class) {
            open++;
        }
        return t;
    }

    /**
     * The tape open on the current thread, or null: what a module asks before recording. Costs a
     * volatile read while no tape is open anywhere.
     *
     * @return the open tape of this thread, or null
     */
    public static GradTape recording() {
        return open == 0 ? null : CURRENT.get();
    }

    /**
     * The leaf tensor standing for {@code p} on this tape (the same tensor every time for the same
     * parameter): gradients that reach it are added into {@code p.grad()} by {@link #backward}. A
     * buffer ({@code requiresGrad() == false}) gets a tensor that collects no gradient.
     *
     * @param p a parameter or buffer of the module being trained
     * @return its leaf tensor on this tape
     */
    public Tensor leaf(Parameter p) {
        Objects.requireNonNull(p, "p");
        checkUsable("leaf");
        Leaf l = leaves.get(p);
        if (l == null) {
            l = new Leaf(p, Tensor.of(p.data(), p.shape()), p.version());
            leaves.put(p, l);
            leafTensors.put(l.tensor, l);
        }
        return l.tensor;
    }

    /**
     * Whether gradients flow to {@code t}: produced by a recorded operation, or a trainable parameter's leaf.
     *
     * @param t a tensor, or null (which requires none)
     * @return whether a gradient of {@code t} is wanted
     */
    public boolean requiresGrad(Tensor t) {
        if (t == null) {
            return false;
        }
        if (producers.containsKey(t)) {
            return true;
        }
        Leaf l = leafTensors.get(t);
        return l != null && l.parameter.requiresGrad();
    }

    /**
     * Records that {@code output} was computed from {@code inputs} (null entries are allowed and
     * get no gradient) with backward {@code fn}. Nothing is recorded when no input requires a
     * gradient (the output is then a constant, as in PyTorch).
     *
     * @param output the operation's result
     * @param fn     computes the inputs' gradients from the output's
     * @param inputs the operation's tensor inputs, in the order {@code fn} returns their gradients
     * @throws IllegalStateException    when called off the tape's thread, after close or after backward
     * @throws IllegalArgumentException when {@code output} was already recorded (operations must
     *                                  return new tensors) or is an input of its own
     */
    public void record(Tensor output, GradFn fn, Tensor... inputs) {
        Objects.requireNonNull(output, "output");
        Objects.requireNonNull(fn, "fn");
        checkUsable("record");
        boolean any = false;
        for (Tensor in : inputs) {
            if (in == output) {
                throw new IllegalArgumentException("an operation's output " + output + " cannot be its own input");
            }
            any |= requiresGrad(in);
        }
        if (!any) {
            return;
        }
        if (producers.containsKey(output) || leafTensors.containsKey(output)) {
            throw new IllegalArgumentException("tensor " + output + " was already recorded on this tape");
        }
        Node n = new Node(output, inputs.clone(), fn);
        nodes.add(n);
        producers.put(output, n);
    }

    /**
     * Back-propagates from the scalar {@code loss} and adds the gradient of every parameter used
     * under this tape into its {@link Parameter#grad()}.
     *
     * @param loss the scalar to differentiate
     * @throws IllegalArgumentException when {@code loss} has more than one element, is quantized,
     *                                  or was not computed under this tape from a parameter
     * @throws IllegalStateException    when backward already ran on this tape, the tape is closed
     *                                  or used off its thread, or a parameter was modified in place
     *                                  after the forward used it
     */
    public void backward(Tensor loss) {
        Objects.requireNonNull(loss, "loss");
        checkUsable("backward");
        if (loss.numel() != 1) {
            throw new IllegalArgumentException("backward needs a scalar loss (one element), got shape " + Arrays.toString(loss.shape())
                    + "; reduce it first (e.g. Loss.crossEntropy's mean)");
        }
        if (loss.isQuantized()) {
            throw new IllegalArgumentException("backward needs a float loss, got " + loss);
        }
        if (!producers.containsKey(loss)) {
            throw new IllegalArgumentException("the loss " + loss + " was not computed under this GradTape from any parameter "
                    + "(record the forward inside the try block that opened the tape)");
        }
        for (Leaf l : leaves.values()) {
            if (l.parameter.version() != l.version) {
                throw new IllegalStateException("parameter " + l.parameter + " was modified in place after the forward used it "
                        + "(version " + l.version + " -> " + l.parameter.version() + "); its gradient would be wrong");
            }
        }
        backwardDone = true;
        Gradients grads = new Gradients();
        grads.add(loss, new float[]{1f});
        for (int i = nodes.size() - 1; i >= 0; i--) {
            Node n = nodes.get(i);
            float[] g = grads.take(n.output);
            if (g == null) {
                continue;
            }
            boolean[] needs = new boolean[n.inputs.length];
            for (int j = 0; j < needs.length; j++) {
                needs[j] = requiresGrad(n.inputs[j]);
            }
            float[][] in = n.fn.backward(g, needs);
            if (in.length != n.inputs.length) {
                throw new IllegalStateException("backward of " + n.output + " returned " + in.length + " gradients for "
                        + n.inputs.length + " inputs");
            }
            for (int j = 0; j < in.length; j++) {
                if (needs[j] && in[j] != null) {
                    grads.add(n.inputs[j], in[j]);
                }
            }
        }
        for (Leaf l : leaves.values()) {
            float[] g = grads.take(l.tensor);
            if (g != null && l.parameter.requiresGrad()) {
                float[] acc = l.parameter.grad();
                for (int k = 0; k < acc.length; k++) {
                    acc[k] += g[k];
                }
            }
        }
        nodes.clear();
        producers.clear();
    }

    /** Ends recording on this thread (the graph is released). Closing twice is allowed. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        if (Thread.currentThread() != owner) {
            throw new IllegalStateException("a GradTape must be closed on the thread that opened it (" + owner.getName() + ")");
        }
        closed = true;
        CURRENT.remove();
        synchronized (GradTape.class) {
            open--;
        }
        nodes.clear();
        producers.clear();
    }

    private void checkUsable(String what) {
        if (Thread.currentThread() != owner) {
            throw new IllegalStateException("GradTape." + what + ": the tape belongs to thread " + owner.getName());
        }
        if (closed) {
            throw new IllegalStateException("GradTape." + what + ": the tape is closed");
        }
        if (backwardDone) {
            throw new IllegalStateException("GradTape." + what + ": backward already ran on this tape; record a new step");
        }
    }

    /** Gradients being accumulated, keyed by tensor identity; arrays it did not allocate are copied before they are added into. */
    private static final class Gradients {
        private final Map<Tensor, float[]> byTensor = new IdentityHashMap<>();
        private final Set<float[]> owned = Collections.newSetFromMap(new IdentityHashMap<>());

        void add(Tensor t, float[] g) {
            if (g.length != t.numel()) {
                throw new IllegalStateException("a gradient of " + g.length + " elements for tensor " + t);
            }
            float[] have = byTensor.get(t);
            if (have == null) {
                byTensor.put(t, g);
                return;
            }
            if (!owned.contains(have)) {
                have = have.clone();
                owned.add(have);
                byTensor.put(t, have);
            }
            for (int i = 0; i < have.length; i++) {
                have[i] += g[i];
            }
        }

        float[] take(Tensor t) {
            float[] g = byTensor.remove(t);
            if (g != null) {
                owned.remove(g);
            }
            return g;
        }
    }
}
