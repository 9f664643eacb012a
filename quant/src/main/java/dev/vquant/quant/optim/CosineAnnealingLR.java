package dev.vquant.quant.optim;

/**
 * PyTorch 1.13's {@code CosineAnnealingLR(optimizer, T_max, eta_min)}: the learning rate follows
 * half a cosine from the optimizer's rate at construction to {@code etaMin} over {@code tMax}
 * steps (and back up beyond, as PyTorch's does). {@link #step()} uses PyTorch's recursive form
 * (from the optimizer's current rate), {@link #step(int)} its closed form
 * {@code eta_min + (base_lr - eta_min) * (1 + cos(pi * epoch / T_max)) / 2}.
 */
public final class CosineAnnealingLR extends LRScheduler {
    private final int tMax;
    private final double etaMin;

    /**
     * {@code CosineAnnealingLR(optimizer, T_max=tMax)} with {@code eta_min = 0}.
     *
     * @param optimizer the optimizer whose learning rate it sets; its current rate is the base rate
     * @param tMax      the number of steps of half a period, positive
     * @throws IllegalArgumentException when {@code tMax} is not positive
     */
    public CosineAnnealingLR(Optimizer optimizer, int tMax) {
        this(optimizer, tMax, 0);
    }

    /**
     * {@code CosineAnnealingLR(optimizer, T_max=tMax, eta_min=etaMin)}.
     *
     * @param optimizer the optimizer whose learning rate it sets; its current rate is the base rate
     * @param tMax      the number of steps of half a period
     * @param etaMin    the minimum learning rate
     * @throws IllegalArgumentException when {@code tMax} is not positive or {@code etaMin} is
     *                                  negative or not finite
     */
    public CosineAnnealingLR(Optimizer optimizer, int tMax, double etaMin) {
        super(optimizer, optimizer.lr());
        if (tMax <= 0) {
            throw new IllegalArgumentException("CosineAnnealingLR: T_max must be positive, got " + tMax);
        }
        if (!(etaMin >= 0) || Double.isInfinite(etaMin)) {
            throw new IllegalArgumentException("CosineAnnealingLR: eta_min must be a non-negative number, got " + etaMin);
        }
        this.tMax = tMax;
        this.etaMin = etaMin;
        initialStep();
    }

    /** {@return the number of steps of half a period} */
    public int tMax() {
        return tMax;
    }

    /** {@return the minimum learning rate} */
    public double etaMin() {
        return etaMin;
    }

    @Override
    protected double lr() {
        int epoch = lastEpoch();
        double lr = optimizer().lr();
        if (epoch == 0) {
            return lr;
        }
        if (Math.floorMod(epoch - 1 - tMax, 2 * tMax) == 0) {
            // Python's % is a floor modulo
            return lr + (baseLr() - etaMin) * (1 - Math.cos(Math.PI / tMax)) / 2;
        }
        return (1 + Math.cos(Math.PI * epoch / tMax)) / (1 + Math.cos(Math.PI * (epoch - 1) / tMax))
                * (lr - etaMin) + etaMin;
    }

    @Override
    protected double closedFormLr() {
        return etaMin + (baseLr() - etaMin) * (1 + Math.cos(Math.PI * lastEpoch() / tMax)) / 2;
    }
}
