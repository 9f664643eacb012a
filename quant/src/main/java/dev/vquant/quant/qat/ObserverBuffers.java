package dev.vquant.quant.qat;

import dev.vquant.quant.Tensor;
import dev.vquant.quant.nn.LoadResult;
import dev.vquant.quant.nn.Module;
import dev.vquant.quant.observer.ChannelRangeObserver;
import dev.vquant.quant.observer.TensorRangeObserver;
import dev.vquant.quant.observer.UniformQuantizationObserver;

import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * A fake-quant's observer in the module tree ({@code <fake_quant>.activation_post_process}): its
 * state dict entries are PyTorch's observer buffers {@code eps} ([1]), {@code min_val} and
 * {@code max_val} (scalars per tensor, one per channel per channel), so QAT-prepared state dicts
 * save and load with PyTorch's names. The fake-quant runs the observer; this module's own forward
 * only records.
 */
final class ObserverBuffers extends Module {
    private UniformQuantizationObserver observer;

    ObserverBuffers(UniformQuantizationObserver observer) {
        if (!(observer instanceof TensorRangeObserver) && !(observer instanceof ChannelRangeObserver)) {
            throw new IllegalArgumentException("a fake-quant needs a min/max observer (MinMax, MovingAverageMinMax or their "
                    + "per-channel forms), got " + observer);
        }
        this.observer = observer;
    }

    @Override
    protected void afterCopy() {
        observer = observer instanceof TensorRangeObserver t ? t.copy() : ((ChannelRangeObserver) observer).copy();
    }

    UniformQuantizationObserver observer() {
        return observer;
    }

    @Override
    public Tensor forward(Tensor x) {
        observer.forward(x.contiguousFloat(observer.getClass().getSimpleName()));
        return x;
    }

    /** True once a range was recorded (or loaded). */
    boolean hasRange() {
        if (observer instanceof TensorRangeObserver t) {
            return t.minVal() != Float.POSITIVE_INFINITY || t.maxVal() != Float.NEGATIVE_INFINITY;
        }
        return ((ChannelRangeObserver) observer).minVal().length > 0;
    }

    float[] minVal() {
        return observer instanceof TensorRangeObserver t ? new float[]{t.minVal()} : ((ChannelRangeObserver) observer).minVal();
    }

    float[] maxVal() {
        return observer instanceof TensorRangeObserver t ? new float[]{t.maxVal()} : ((ChannelRangeObserver) observer).maxVal();
    }

    @Override
    protected void saveToStateDict(String prefix, Map<String, Tensor> out) {
        out.put(prefix + "eps", Tensor.of(new float[]{observer.eps()}, 1));
        if (observer instanceof TensorRangeObserver t) {
            out.put(prefix + "min_val", Tensor.of(new float[]{t.minVal()}));
            out.put(prefix + "max_val", Tensor.of(new float[]{t.maxVal()}));
        } else {
            float[] min = minVal();
            out.put(prefix + "min_val", Tensor.of(min, min.length));
            out.put(prefix + "max_val", Tensor.of(maxVal(), min.length));
        }
    }

    @Override
    protected void loadFromStateDict(String prefix, Map<String, Tensor> state, List<String> used, LoadResult.Builder problems) {
        Tensor eps = take(prefix + "eps", state, used, problems);
        Tensor min = take(prefix + "min_val", state, used, problems);
        Tensor max = take(prefix + "max_val", state, used, problems);
        if (eps != null && (eps.numel() != 1 || eps.toFloatArray()[0] != observer.eps())) {
            problems.mismatch(prefix + "eps: " + Arrays.toString(eps.toFloatArray()) + " in the state dict, " + observer.eps()
                    + " in the model's observer");
        }
        if (min == null || max == null) {
            return;
        }
        if (observer instanceof TensorRangeObserver t) {
            if (min.numel() != 1 || max.numel() != 1) {
                problems.mismatch(prefix + "min_val/max_val: one value each expected for a per-tensor observer, got shapes "
                        + Arrays.toString(min.shape()) + " and " + Arrays.toString(max.shape()));
                return;
            }
            t.loadMinMax(min.toFloatArray()[0], max.toFloatArray()[0]);
        } else {
            if (min.rank() != 1 || max.rank() != 1 || min.numel() != max.numel()) {
                problems.mismatch(prefix + "min_val/max_val: equal 1-D shapes expected for a per-channel observer, got "
                        + Arrays.toString(min.shape()) + " and " + Arrays.toString(max.shape()));
                return;
            }
            ((ChannelRangeObserver) observer).loadMinMax(min.toFloatArray(), max.toFloatArray());
        }
    }

    /** The float entry {@code key}, recorded as used; null (and reported) when missing or quantized. */
    static Tensor take(String key, Map<String, Tensor> state, List<String> used, LoadResult.Builder problems) {
        Tensor t = state.get(key);
        if (t == null) {
            problems.missing(key);
            return null;
        }
        used.add(key);
        if (t.isQuantized()) {
            problems.mismatch(key + ": expected a float tensor, got a quantized one (" + t + ")");
            return null;
        }
        return t;
    }

    @Override
    protected String extraRepr() {
        return observer.toString();
    }
}
