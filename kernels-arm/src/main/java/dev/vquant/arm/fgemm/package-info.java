/**
 * The float32 GEMM twin at 128-bit width (4x16 and 1x16 micro-kernels). Entry point:
 * {@link dev.vquant.arm.fgemm.FloatGemmKernelsV128}.
 */
package dev.vquant.arm.fgemm;
