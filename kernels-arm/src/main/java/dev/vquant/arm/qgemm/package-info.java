/**
 * QNNPACK's int8 GEMM at 128-bit width: packed weights ({@link dev.vquant.arm.qgemm.PackedQGemmV128}),
 * a 4x8 micro-kernel and 1x8 GEMV kernels, writing through the row output stages of
 * {@code dev.vquant.arm.output}. Entry point: {@link dev.vquant.arm.qgemm.QGemmKernelsV128};
 * arguments are checked once by the SPI's {@code gemm...} methods, the {@code run...} kernels assert.
 */
package dev.vquant.arm.qgemm;
