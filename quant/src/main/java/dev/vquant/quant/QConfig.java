package dev.vquant.quant;

import dev.vquant.engine.DType;
import dev.vquant.quant.observer.HistogramObserver;
import dev.vquant.quant.observer.MinMaxObserver;
import dev.vquant.quant.observer.MovingAverageMinMaxObserver;
import dev.vquant.quant.observer.MovingAveragePerChannelMinMaxObserver;
import dev.vquant.quant.observer.ObserverFactory;
import dev.vquant.quant.observer.PerChannelMinMaxObserver;
import dev.vquant.quant.observer.PlaceholderObserver;
import dev.vquant.engine.QScheme;
import dev.vquant.quant.qat.FusedMovingAvgObsFakeQuantize;

import java.util.Locale;
import java.util.Objects;

/**
 * How to quantize a module (PyTorch's {@code QConfig}): the observer factories for its output
 * activations and for its weight. Set on a module with {@code Module.setQConfig}; {@code prepare}
 * propagates it to the children that have none of their own.
 *
 * @param activation makes the output observer of each quantized module
 * @param weight     makes the observer that chooses a weight's qparams at convert
 */
public record QConfig(ObserverFactory activation, ObserverFactory weight) {

    /**
     * Validates the factories.
     *
     * @throws NullPointerException when a factory is null
     */
    public QConfig {
        Objects.requireNonNull(activation, "activation");
        Objects.requireNonNull(weight, "weight");
    }

    /**
     * PyTorch 1.13's {@code get_default_qconfig(engine)}:
     * <ul>
     * <li>{@code fbgemm} / {@code x86}: HistogramObserver with reduce_range (quint8 0..127),
     * per-channel symmetric qint8 weights ({@code default_per_channel_weight_observer});</li>
     * <li>{@code qnnpack}: HistogramObserver (0..255), per-tensor symmetric qint8 weights
     * ({@code default_weight_observer});</li>
     * <li>{@code onednn}: HistogramObserver (0..255), per-channel symmetric qint8 weights.</li>
     * </ul>
     *
     * @param engine {@code fbgemm}, {@code x86}, {@code qnnpack} or {@code onednn} (case and surrounding blanks ignored)
     * @return the engine's default post-training qconfig
     * @throws IllegalArgumentException for another name, listing the valid ones
     */
    public static QConfig defaultFor(String engine) {
        String e = engine == null ? "" : engine.trim().toLowerCase(Locale.ROOT);
        return switch (e) {
            case "fbgemm", "x86" -> new QConfig(histogram(true), perChannelSymmetricWeight());
            case "qnnpack" -> new QConfig(histogram(false), perTensorSymmetricWeight());
            case "onednn" -> new QConfig(histogram(false), perChannelSymmetricWeight());
            default -> throw new IllegalArgumentException("no default qconfig for engine '" + engine
                    + "'; PyTorch defines them for fbgemm, x86, qnnpack and onednn");
        };
    }

    /**
     * PyTorch 1.13's {@code get_default_qat_qconfig(engine)} (version 1): fused observer +
     * fake-quant modules ({@link FusedMovingAvgObsFakeQuantize}, moving-average min/max with
     * averaging constant 0.01) for activations and weights:
     * <ul>
     * <li>{@code fbgemm} / {@code x86}: activations quint8 quant_min 0, quant_max 255 with
     * reduce_range (so 0..127); weights {@code default_fused_per_channel_wt_fake_quant}
     * (MovingAveragePerChannelMinMaxObserver, qint8 -128..127, per_channel_symmetric, axis 0);</li>
     * <li>{@code qnnpack}: activations quint8 0..255; weights {@code default_fused_wt_fake_quant}
     * (MovingAverageMinMaxObserver, qint8 -128..127, per_tensor_symmetric);</li>
     * <li>{@code onednn}: activations quint8 0..255; per-channel weights as fbgemm.</li>
     * </ul>
     *
     * @param engine {@code fbgemm}, {@code x86}, {@code qnnpack} or {@code onednn} (case and surrounding blanks ignored)
     * @return the engine's default QAT qconfig
     * @throws IllegalArgumentException for another name, listing the valid ones
     */
    public static QConfig defaultQatFor(String engine) {
        String e = engine == null ? "" : engine.trim().toLowerCase(Locale.ROOT);
        return switch (e) {
            case "fbgemm", "x86" -> new QConfig(fusedActivation(true), fusedPerChannelWeight());
            case "qnnpack" -> new QConfig(fusedActivation(false), fusedPerTensorWeight());
            case "onednn" -> new QConfig(fusedActivation(false), fusedPerChannelWeight());
            default -> throw new IllegalArgumentException("no default QAT qconfig for engine '" + engine
                    + "'; PyTorch defines them for fbgemm, x86, qnnpack and onednn");
        };
    }

