/**
 * What every operator shares: the shared worker pool ({@link dev.vquant.ops.core.Parallel}) and
 * thread count ({@link dev.vquant.ops.core.Threads}, like {@code torch.set_num_threads}), the
 * GEMM work split ({@link dev.vquant.ops.core.GemmSplit}), per-engine packed weights
 * ({@link dev.vquant.ops.core.PerEngine}: repacked once and cached when an operator runs under
 * another engine), requantization choice ({@link dev.vquant.ops.core.RequantMode}), input checks
 * ({@link dev.vquant.ops.core.TensorChecks}) and reusable output arrays for repeated inference
 * ({@link dev.vquant.ops.core.OutputArena}).
 *
 * <p>Conventions of the whole module: activations are NHWC ({@code [N, H, W, C]}), quantized
 * activations quint8 per tensor; operators are immutable once built and safe to call from many
 * threads at once; a work split only decides which thread computes which output elements, never
 * their arithmetic, so results do not depend on the thread count. Every operator reaches kernels
 * only through a {@link dev.vquant.engine.spi.KernelBackend}: the one passed to {@code forward},
 * or {@link dev.vquant.engine.QuantEngine#current()}.
 */
package dev.vquant.ops.core;
