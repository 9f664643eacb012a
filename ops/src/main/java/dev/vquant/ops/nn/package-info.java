/**
 * The float32 operators of transformer and recurrent models, on the Vector API and the engine's
 * float GEMM: {@link dev.vquant.ops.nn.FloatLayerNorm}, {@link dev.vquant.ops.nn.FloatSoftmax}
 * (last dimension),
 * {@link dev.vquant.ops.nn.FloatBatchMatmul} (attention's batched products) and
 * {@link dev.vquant.ops.nn.FloatEmbedding}. The row kernels are proven equal to a scalar twin bit
 * for bit; the transcendental functions are {@link dev.vquant.ops.math.VectorMath}'s, which
 * {@link dev.vquant.ops.elementwise.FloatActivation} also runs GELU and tanh on.
 */
package dev.vquant.ops.nn;
