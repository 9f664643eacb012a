package dev.vquant.quant.qat;

import dev.vquant.engine.FloatTensor;
import dev.vquant.engine.QParams;
import dev.vquant.quant.Tensor;
import dev.vquant.quant.autograd.FakeQuantGrad;
import dev.vquant.quant.autograd.GradTape;
import dev.vquant.quant.nn.LoadResult;
import dev.vquant.quant.nn.Module;
import dev.vquant.quant.observer.Observer;
import dev.vquant.quant.observer.ObserverFactory;
import dev.vquant.quant.observer.UniformQuantizationObserver;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * PyTorch's {@code FakeQuantize}: simulates quantize-then-dequantize in float during training. Its
 * forward first lets the observer ({@code activation_post_process}) record the input and copies the
 * observer's qparams into {@code scale}/{@code zero_point} (when the observer is enabled), then
 * fake-quantizes with them (when fake quantization is enabled), per tensor or per channel along the
 * observer's axis, over the observer's {@code [quant_min, quant_max]}.
 *
 * <p>State dict entries, PyTorch's: {@code fake_quant_enabled}, {@code observer_enabled},
 * {@code scale}, {@code zero_point}, then the observer's {@code activation_post_process.eps/min_val/max_val}
 * (integers stored as float values). {@code scale} and {@code zero_point} take the length they are
 * loaded with, as in PyTorch.
 *
 * <p>It is also an {@link Observer}, so a qconfig can hold its factory: prepare installs it as a
 * module's {@code activation_post_process}, convert reads {@link #calculateQParams()} (the observer's
 * qparams). Mutable and not thread-safe, like training.
 */
public class FakeQuantize extends Module implements Observer {
    private final ObserverBuffers observer;  // rewired by deepCopy
    private final boolean perChannel;
    private final int chAxis;
    private boolean fakeQuantEnabled = true;
    private boolean observerEnabled = true;
    private float[] scale = {1f};
    private int[] zeroPoint = {0};

    /**
     * Wraps {@code observer} (a min/max observer: MinMax, MovingAverageMinMax or their per-channel forms).
     *
     * @param observer the observer that chooses the qparams, registered as {@code activation_post_process}
     * @throws IllegalArgumentException for another kind of observer
     */
    public FakeQuantize(UniformQuantizationObserver observer) {
        Objects.requireNonNull(observer, "observer");
        this.observer = new ObserverBuffers(observer);
        registerModule(ACTIVATION_POST_PROCESS, this.observer);
        this.perChannel = observer.qscheme().isPerChannel();
        this.chAxis = perChannel ? ((dev.vquant.quant.observer.ChannelRangeObserver) observer).chAxis() : -1;
    }

    /**
     * A factory of FakeQuantize modules over fresh observers of {@code observer} (PyTorch's
     * {@code FakeQuantize.with_args(observer=...)}), the form a qconfig holds.
     *
     * @param observer makes the observer of each FakeQuantize
     * @return a factory of new FakeQuantize modules
     */
    public static ObserverFactory factory(ObserverFactory observer) {
        Objects.requireNonNull(observer, "observer");
        return () -> new FakeQuantize(uniform(observer.get()));
    }

    static UniformQuantizationObserver uniform(Observer o) {
        if (o instanceof UniformQuantizationObserver u) {
            return u;
        }
        throw new IllegalArgumentException("a fake-quant needs a min/max observer, got " + o);
    }

    /** {@return the observer ({@code activation_post_process})} */
    public final UniformQuantizationObserver observer() {
        return observer.observer();
    }

    /** The observer's module ({@code activation_post_process}) with its state dict entries. */
    final ObserverBuffers buffers() {
        return observer;
    }

    /** {@return {@code quant_min} of the simulated range (after reduce_range)} */
    public final int quantMin() {
        return observer().quantMin();
    }

    /** {@return {@code quant_max} of the simulated range (after reduce_range)} */
    public final int quantMax() {
        return observer().quantMax();
    }

    /** {@return whether qparams are per channel (along {@link #chAxis()})} */
    public final boolean isPerChannel() {
        return perChannel;
    }

