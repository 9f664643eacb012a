/**
 * JMH benchmarks of the kernel families (GEMM, depthwise, quantize).
 */
package dev.vquant.bench.jmh;
