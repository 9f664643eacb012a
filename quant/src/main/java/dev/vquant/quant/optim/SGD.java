package dev.vquant.quant.optim;

import dev.vquant.quant.nn.Parameter;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Stochastic gradient descent exactly as PyTorch 1.13's {@code torch.optim.SGD} (single-tensor
 * path, the CPU default): per parameter, with {@code g} its gradient,
 * <pre>
 * d = g + weight_decay * p                      (if weight_decay != 0)
 * buf = d                                       (first step)
 * buf = momentum * buf + (1 - dampening) * d    (later steps; if momentum != 0)
 * d = nesterov ? d + momentum * buf : buf       (if momentum != 0)
 * p = p - lr * d
 * </pre>
 * in float32 with ATen's rounding: every {@code x + alpha * y} is one fused multiply-add (ATen's
 * CPU {@code add} with {@code alpha} is {@code fmadd(y, alpha, x)}), {@code momentum * buf} is
 * rounded on its own, and the hyper-parameters are rounded to float as ATen converts a Python
 * scalar. Bit-exact with PyTorch on x86-64 (golden/optim.json).
 *
 * <p>Momentum buffers are per parameter state, created on the first step. Not thread-safe.
 */
public final class SGD implements Optimizer {
    private final List<Parameter> params;
    private final float[][] momentumBuffers;
    private final double dampening;
    private final boolean nesterov;
    private final double weightDecay;
    private double lr;
    private double momentum;

    private SGD(Builder b) {
        this.params = b.params;
        this.momentumBuffers = new float[params.size()][];
        this.lr = b.lr;
        this.momentum = b.momentum;
        this.dampening = b.dampening;
        this.nesterov = b.nesterov;
        this.weightDecay = b.weightDecay;
    }

    /**
     * A builder over {@code params} (learnable parameters, e.g. {@code model.namedParameters().values()})
     * with learning rate {@code lr}; the other options default to PyTorch's (0).
     *
     * @param params the parameters to update (copied to a list, in iteration order)
     * @param lr     the learning rate ({@code lr})
     * @return a new builder
     */
    public static Builder builder(Collection<Parameter> params, double lr) {
        return new Builder(params, lr);
    }

    @Override
    public List<Parameter> parameters() {
        return params;
    }

    @Override
    public double lr() {
        return lr;
    }

    /**
     * {@inheritDoc} Like PyTorch, only the constructor insists on a non-negative rate: a schedule
     * stepped once past its end (which PyTorch's OneCycleLR allows) may extrapolate below zero.
     */
    @Override
    public void setLr(double lr) {
        if (!Double.isFinite(lr)) {
            throw new IllegalArgumentException("Invalid learning rate: " + lr);
        }
        this.lr = lr;
    }

    /** {@return the momentum factor ({@code param_groups[0]['momentum']})} */
    public double momentum() {
        return momentum;
    }

    /**
     * Sets the momentum factor (what {@link OneCycleLR} cycles).
     *
     * @param momentum the new momentum factor
     * @throws IllegalArgumentException when negative or not finite, or zero under Nesterov
     */
    public void setMomentum(double momentum) {
        this.momentum = checkMomentum(momentum, nesterov, dampening);
    }

    /** {@return the dampening of momentum} */
    public double dampening() {
        return dampening;
    }

    /** {@return whether the update uses Nesterov momentum} */
    public boolean nesterov() {
        return nesterov;
    }

    /** {@return the L2 penalty added to the gradient} */
    public double weightDecay() {
        return weightDecay;
    }

    @Override
    public void step() {
        // the scalars as ATen receives them: Python doubles rounded to float
        float wd = (float) weightDecay;
        float mom = (float) momentum;
        float oneMinusDampening = (float) (1 - dampening);
        float negLr = (float) -lr;
        for (int k = 0; k < params.size(); k++) {
            Parameter p = params.get(k);
            float[] w = p.data();
            float[] g = p.grad();
            float[] d = weightDecay != 0 ? new float[w.length] : g;
            if (weightDecay != 0) {
                for (int i = 0; i < w.length; i++) {
                    d[i] = Math.fma(w[i], wd, g[i]);
                }
            }
            if (momentum != 0) {
                float[] buf = momentumBuffers[k];
                if (buf == null) {
                    buf = d.clone();
                    momentumBuffers[k] = buf;
                } else {
                    for (int i = 0; i < buf.length; i++) {
                        buf[i] = Math.fma(d[i], oneMinusDampening, buf[i] * mom);
                    }
                }
                if (nesterov) {
                    for (int i = 0; i < w.length; i++) {
                        w[i] = Math.fma(Math.fma(buf[i], mom, d[i]), negLr, w[i]);
                    }
                } else {
                    for (int i = 0; i < w.length; i++) {
                        w[i] = Math.fma(buf[i], negLr, w[i]);
                    }
                }
            } else {
                for (int i = 0; i < w.length; i++) {
                    w[i] = Math.fma(d[i], negLr, w[i]);
                }
            }
            p.markModified();
        }
    }

