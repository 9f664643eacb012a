/**
 * Linear layers: statically quantized ({@link dev.vquant.ops.linear.QLinear}), dynamically
 * quantized ({@link dev.vquant.ops.linear.DynamicQLinear}) and their float32 twin
 * ({@link dev.vquant.ops.linear.FloatLinear}); numerics per engine as golden/NUMERICS.md states.
 */
package dev.vquant.ops.linear;
