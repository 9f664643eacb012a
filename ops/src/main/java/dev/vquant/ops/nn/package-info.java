/**
 * The float32 operators of transformer and recurrent models, on the Vector API and the engine's
 * float GEMM: {@link dev.vquant.ops.nn.FloatLayerNorm}, {@link dev.vquant.ops.nn.FloatSoftmax}
 * (last dimension),
 * {@link dev.vquant.ops.nn.FloatBatchMatmul} (attention's batched products) and
 * {@link dev.vquant.ops.nn.FloatEmbedding}. The row kernels are proven equal to a scalar twin bit
 * for bit; the transcendental functions are {@link dev.vquant.ops.math.VectorMath}'s, which
 * {@link dev.vquant.ops.elementwise.FloatActivation} also runs GELU and tanh on.
 *
 * <p>The row kernels' loop accumulators are never the receiver of a final Vector API method: C2
 * types them as the abstract {@code FloatVector}, whose methods bind by a type profile that every
 * vector width in the JVM shares (the engines' kernels write other widths into it). Fresh values
 * are the receivers ({@code acc = e.add(acc)}) and accumulators are stored through a cast to the
 * species' class ({@code EXACT}), which makes their type exact.
 */
package dev.vquant.ops.nn;