    @Override
    public String toString() {
        return "SGD(lr=" + lr + ", momentum=" + momentum + ", dampening=" + dampening + ", nesterov=" + nesterov
                + ", weight_decay=" + weightDecay + ", params=" + params.size() + ")";
    }

    private static double checkLr(double lr) {
        if (!(lr >= 0) || Double.isInfinite(lr)) {
            throw new IllegalArgumentException("Invalid learning rate: " + lr);
        }
        return lr;
    }

    private static double checkMomentum(double momentum, boolean nesterov, double dampening) {
        if (!(momentum >= 0) || Double.isInfinite(momentum)) {
            throw new IllegalArgumentException("Invalid momentum value: " + momentum);
        }
        if (nesterov && (momentum <= 0 || dampening != 0)) {
            throw new IllegalArgumentException("Nesterov momentum requires a momentum and zero dampening (momentum "
                    + momentum + ", dampening " + dampening + ")");
        }
        return momentum;
    }

    /** Options of {@link SGD}, PyTorch's names and defaults. */
    public static final class Builder {
        private final List<Parameter> params;
        private final double lr;
        private double momentum;
        private double dampening;
        private boolean nesterov;
        private double weightDecay;

        private Builder(Collection<Parameter> params, double lr) {
            Objects.requireNonNull(params, "params");
            List<Parameter> list = new ArrayList<>(params.size());
            Map<Parameter, Boolean> seen = new IdentityHashMap<>();
            for (Parameter p : params) {
                Objects.requireNonNull(p, "a parameter is null");
                if (!p.requiresGrad()) {
                    throw new IllegalArgumentException("SGD can only optimize learnable parameters, got a buffer " + p);
                }
                if (seen.put(p, Boolean.TRUE) != null) {
                    throw new IllegalArgumentException("parameter " + p + " is given twice");
                }
                list.add(p);
            }
            if (list.isEmpty()) {
                throw new IllegalArgumentException("optimizer got an empty parameter list");
            }
            this.params = Collections.unmodifiableList(list);
            this.lr = checkLr(lr);
        }

        /**
         * Momentum factor (default 0: plain SGD).
         *
         * @param momentum the momentum factor ({@code momentum})
         * @return this builder
         */
        public Builder momentum(double momentum) {
            this.momentum = momentum;
            return this;
        }

        /**
         * Dampening of momentum (default 0).
         *
         * @param dampening the dampening ({@code dampening})
         * @return this builder
         */
        public Builder dampening(double dampening) {
            this.dampening = dampening;
            return this;
        }

        /**
         * Nesterov momentum (default false; needs momentum &gt; 0 and zero dampening).
         *
         * @param nesterov whether to use Nesterov momentum ({@code nesterov})
         * @return this builder
         */
        public Builder nesterov(boolean nesterov) {
            this.nesterov = nesterov;
            return this;
        }

        /**
         * L2 penalty (default 0).
         *
         * @param weightDecay the L2 penalty ({@code weight_decay})
         * @return this builder
         */
        public Builder weightDecay(double weightDecay) {
            this.weightDecay = weightDecay;
            return this;
        }

        /**
         * The optimizer.
         *
         * @return a new optimizer
         * @throws IllegalArgumentException for a negative or non-finite option, or Nesterov without
         *                                  momentum or with dampening (PyTorch's checks)
         */
        public SGD build() {
            if (!(weightDecay >= 0) || Double.isInfinite(weightDecay)) {
                throw new IllegalArgumentException("Invalid weight_decay value: " + weightDecay);
            }
            if (Double.isNaN(dampening) || Double.isInfinite(dampening)) {
                throw new IllegalArgumentException("Invalid dampening value: " + dampening);
            }
            checkMomentum(momentum, nesterov, dampening);
            return new SGD(this);
        }
    }
}
