/**
 * The kernel SPI: what a quantized engine implements, and the contract every implementation keeps.
 *
 * <p>A {@link dev.vquant.engine.spi.KernelBackend} is registered with {@link java.util.ServiceLoader}
 * and offers five kernel families: quantize/dequantize/requantize
 * ({@link dev.vquant.engine.spi.QuantizeKernels}), int8 GEMM on packed weights
 * ({@link dev.vquant.engine.spi.QGemmKernels}), int8 depthwise convolution
 * ({@link dev.vquant.engine.spi.DepthwiseKernels}) and their float32 twins. It declares the PyTorch
 * arithmetic it reproduces in {@link dev.vquant.engine.spi.EngineNumerics}; nothing outside a backend
 * decides numerics by an engine's name.
 *
 * <p>The contract:
 * <ul>
 * <li>Results equal the scalar {@code reference} backend's bit for bit, for every shape, zero point,
 * scale and extreme value (the shared testers in the engine test-jar prove it per family), and
 * do not depend on how a caller splits rows or columns between threads.</li>
 * <li>Output stages ({@link dev.vquant.engine.spi.Requantization}, {@link dev.vquant.engine.spi.FloatOutput})
 * have one scalar {@code apply} rule that every engine reproduces.</li>
 * <li>Packed weights are immutable, stamped with the engine and width that packed them, and
 * rejected by any other engine's kernels.</li>
 * <li>Arguments are validated once, by the operator or by {@link dev.vquant.engine.spi.KernelArgs}
 * for direct SPI callers; a backend's constructor touches no {@code jdk.incubator.vector} class,
 * so {@link dev.vquant.engine.spi.KernelBackend#unavailableReason()} can explain what is missing.</li>
 * <li>Kernels are thread-safe and allocate nothing per call in steady state.</li>
 * </ul>
 */
package dev.vquant.engine.spi;