    /** {@code FusedMovingAvgObsFakeQuantize.with_args(observer=MovingAverageMinMaxObserver, quant_min=0, quant_max=255, reduce_range=...)}. */
    private static ObserverFactory fusedActivation(boolean reduceRange) {
        return FusedMovingAvgObsFakeQuantize.factory(
                MovingAverageMinMaxObserver.builder().quantMin(0).quantMax(255).reduceRange(reduceRange).factory());
    }

    /** {@code default_fused_wt_fake_quant}. */
    private static ObserverFactory fusedPerTensorWeight() {
        return FusedMovingAvgObsFakeQuantize.factory(MovingAverageMinMaxObserver.builder().dtype(DType.QINT8)
                .qscheme(QScheme.PER_TENSOR_SYMMETRIC).quantMin(-128).quantMax(127).factory());
    }

    /** {@code default_fused_per_channel_wt_fake_quant}. */
    private static ObserverFactory fusedPerChannelWeight() {
        return FusedMovingAvgObsFakeQuantize.factory(MovingAveragePerChannelMinMaxObserver.builder().dtype(DType.QINT8)
                .qscheme(QScheme.PER_CHANNEL_SYMMETRIC).quantMin(-128).quantMax(127).factory());
    }

    /**
     * PyTorch's {@code default_dynamic_qconfig}: activations quantized per call (a placeholder
     * observer, quint8), per-tensor symmetric qint8 weights.
     *
     * @return a qconfig for {@link Quantize#quantizeDynamic}
     */
    public static QConfig defaultDynamic() {
        return new QConfig(dynamicActivation(), perTensorSymmetricWeight());
    }

    /**
     * PyTorch's {@code per_channel_dynamic_qconfig}: as {@link #defaultDynamic()} with per-channel symmetric weights.
     *
     * @return a qconfig for {@link Quantize#quantizeDynamic}
     */
    public static QConfig perChannelDynamic() {
        return new QConfig(dynamicActivation(), perChannelSymmetricWeight());
    }

    private static ObserverFactory histogram(boolean reduceRange) {
        return HistogramObserver.builder().reduceRange(reduceRange).factory();
    }

    /** {@code default_weight_observer}: MinMaxObserver, qint8, per-tensor symmetric. */
    private static ObserverFactory perTensorSymmetricWeight() {
        return MinMaxObserver.builder().dtype(DType.QINT8).qscheme(QScheme.PER_TENSOR_SYMMETRIC).factory();
    }

    /** {@code default_per_channel_weight_observer}: PerChannelMinMaxObserver, qint8, per-channel symmetric, axis 0. */
    private static ObserverFactory perChannelSymmetricWeight() {
        return PerChannelMinMaxObserver.builder().dtype(DType.QINT8).qscheme(QScheme.PER_CHANNEL_SYMMETRIC).factory();
    }

    /** {@code default_dynamic_quant_observer} (1.13): a placeholder, dtype and compute_dtype quint8: activations chosen per call. */
    private static ObserverFactory dynamicActivation() {
        return PlaceholderObserver.builder().dtype(DType.QUINT8).computeDtype(DType.QUINT8).factory();
    }
}
