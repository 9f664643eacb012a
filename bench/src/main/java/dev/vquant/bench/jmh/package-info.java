/**
 * JMH benchmarks of the kernel families (GEMM, depthwise, quantize), the operators (OpBench) and
 * the report's whole models (ModelsBench), float and int8 side by side.
 */
package dev.vquant.bench.jmh;
