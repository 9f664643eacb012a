package dev.vquant.quant.nn;

import dev.vquant.quant.Tensor;

import java.util.Arrays;

/**
 * {@link BatchNorm} over the features of {@code [N, C]} or {@code [N, C, L]} inputs, PyTorch's
 * {@code nn.BatchNorm1d(num_features, eps=1e-5, momentum=0.1, affine=True, track_running_stats=True)}.
 */
public final class BatchNorm1d extends BatchNorm {

    /**
     * eps 1e-5, momentum 0.1, affine, tracking running statistics.
     *
     * @param numFeatures the number of channels ({@code num_features})
     * @throws IllegalArgumentException when {@code numFeatures} is not positive
     */
    public BatchNorm1d(int numFeatures) {
        this(numFeatures, 1e-5, 0.1, true, true);
    }

    /**
     * PyTorch's {@code BatchNorm1d(num_features, eps, momentum, affine, track_running_stats)}.
     *
     * @param numFeatures       the number of channels ({@code num_features})
     * @param eps               the value added to the variance, positive
     * @param momentum          the running statistics' update factor, or null for a cumulative moving average
     * @param affine            whether to learn a weight and bias
     * @param trackRunningStats whether to keep running statistics for eval mode
     * @throws IllegalArgumentException when numFeatures or eps is not positive
     */
    public BatchNorm1d(int numFeatures, double eps, Double momentum, boolean affine, boolean trackRunningStats) {
        super(numFeatures, eps, momentum, affine, trackRunningStats);
    }

    @Override
    protected void checkRank(Tensor x) {
        if (x.rank() != 2 && x.rank() != 3) {
            throw new IllegalArgumentException(this + ": expected a 2-D [N, C] or 3-D [N, C, L] input, got shape "
                    + Arrays.toString(x.shape()));
        }
    }
}