    /** {@return the channel axis of per-channel qparams, -1 per tensor} */
    public final int chAxis() {
        return chAxis;
    }

    /** {@return a copy of the current scales (one per tensor, or one per channel)} */
    public final float[] scale() {
        return scale.clone();
    }

    /** {@return a copy of the current zero points} */
    public final int[] zeroPoint() {
        return zeroPoint.clone();
    }

    /**
     * Replaces the current qparams (what the forward and loading do).
     *
     * @param scales     the new scales (one per tensor, or one per channel)
     * @param zeroPoints the new zero points, as many as {@code scales}
     */
    protected final void setQParams(float[] scales, int[] zeroPoints) {
        this.scale = scales.clone();
        this.zeroPoint = zeroPoints.clone();
    }

    /**
     * {@code enable_fake_quant(enabled)}.
     *
     * @param enabled whether the forward fake-quantizes
     * @return this module
     */
    public final FakeQuantize enableFakeQuant(boolean enabled) {
        fakeQuantEnabled = enabled;
        return this;
    }

    /**
     * {@code disable_fake_quant()}: the forward passes values through (still observing when enabled).
     *
     * @return this module
     */
    public final FakeQuantize disableFakeQuant() {
        return enableFakeQuant(false);
    }

    /**
     * {@code enable_observer(enabled)}.
     *
     * @param enabled whether the forward records its input
     * @return this module
     */
    public final FakeQuantize enableObserver(boolean enabled) {
        observerEnabled = enabled;
        return this;
    }

    /**
     * {@code disable_observer()}: the qparams stay as they are.
     *
     * @return this module
     */
    public final FakeQuantize disableObserver() {
        return enableObserver(false);
    }

    /** {@return whether fake quantization is on} */
    public final boolean isFakeQuantEnabled() {
        return fakeQuantEnabled;
    }

    /** {@return whether the observer records inputs} */
    public final boolean isObserverEnabled() {
        return observerEnabled;
    }

    /** {@return true once the observer has a range (recorded or loaded), so {@link #calculateQParams()} means something} */
    public final boolean hasObserved() {
        return observer.hasRange();
    }

    /** The observer's qparams ({@code calculate_qparams}), what convert uses. */
    @Override
    public final QParams calculateQParams() {
        return observer().calculateQParams();
    }

    /** Observes and fake-quantizes {@code x}; under a {@link GradTape}, records the straight-through gradient. */
    @Override
    public Tensor forward(Tensor x) {
        Tensor y;
        if (perChannel) {
            FloatTensor in = x.contiguousFloat(getClass().getSimpleName());
            y = Tensor.of(forward(in).data(), x.shape());
        } else {
            FloatTensor stored = x.storageFloat(getClass().getSimpleName());
            y = x.withStorage(forward(stored));
        }
        GradTape tape = GradTape.recording();
        if (tape != null) {
            recordBackward(tape, x, y);
        }
        return y;
    }

    /**
     * Records on {@code tape} the gradient of the forward that just computed {@code y} from
     * {@code x} (call it right after that forward: it uses the qparams the forward used): the
     * straight-through estimator with clipping while fake quantization is enabled, the identity
     * while it is not. For modules that fake-quantize a weight through {@link #forward(FloatTensor)}.
     *
     * @param tape the tape recording the training step
     * @param x    the forward's input
     * @param y    the forward's output
     */
    public final void recordBackward(GradTape tape, Tensor x, Tensor y) {
        if (fakeQuantEnabled) {
            FakeQuantGrad.record(tape, x, y, scale, zeroPoint, perChannel ? chAxis : -1, quantMin(), quantMax());
        } else {
            FakeQuantGrad.identity(tape, x, y);
        }
    }

    /**
     * Observes (when enabled) and fake-quantizes (when enabled) {@code x}, in PyTorch's logical order.
     * Returns a new tensor, or {@code x} itself when fake quantization is off.
     *
     * @throws IllegalArgumentException when {@code x} holds NaN or an infinity, or does not fit the observer
     */
    @Override
    public FloatTensor forward(FloatTensor x) {
        Objects.requireNonNull(x, "x");
        if (observerEnabled && x.numel() > 0) {
            observer().forward(x);
            QParams q = observer().calculateQParams();
            float[] s = new float[q.count()];
            int[] z = new int[q.count()];
            for (int c = 0; c < s.length; c++) {
                s[c] = (float) q.scale(c);
                z[c] = q.zeroPoint(c);
            }
            setQParams(s, z);
        }
        return fakeQuantEnabled ? fakeQuantize(x) : x;
    }

