/**
 * {@code vquant peers}: the same int8 workloads on vquant and on other engines (ONNX Runtime,
 * Lucene's vector utilities, optionally PyTorch), with agreement checks on the outputs and speed
 * ratios measured in one JVM, interleaved.
 */
package dev.vquant.bench.peers;
