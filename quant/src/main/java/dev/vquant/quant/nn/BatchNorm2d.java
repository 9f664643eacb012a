package dev.vquant.quant.nn;

import dev.vquant.quant.Tensor;

import java.util.Arrays;

/**
 * {@link BatchNorm} over the channels of {@code [N, C, H, W]} images, PyTorch's
 * {@code nn.BatchNorm2d(num_features, eps=1e-5, momentum=0.1, affine=True, track_running_stats=True)}.
 * Works in either memory format and keeps it.
 */
public final class BatchNorm2d extends BatchNorm {

    /** eps 1e-5, momentum 0.1, affine, tracking running statistics. */
    public BatchNorm2d(int numFeatures) {
        this(numFeatures, 1e-5, 0.1, true, true);
    }

    /** @param momentum null for a cumulative moving average */
    public BatchNorm2d(int numFeatures, double eps, Double momentum, boolean affine, boolean trackRunningStats) {
        super(numFeatures, eps, momentum, affine, trackRunningStats);
    }

    @Override
    protected void checkRank(Tensor x) {
        if (x.rank() != 4) {
            throw new IllegalArgumentException(this + ": expected a 4-D input [N, C, H, W], got shape " + Arrays.toString(x.shape()));
        }
    }
}
