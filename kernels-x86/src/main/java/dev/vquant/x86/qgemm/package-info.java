/**
 * fbgemm's int8 GEMM: weights packed once into column panels
 * ({@link dev.vquant.x86.qgemm.PackedQGemmPanels}), activations packed per call with their row sums,
 * register-blocked micro-kernels (a 7-bit fast path when the activations allow it, exact
 * otherwise), and per-thread output stages ({@link dev.vquant.x86.qgemm.PanelOutput}: int32,
 * requantize, float) that own their parameters. Entry point:
 * {@link dev.vquant.x86.qgemm.X86QGemmKernels}; arguments are checked once by the SPI's
 * {@code gemm...} methods, the {@code run...} kernels assert.
 */
package dev.vquant.x86.qgemm;
