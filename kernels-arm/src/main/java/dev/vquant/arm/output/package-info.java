/**
 * The qnnpack GEMM's output stages ({@link dev.vquant.arm.output.RowOutput}): raw int32,
 * requantization in float or gemmlowp fixed point, float output, one stage object per thread that
 * owns its parameters (FBGEMM's output-pipeline design, as the x86 engine's).
 */
package dev.vquant.arm.output;
