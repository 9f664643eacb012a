package dev.vquant.quant.autograd;

import dev.vquant.quant.Tensor;

import java.util.Arrays;
import java.util.Objects;

/**
 * Loss functions in PyTorch's definitions, recorded on the open {@link GradTape} (if any) so
 * {@link GradTape#backward} can start from their result.
 */
public final class Loss {
    private Loss() {
    }

    /**
     * PyTorch's {@code F.cross_entropy(logits, labels)} with mean reduction:
     * {@code mean_i(logsumexp(logits[i]) - logits[i][labels[i]])}, computed in float64 and
     * returned as a float32 scalar tensor (shape {@code []}). Its gradient is
     * {@code (softmax(logits[i]) - onehot(labels[i])) / N}.
     *
     * @param logits {@code [N, C]} float logits
     * @param labels N class indices in {@code [0, C)}
     * @return the mean loss, a float32 scalar recorded on the current tape when one is open
     * @throws IllegalArgumentException when logits is not a non-empty 2-D float tensor, the label
     *                                  count is not N, or a label is out of range (naming its index)
     */
    public static Tensor crossEntropy(Tensor logits, int[] labels) {
        Objects.requireNonNull(logits, "logits");
        Objects.requireNonNull(labels, "labels");
        if (logits.rank() != 2 || logits.numel() == 0) {
            throw new IllegalArgumentException("crossEntropy: expected non-empty logits [N, C], got shape " + Arrays.toString(logits.shape()));
        }
        int[] ys = labels.clone();
        float[] z = logits.storageFloat("crossEntropy").data();
        int n = logits.dim(0);
        int c = logits.dim(1);
        if (ys.length != n) {
            throw new IllegalArgumentException("crossEntropy: " + ys.length + " labels for a batch of " + n + " logits");
        }
        double[] prob = new double[n * c];
        double total = 0;
        for (int i = 0; i < n; i++) {
            int label = ys[i];
            if (label < 0 || label >= c) {
                throw new IllegalArgumentException("crossEntropy: label " + label + " at index " + i + " is outside [0, " + c + ")");
            }
            double max = Double.NEGATIVE_INFINITY;
            for (int j = 0; j < c; j++) {
                max = Math.max(max, z[i * c + j]);
            }
            double sum = 0;
            for (int j = 0; j < c; j++) {
                double e = Math.exp(z[i * c + j] - max);
                prob[i * c + j] = e;
                sum += e;
            }
            for (int j = 0; j < c; j++) {
                prob[i * c + j] /= sum;
            }
            total += Math.log(sum) + max - z[i * c + label];
        }
        Tensor loss = Tensor.of(new float[]{(float) (total / n)});
        GradTape tape = GradTape.recording();
        if (tape != null) {
            tape.record(loss, (g, needs) -> {
                double scale = g[0] / (double) n;
                float[] dz = new float[n * c];
                for (int i = 0; i < n; i++) {
                    for (int j = 0; j < c; j++) {
                        dz[i * c + j] = (float) ((prob[i * c + j] - (j == ys[i] ? 1 : 0)) * scale);
                    }
                }
                return new float[][]{dz};
            }, logits);
        }
        return loss;
    }
}
