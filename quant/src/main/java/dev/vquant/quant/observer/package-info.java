/**
 * PyTorch's observers ({@code torch.ao.quantization.observer}, version 1.13): they watch float
 * tensors during calibration and turn what they saw into quantization parameters.
 *
 * <ul>
 *   <li>{@link dev.vquant.quant.observer.MinMaxObserver},
 *       {@link dev.vquant.quant.observer.MovingAverageMinMaxObserver}: one range per tensor;</li>
 *   <li>{@link dev.vquant.quant.observer.PerChannelMinMaxObserver},
 *       {@link dev.vquant.quant.observer.MovingAveragePerChannelMinMaxObserver}: one range per
 *       index along {@code ch_axis};</li>
 *   <li>{@link dev.vquant.quant.observer.HistogramObserver}: a 2048-bin histogram and PyTorch's
 *       L2-norm search for the range that quantizes it best;</li>
 *   <li>{@link dev.vquant.quant.observer.PlaceholderObserver}: records nothing, carries a dtype
 *       (dynamic quantization).</li>
 * </ul>
 *
 * <p>Each class has a builder with PyTorch's argument names and defaults
 * ({@code MinMaxObserver.builder().dtype(DType.QINT8).qscheme(QScheme.PER_TENSOR_SYMMETRIC).build()});
 * {@code builder.factory()} is PyTorch's {@code with_args}: an {@link
 * dev.vquant.quant.observer.ObserverFactory} that makes a fresh observer on every call. The scale
 * and zero point come from {@link dev.vquant.engine.QParamsCalculator}, PyTorch's arithmetic bit
 * for bit; every float32 step of the observers themselves follows PyTorch's tensor arithmetic in
 * the same order, so results (ranges, histograms, qparams) are PyTorch's bit for bit.
 *
 * <p><b>Layout and {@code ch_axis}.</b> An observer sees a {@link dev.vquant.engine.FloatTensor}
 * as it is stored and {@code ch_axis} counts the dimensions of {@code x.shape()}. Weights keep
 * PyTorch's order ({@code [out, in, kh, kw]} for Conv2d, {@code [out, in]} for Linear), so a
 * weight observer's {@code ch_axis = 0} means what it means in PyTorch. vquant stores 4-D
 * activations NHWC, so PyTorch's {@code ch_axis = 1} of an NCHW activation is {@code ch_axis = 3}
 * of the same activation here (per-tensor observers do not depend on the layout: they see every
 * element once, in any order).
 *
 * <p>Observers are mutable and not thread-safe: calibrate one model from one thread at a time.
 */
package dev.vquant.quant.observer;
