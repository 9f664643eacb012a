/**
 * The float32 GEMM twin of the int8 one (the baseline every speed ratio is measured against):
 * packed weight panels and FMA micro-kernels. Entry point:
 * {@link dev.vquant.x86.fgemm.X86FloatGemmKernels}.
 */
package dev.vquant.x86.fgemm;
