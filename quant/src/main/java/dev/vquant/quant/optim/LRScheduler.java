package dev.vquant.quant.optim;

import java.util.Objects;

/**
 * A learning-rate schedule over an {@link Optimizer}, as PyTorch 1.13's {@code _LRScheduler}:
 * construction performs the initial step (epoch 0), then each {@link #step()} advances one epoch
 * (or one batch, when called per batch), computes the new rate from the optimizer's current one
 * ({@code get_lr}, the recursive form) and sets it. {@link #step(int)} jumps to a given epoch with
 * the closed form where the schedule has one (PyTorch's deprecated {@code step(epoch)}). Call it
 * after {@link Optimizer#step()}, as PyTorch wants. Arithmetic is double, in Python's order.
 *
 * <p>The rates equal PyTorch's to a few units in the last place of a double, and exactly once
 * rounded to float, as SGD uses them: Python's {@code math.cos} is the C library's, which is not
 * correctly rounded and which no Java cosine reproduces everywhere ({@link Math#cos} is the
 * closest: on 64k schedule arguments it differs from glibc's in 0.2% of cases by one ulp,
 * {@link StrictMath#cos} in 3%).
 */
public abstract class LRScheduler {
    private final Optimizer optimizer;
    private final double baseLr;
    private int lastEpoch = -1;
    private int stepCount;
    private double lastLr;

    /**
     * A schedule starting from {@code baseLr} (PyTorch's {@code initial_lr}); subclasses call
     * {@link #initialStep()} at the end of their constructor.
     *
     * @param optimizer the optimizer whose learning rate it sets
     * @param baseLr    the rate of epoch 0
     * @throws NullPointerException when {@code optimizer} is null
     */
    protected LRScheduler(Optimizer optimizer, double baseLr) {
        this.optimizer = Objects.requireNonNull(optimizer, "optimizer");
        this.baseLr = baseLr;
    }

    /** PyTorch's {@code _initial_step}: the step to epoch 0. */
    protected final void initialStep() {
        stepCount = 0;
        step();
    }

    /** Advances one epoch (or batch) and sets the optimizer's learning rate. */
    public final void step() {
        stepCount++;
        lastEpoch++;
        apply(lr());
    }

    /**
     * Jumps to {@code epoch} and sets the closed-form learning rate there (PyTorch's deprecated
     * {@code step(epoch)}; schedules without a closed form use their recursive rule).
     *
     * @param epoch the epoch (or batch) to jump to
     */
    public final void step(int epoch) {
        stepCount++;
        lastEpoch = epoch;
        apply(closedFormLr());
    }

    private void apply(double lr) {
        optimizer.setLr(lr);
        lastLr = lr;
    }

    /**
     * PyTorch's {@code get_lr()}: the rate for {@link #lastEpoch()}, from the optimizer's current state.
     *
     * @return the learning rate of the current epoch
     */
    protected abstract double lr();

    /**
     * PyTorch's {@code _get_closed_form_lr()}, where the schedule has one; else {@link #lr()}.
     *
     * @return the learning rate of the current epoch, computed from the epoch alone
     */
    protected double closedFormLr() {
        return lr();
    }

    /** {@return the optimizer it drives} */
    public final Optimizer optimizer() {
        return optimizer;
    }

    /** {@return the learning rate the schedule started from ({@code base_lrs[0]})} */
    public final double baseLr() {
        return baseLr;
    }

    /** {@return the epoch (or batch) count: 0 after construction, +1 per {@link #step()}} */
    public final int lastEpoch() {
        return lastEpoch;
    }

    /** {@return how many times the scheduler stepped, the initial step included ({@code _step_count})} */
    protected final int stepCount() {
        return stepCount;
    }

    /** {@return the learning rate it last set ({@code get_last_lr()[0]})} */
    public final double lastLr() {
        return lastLr;
    }
}
