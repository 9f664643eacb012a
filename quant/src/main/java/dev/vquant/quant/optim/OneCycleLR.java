package dev.vquant.quant.optim;

import java.util.List;
import java.util.Objects;

/**
 * PyTorch 1.13's {@code OneCycleLR}: the learning rate rises from {@code maxLr / divFactor} to
 * {@code maxLr} over the first {@code pctStart} of {@code totalSteps}, then anneals to
 * {@code initial / finalDivFactor} (three-phase: back to the initial rate first, then down);
 * with {@code cycleMomentum} the optimizer's momentum moves inversely between
 * {@code maxMomentum} and {@code baseMomentum} (it is set to {@code maxMomentum} at
 * construction, overriding the optimizer's). Step it once per batch; stepping past
 * {@code totalSteps} is an error, as in PyTorch. Defaults are PyTorch's.
 */
public final class OneCycleLR extends LRScheduler {
    /** How a phase interpolates between its end points. */
    public enum Anneal {
        /** {@code end + (start - end) / 2 * (cos(pi * pct) + 1)}. */
        COS,
        /** {@code (end - start) * pct + start}. */
        LINEAR
    }

    private record Phase(double endStep, double startLr, double endLr, double startMomentum, double endMomentum) {
    }

    private final int totalSteps;
    private final List<Phase> phases;
    private final Anneal anneal;
    private final SGD momentumOptimizer;

    private OneCycleLR(Builder b, int totalSteps, double initialLr) {
        super(b.optimizer, initialLr);
        this.totalSteps = totalSteps;
        this.anneal = b.anneal;
        double maxLr = b.maxLr;
        double minLr = initialLr / b.finalDivFactor;
        double hi = b.maxMomentum;
        double lo = b.baseMomentum;
        double pct = b.pctStart;
        this.phases = b.threePhase
                ? List.of(new Phase(pct * totalSteps - 1, initialLr, maxLr, hi, lo),
                        new Phase(2 * pct * totalSteps - 2, maxLr, initialLr, lo, hi),
                        new Phase(totalSteps - 1, initialLr, minLr, hi, hi))
                : List.of(new Phase(pct * totalSteps - 1, initialLr, maxLr, hi, lo),
                        new Phase(totalSteps - 1, maxLr, minLr, lo, hi));
        if (b.cycleMomentum) {
            if (!(b.optimizer instanceof SGD sgd)) {
                throw new IllegalArgumentException("optimizer must support momentum with `cycle_momentum` option enabled, got "
                        + b.optimizer.getClass().getSimpleName());
            }
            this.momentumOptimizer = sgd;
            sgd.setMomentum(hi);
        } else {
            this.momentumOptimizer = null;
        }
        initialStep();
    }

    /**
     * A builder for {@code OneCycleLR(optimizer, max_lr=maxLr, ...)}; give {@link Builder#totalSteps}
     * or {@link Builder#epochs} and {@link Builder#stepsPerEpoch}.
     *
     * @param optimizer the optimizer whose learning rate (and momentum, when cycled) it sets
     * @param maxLr     the peak learning rate ({@code max_lr})
     * @return a builder with PyTorch's defaults
     */
    public static Builder builder(Optimizer optimizer, double maxLr) {
        return new Builder(optimizer, maxLr);
    }

    /** {@return the number of steps of the cycle} */
    public int totalSteps() {
        return totalSteps;
    }

    @Override
    protected double lr() {
        int stepNum = lastEpoch();
        if (stepNum > totalSteps) {
            throw new IllegalStateException("Tried to step " + (stepNum + 1) + " times. The specified number of total steps is "
                    + totalSteps);
        }
        double startStep = 0;
        for (int i = 0; i < phases.size(); i++) {
            Phase phase = phases.get(i);
            if (stepNum <= phase.endStep() || i == phases.size() - 1) {
                double pct = (stepNum - startStep) / (phase.endStep() - startStep);
                double lr = anneal(phase.startLr(), phase.endLr(), pct);
                if (momentumOptimizer != null) {
                    momentumOptimizer.setMomentum(anneal(phase.startMomentum(), phase.endMomentum(), pct));
                }
                return lr;
            }
            startStep = phase.endStep();
        }
        throw new AssertionError("the last phase always matches");
    }

    private double anneal(double start, double end, double pct) {
        return switch (anneal) {
            case COS -> end + (start - end) / 2.0 * (Math.cos(Math.PI * pct) + 1);
            case LINEAR -> (end - start) * pct + start;
        };
    }

    /** Options of {@link OneCycleLR}, PyTorch's names and defaults. */
    public static final class Builder {
        private final Optimizer optimizer;
        private final double maxLr;
        private Integer totalSteps;
        private Integer epochs;
        private Integer stepsPerEpoch;
        private double pctStart = 0.3;
        private Anneal anneal = Anneal.COS;
        private boolean cycleMomentum = true;
        private double baseMomentum = 0.85;
        private double maxMomentum = 0.95;
        private double divFactor = 25;
        private double finalDivFactor = 1e4;
        private boolean threePhase;

        private Builder(Optimizer optimizer, double maxLr) {
            this.optimizer = Objects.requireNonNull(optimizer, "optimizer");
            this.maxLr = maxLr;
        }

        /**
         * The number of steps of the cycle.
         *
         * @param totalSteps the cycle's length in steps ({@code total_steps})
         * @return this builder
         */
        public Builder totalSteps(int totalSteps) {
            this.totalSteps = totalSteps;
            return this;
        }