    /**
     * Fake-quantizes with the current qparams.
     *
     * @param x the values, in PyTorch's logical order
     * @return a new tensor of the fake-quantized values
     */
    protected final FloatTensor fakeQuantize(FloatTensor x) {
        float[] y = perChannel
                ? FakeQuantization.perChannel(x.data(), x.shape(), chAxis, scale, zeroPoint, quantMin(), quantMax())
                : FakeQuantization.perTensor(x.data(), scale[0], zeroPoint[0], quantMin(), quantMax());
        return FloatTensor.of(y, x.shape());
    }

    @Override
    protected void saveToStateDict(String prefix, Map<String, Tensor> out) {
        out.put(prefix + "fake_quant_enabled", Tensor.of(new float[]{fakeQuantEnabled ? 1 : 0}, 1));
        out.put(prefix + "observer_enabled", Tensor.of(new float[]{observerEnabled ? 1 : 0}, 1));
        out.put(prefix + "scale", Tensor.of(scale.clone(), scale.length));
        float[] z = new float[zeroPoint.length];
        for (int i = 0; i < z.length; i++) {
            z[i] = zeroPoint[i];
        }
        out.put(prefix + "zero_point", Tensor.of(z, z.length));
    }

    @Override
    protected void loadFromStateDict(String prefix, Map<String, Tensor> state, List<String> used, LoadResult.Builder problems) {
        Tensor fq = ObserverBuffers.take(prefix + "fake_quant_enabled", state, used, problems);
        Tensor ob = ObserverBuffers.take(prefix + "observer_enabled", state, used, problems);
        Tensor s = ObserverBuffers.take(prefix + "scale", state, used, problems);
        Tensor z = ObserverBuffers.take(prefix + "zero_point", state, used, problems);
        if (fq != null) {
            fakeQuantEnabled = flag(prefix + "fake_quant_enabled", fq, problems, fakeQuantEnabled);
        }
        if (ob != null) {
            observerEnabled = flag(prefix + "observer_enabled", ob, problems, observerEnabled);
        }
        if (s == null || z == null) {
            return;
        }
        float[] sv = s.toFloatArray();
        float[] zv = z.toFloatArray();
        if (s.rank() != 1 || sv.length != zv.length || sv.length == 0) {
            problems.mismatch(prefix + "scale/zero_point: equal non-empty 1-D shapes expected, got " + Arrays.toString(s.shape())
                    + " and " + Arrays.toString(z.shape()));
            return;
        }
        int[] zi = new int[zv.length];
        for (int i = 0; i < zv.length; i++) {
            if (zv[i] != Math.rint(zv[i])) {
                problems.mismatch(prefix + "zero_point: integers expected, got " + zv[i]);
                return;
            }
            zi[i] = (int) zv[i];
        }
        setQParams(sv, zi);
    }

    private static boolean flag(String key, Tensor t, LoadResult.Builder problems, boolean current) {
        float[] v = t.toFloatArray();
        if (v.length != 1 || (v[0] != 0 && v[0] != 1)) {
            problems.mismatch(key + ": a single 0 or 1 expected, got " + Arrays.toString(v));
            return current;
        }
        return v[0] == 1;
    }

    @Override
    protected String extraRepr() {
        return "fake_quant_enabled=" + (fakeQuantEnabled ? 1 : 0) + ", observer_enabled=" + (observerEnabled ? 1 : 0)
                + ", quant_min=" + quantMin() + ", quant_max=" + quantMax() + ", dtype=" + observer().dtype() + ", qscheme="
                + observer().qscheme() + ", ch_axis=" + chAxis + ", scale=" + Arrays.toString(scale) + ", zero_point="
                + Arrays.toString(zeroPoint);
    }
}
