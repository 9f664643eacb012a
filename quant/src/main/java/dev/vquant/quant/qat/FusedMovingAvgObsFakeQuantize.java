package dev.vquant.quant.qat;

import dev.vquant.engine.DynamicQParams;
import dev.vquant.engine.FloatTensor;
import dev.vquant.quant.observer.MovingAverageMinMaxObserver;
import dev.vquant.quant.observer.MovingAveragePerChannelMinMaxObserver;
import dev.vquant.quant.observer.ObserverFactory;
import dev.vquant.quant.observer.UniformQuantizationObserver;

import java.util.Objects;

/**
 * PyTorch's {@code FusedMovingAvgObsFakeQuantize} (the default QAT fake-quant since 1.10): the
 * moving-average min/max of its observer and fake quantization in one step, as ATen's
 * {@code fused_moving_avg_obs_fake_quant} computes it. Unlike {@link FakeQuantize} the forward's
 * qparams do not come from the observer's {@code calculate_qparams} but from ATen's
 * {@code ChooseQuantizationParams} (double-precision scale, no eps floor, symmetric schemes through
 * {@code preserve_sparsity}), and only while fake quantization is enabled; convert still uses the
 * observer's {@link #calculateQParams()}, as PyTorch does.
 */
public final class FusedMovingAvgObsFakeQuantize extends FakeQuantize {

    /**
     * Wraps {@code observer}, whose running range the forward updates (while observing is enabled).
     *
     * @param observer the moving-average min/max observer
     * @throws IllegalArgumentException unless {@code observer} is a MovingAverageMinMaxObserver or a
     *                                  MovingAveragePerChannelMinMaxObserver on axis 0 (PyTorch's restriction)
     */
    public FusedMovingAvgObsFakeQuantize(UniformQuantizationObserver observer) {
        super(checked(observer));
    }

    private static UniformQuantizationObserver checked(UniformQuantizationObserver observer) {
        Objects.requireNonNull(observer, "observer");
        if (observer instanceof MovingAveragePerChannelMinMaxObserver p) {
            if (p.chAxis() != 0) {
                throw new IllegalArgumentException("FusedMovingAvgObsFakeQuantize supports per-channel qparams on axis 0 only, got ch_axis "
                        + p.chAxis());
            }
            return observer;
        }
        if (observer instanceof MovingAverageMinMaxObserver) {
            return observer;
        }
        throw new IllegalArgumentException("Fused observer+fake_quant module only works with MovingAverageMinMaxObserver "
                + "or MovingAveragePerChannelMinMaxObserver, got " + observer);
    }

    /**
     * A factory over fresh observers of {@code observer} ({@code FusedMovingAvgObsFakeQuantize.with_args(...)}).
     *
     * @param observer makes the moving-average min/max observer of each module
     * @return a factory of new fused modules, the form a qconfig holds
     */
    public static ObserverFactory factory(ObserverFactory observer) {
        Objects.requireNonNull(observer, "observer");
        return () -> new FusedMovingAvgObsFakeQuantize(uniform(observer.get()));
    }

    /**
     * Moves the observer's range by the batch (when the observer is enabled); when fake
     * quantization is enabled, recomputes scale and zero point from the range and fake-quantizes.
     *
     * @throws IllegalArgumentException when {@code x} holds NaN or an infinity, or fake quantization
     *                                  is enabled before any range was observed or loaded
     */
    @Override
    public FloatTensor forward(FloatTensor x) {
        Objects.requireNonNull(x, "x");
        if (isObserverEnabled() && x.numel() > 0) {
            observer().forward(x);
        }
        if (!isFakeQuantEnabled()) {
            return x;
        }
        if (!hasObserved()) {
            throw new IllegalArgumentException("FusedMovingAvgObsFakeQuantize: fake quantization needs an observed range; "
                    + "enable the observer or load min_val/max_val first");
        }
        ObserverBuffers b = buffers();
        float[] min = b.minVal();
        float[] max = b.maxVal();
        float[] s = new float[min.length];
        int[] z = new int[min.length];
        boolean symmetric = observer().qscheme().isSymmetric();
        for (int c = 0; c < s.length; c++) {
            DynamicQParams.Choice q = DynamicQParams.choose(min[c], max[c], quantMin(), quantMax(), symmetric);
            s[c] = q.scale();
            z[c] = q.zeroPoint();
        }
        setQParams(s, z);
        return fakeQuantize(x);
    }
}
