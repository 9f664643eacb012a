/**
 * vquant's operators: quantized and float operators with PyTorch's names and NHWC layouts, built
 * on the engine's tensors and kernel SPI. Every package is API: the operator families
 * ({@code conv}, {@code linear}, {@code pool}, {@code elementwise}, {@code convert}, {@code nn},
 * {@code rnn}), what they share ({@code core}: the operator interfaces, builders, thread count and
 * the worker pool the quant layer also splits its work over) and the vectorized math the float
 * operators use ({@code math}, whose {@code FloatVector} signatures make the incubator module part
 * of the API). No reflection, no services of its own: operators reach kernels through the
 * {@link dev.vquant.engine.spi.KernelBackend} they are given or
 * {@link dev.vquant.engine.QuantEngine#current()}, which the engine finds.
 */
module dev.vquant.ops {
    // QTensor, FloatTensor, KernelBackend, ConvGeometry appear in the operators' signatures
    requires transitive dev.vquant.engine;
    // VectorMath's FloatVector and VectorSpecies signatures
    requires transitive jdk.incubator.vector;

    exports dev.vquant.ops.conv;
    exports dev.vquant.ops.convert;
    exports dev.vquant.ops.core;
    exports dev.vquant.ops.elementwise;
    exports dev.vquant.ops.linear;
    exports dev.vquant.ops.math;
    exports dev.vquant.ops.nn;
    exports dev.vquant.ops.pool;
    exports dev.vquant.ops.rnn;
}
