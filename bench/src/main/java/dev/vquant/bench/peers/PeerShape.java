package dev.vquant.bench.peers;

/**
 * The shape of one {@code vquant peers} case: a Linear layer, a 2-D convolution (NHWC input, batch
 * 1, "same" padding) or a dot product. Each peer runs the shapes it supports.
 */
public sealed interface PeerShape {

    /** {@return the stable case id (the {@code case} column, matched by {@code --case})} */
    String id();

    /**
     * {@code y[m][n] = x[m][k] * W[n][k]^T}.
     *
     * @param m rows of {@code x} (the batch)
     * @param k the reduction length (input features)
     * @param n output features
     */
    record Linear(int m, int k, int n) implements PeerShape {
        /**
         * Checks the sizes.
         *
         * @throws IllegalArgumentException when a size is not positive
         */
        public Linear {
            positive("Linear", m, k, n);
        }

        @Override
        public String id() {
            return "linear_M" + m + "_K" + k + "_N" + n;
        }
    }

    /**
     * A convolution of a {@code [1, size, size, channelsIn]} input with a square kernel, the given
     * stride, padding {@code kernel / 2} and {@code groups} (depthwise when groups equals both
     * channel counts).
     *
     * @param channelsIn input channels
     * @param channelsOut output channels
     * @param size input height and width
     * @param kernel the kernel's height and width
     * @param stride the stride in both directions
     * @param groups the number of channel groups
     */
    record Conv(int channelsIn, int channelsOut, int size, int kernel, int stride, int groups) implements PeerShape {
        /**
         * Checks the sizes.
         *
         * @throws IllegalArgumentException when a size is not positive or {@code groups} does not divide both
         *   channel counts
         */
        public Conv {
            positive("Conv", channelsIn, channelsOut, size, kernel, stride, groups);
            if (channelsIn % groups != 0 || channelsOut % groups != 0) {
                throw new IllegalArgumentException("Conv: groups " + groups + " must divide channels " + channelsIn
                        + " -> " + channelsOut);
            }
        }

        /**
         * {@return whether this is a depthwise convolution: more than one group, as many as each channel count}
         */
        public boolean depthwise() {
            return groups > 1 && groups == channelsIn && groups == channelsOut;
        }

        /** {@return the output height and width} */
        public int outSize() {
            return (size + 2 * (kernel / 2) - kernel) / stride + 1;
        }

        /** {@return the reduction length of one output: {@code channelsIn / groups * kernel^2}} */
        public int reduction() {
            return channelsIn / groups * kernel * kernel;
        }

        @Override
        public String id() {
            if (depthwise()) {
                return "dw" + kernel + "x" + kernel + "_C" + channelsIn + "_H" + size + "_s" + stride;
            }
            return "conv" + kernel + "x" + kernel + "_Ci" + channelsIn + "_Co" + channelsOut + "_H" + size
                    + (stride == 1 ? "" : "_s" + stride);
        }
    }

    /**
     * {@code sum_i (a[i] - za) * b[i]} of a quint8 vector and a qint8 one of length {@code k}.
     *
     * @param k the vectors' length
     */
    record Dot(int k) implements PeerShape {
        /**
         * Checks the length.
         *
         * @throws IllegalArgumentException when {@code k} is not positive
         */
        public Dot {
            positive("Dot", k);
        }

        @Override
        public String id() {
            return "dot_K" + k;
        }
    }

    private static void positive(String what, int... dims) {
        for (int d : dims) {
            if (d <= 0) {
                throw new IllegalArgumentException(what + ": dimensions must be positive, got " + java.util.Arrays.toString(dims));
            }
        }
    }
}
