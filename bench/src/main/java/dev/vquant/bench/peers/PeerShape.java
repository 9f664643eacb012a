package dev.vquant.bench.peers;

/**
 * The shape of one {@code vquant peers} case: a Linear layer, a 2-D convolution (NHWC input, batch
 * 1, "same" padding) or a dot product. Each peer runs the shapes it supports.
 */
public sealed interface PeerShape {

    /** Stable case id (the {@code case} column, matched by {@code --case}). */
    String id();

    /** {@code y[m][n] = x[m][k] * W[n][k]^T}. */
    record Linear(int m, int k, int n) implements PeerShape {
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
     */
    record Conv(int channelsIn, int channelsOut, int size, int kernel, int stride, int groups) implements PeerShape {
        public Conv {
            positive("Conv", channelsIn, channelsOut, size, kernel, stride, groups);
            if (channelsIn % groups != 0 || channelsOut % groups != 0) {
                throw new IllegalArgumentException("Conv: groups " + groups + " must divide channels " + channelsIn
                        + " -> " + channelsOut);
            }
        }

        public boolean depthwise() {
            return groups > 1 && groups == channelsIn && groups == channelsOut;
        }

        /** Output height and width. */
        public int outSize() {
            return (size + 2 * (kernel / 2) - kernel) / stride + 1;
        }

        /** Reduction length of one output: {@code channelsIn / groups * kernel^2}. */
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

    /** {@code sum_i (a[i] - za) * b[i]} of a quint8 vector and a qint8 one of length {@code k}. */
    record Dot(int k) implements PeerShape {
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
