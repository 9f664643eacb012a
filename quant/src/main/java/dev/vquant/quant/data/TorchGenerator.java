package dev.vquant.quant.data;

/**
 * PyTorch's CPU random generator ({@code torch.Generator()}, the Mersenne Twister MT19937 of
 * {@code at::mt19937}) with the draws the training recipes use, so that a seed gives the same
 * shuffles and augmentation parameters as in PyTorch 1.13: {@link #manualSeed}, {@link #randperm}
 * and {@link #rand} (golden/augment.json). Not thread-safe: one generator per training loop.
 */
public final class TorchGenerator {
    private static final int N = 624;
    private static final int M = 397;
    private static final int MATRIX_A = 0x9908b0df;
    private static final int UPPER_MASK = 0x80000000;
    private static final int LOWER_MASK = 0x7fffffff;

    private final int[] state = new int[N];
    private int left;
    private int next;
    private long seed;

    /**
     * A generator seeded with {@code seed} ({@code torch.Generator().manual_seed(seed)}).
     *
     * @param seed the seed (its low 32 bits seed the state)
     */
    public TorchGenerator(long seed) {
        manualSeed(seed);
    }

    /**
     * Re-seeds ({@code manual_seed}): the state PyTorch's {@code mt19937(seed)} starts from (the
     * low 32 bits of {@code seed} seed the state, as in PyTorch).
     *
     * @param seed the seed (its low 32 bits seed the state)
     * @return this generator
     */
    public TorchGenerator manualSeed(long seed) {
        this.seed = seed;
        state[0] = (int) seed;
        for (int j = 1; j < N; j++) {
            state[j] = 1812433253 * (state[j - 1] ^ (state[j - 1] >>> 30)) + j;
        }
        left = 1;
        next = 0;
        return this;
    }

    /** {@return the seed last given} */
    public long initialSeed() {
        return seed;
    }

    /** {@return the next 32 random bits, as an unsigned value ({@code CPUGeneratorImpl::random()})} */
    public long nextUInt32() {
        if (--left == 0) {
            twist();
        }
        int y = state[next++];
        y ^= y >>> 11;
        y ^= (y << 7) & 0x9d2c5680;
        y ^= (y << 15) & 0xefc60000;
        y ^= y >>> 18;
        return y & 0xffffffffL;
    }

    private void twist() {
        left = N;
        next = 0;
        for (int j = 0; j < N; j++) {
            int y = (state[j] & UPPER_MASK) | (state[(j + 1) % N] & LOWER_MASK);
            state[j] = state[(j + M) % N] ^ (y >>> 1) ^ ((state[(j + 1) % N] & 1) != 0 ? MATRIX_A : 0);
        }
    }

    /**
     * {@code torch.randperm(n, generator=g)}: a random permutation of {@code 0..n-1} by PyTorch's
     * CPU algorithm (a Fisher-Yates pass, {@code z = random() % (n - i)}).
     *
     * @param n the permutation's length
     * @return a new array holding each of {@code 0..n-1} once
     * @throws IllegalArgumentException when {@code n} is negative
     */
    public int[] randperm(int n) {
        if (n < 0) {
            throw new IllegalArgumentException("randperm: n must be non-negative, got " + n);
        }
        int[] r = new int[n];
        for (int i = 0; i < n; i++) {
            r[i] = i;
        }
        for (int i = 0; i < n - 1; i++) {
            int z = (int) (nextUInt32() % (n - i));
            int t = r[i];
            r[i] = r[z + i];
            r[z + i] = t;
        }
        return r;
    }

    /** {@return one {@code torch.rand} float32 value in [0, 1): 24 random bits times 2^-24} */
    public float nextFloat() {
        return (nextUInt32() & 0xffffff) * 0x1p-24f;
    }

    /**
     * {@code torch.rand(n, generator=g)} (or any shape of {@code n} elements, drawn in row-major
     * order).
     *
     * @param n the number of values
     * @return {@code n} values in [0, 1)
     * @throws IllegalArgumentException when {@code n} is negative
     */
    public float[] rand(int n) {
        if (n < 0) {
            throw new IllegalArgumentException("rand: n must be non-negative, got " + n);
        }
        float[] out = new float[n];
        for (int i = 0; i < n; i++) {
            out[i] = nextFloat();
        }
        return out;
    }

    @Override
    public String toString() {
        return "TorchGenerator(seed=" + seed + ")";
    }

    /** {@return a copy in the same state (later draws of both are equal)} */
    public TorchGenerator copy() {
        TorchGenerator g = new TorchGenerator(seed);
        System.arraycopy(state, 0, g.state, 0, N);
        g.left = left;
        g.next = next;
        return g;
    }
}