        /**
         * With {@link #stepsPerEpoch}: {@code totalSteps = epochs * stepsPerEpoch} (when totalSteps is not given).
         *
         * @param epochs the number of epochs ({@code epochs})
         * @return this builder
         */
        public Builder epochs(int epochs) {
            this.epochs = epochs;
            return this;
        }

        /**
         * See {@link #epochs}.
         *
         * @param stepsPerEpoch the steps of one epoch ({@code steps_per_epoch})
         * @return this builder
         */
        public Builder stepsPerEpoch(int stepsPerEpoch) {
            this.stepsPerEpoch = stepsPerEpoch;
            return this;
        }

        /**
         * The fraction of the cycle spent raising the rate (default 0.3).
         *
         * @param pctStart the fraction, in [0, 1] ({@code pct_start})
         * @return this builder
         */
        public Builder pctStart(double pctStart) {
            this.pctStart = pctStart;
            return this;
        }

        /**
         * Cosine (default) or linear annealing.
         *
         * @param anneal the annealing shape ({@code anneal_strategy})
         * @return this builder
         */
        public Builder anneal(Anneal anneal) {
            this.anneal = Objects.requireNonNull(anneal, "anneal");
            return this;
        }

        /**
         * Whether momentum moves inversely to the rate (default true; needs an {@link SGD}).
         *
         * @param cycleMomentum whether to cycle momentum ({@code cycle_momentum})
         * @return this builder
         */
        public Builder cycleMomentum(boolean cycleMomentum) {
            this.cycleMomentum = cycleMomentum;
            return this;
        }

        /**
         * The momentum at the peak rate (default 0.85).
         *
         * @param baseMomentum the momentum at the peak rate ({@code base_momentum})
         * @return this builder
         */
        public Builder baseMomentum(double baseMomentum) {
            this.baseMomentum = baseMomentum;
            return this;
        }

        /**
         * The momentum at the lowest rates (default 0.95).
         *
         * @param maxMomentum the momentum at the lowest rates ({@code max_momentum})
         * @return this builder
         */
        public Builder maxMomentum(double maxMomentum) {
            this.maxMomentum = maxMomentum;
            return this;
        }

        /**
         * {@code initial_lr = maxLr / divFactor} (default 25).
         *
         * @param divFactor the divisor from the peak to the initial rate ({@code div_factor})
         * @return this builder
         */
        public Builder divFactor(double divFactor) {
            this.divFactor = divFactor;
            return this;
        }

        /**
         * {@code min_lr = initial_lr / finalDivFactor} (default 1e4).
         *
         * @param finalDivFactor the divisor from the initial to the minimum rate ({@code final_div_factor})
         * @return this builder
         */
        public Builder finalDivFactor(double finalDivFactor) {
            this.finalDivFactor = finalDivFactor;
            return this;
        }

        /**
         * Three phases (up, back down to the initial rate, then to the minimum) instead of two (default false).
         *
         * @param threePhase whether to use three phases ({@code three_phase})
         * @return this builder
         */
        public Builder threePhase(boolean threePhase) {
            this.threePhase = threePhase;
            return this;
        }

        /**
         * The scheduler, after its initial step (the optimizer's rate is now the initial rate).
         *
         * @return a new scheduler, which has set the optimizer's rate (and momentum) for step 0
         * @throws IllegalArgumentException for a missing or non-positive step count, {@code pctStart}
         *                                  outside [0, 1], a non-positive or non-finite rate or factor,
         *                                  or momentum cycling on an optimizer without momentum
         */
        public OneCycleLR build() {
            int steps;
            if (totalSteps != null) {
                if (totalSteps <= 0) {
                    throw new IllegalArgumentException("Expected positive integer total_steps, but got " + totalSteps);
                }
                steps = totalSteps;
            } else if (epochs != null && stepsPerEpoch != null) {
                if (epochs <= 0) {
                    throw new IllegalArgumentException("Expected positive integer epochs, but got " + epochs);
                }
                if (stepsPerEpoch <= 0) {
                    throw new IllegalArgumentException("Expected positive integer steps_per_epoch, but got " + stepsPerEpoch);
                }
                steps = Math.multiplyExact(epochs, stepsPerEpoch);
            } else {
                throw new IllegalArgumentException("You must define either total_steps OR (epochs AND steps_per_epoch)");
            }
            if (!(pctStart >= 0 && pctStart <= 1)) {
                throw new IllegalArgumentException("Expected float between 0 and 1 pct_start, but got " + pctStart);
            }
            positive(maxLr, "max_lr");
            positive(divFactor, "div_factor");
            positive(finalDivFactor, "final_div_factor");
            if (cycleMomentum) {
                nonNegative(baseMomentum, "base_momentum");
                nonNegative(maxMomentum, "max_momentum");
            }
            return new OneCycleLR(this, steps, maxLr / divFactor);
        }

        private static void positive(double v, String name) {
            if (!(v > 0) || Double.isInfinite(v)) {
                throw new IllegalArgumentException("OneCycleLR: " + name + " must be positive and finite, got " + v);
            }
        }

        private static void nonNegative(double v, String name) {
            if (!(v >= 0) || Double.isInfinite(v)) {
                throw new IllegalArgumentException("OneCycleLR: " + name + " must be non-negative and finite, got " + v);
            }
        }
    }
}
