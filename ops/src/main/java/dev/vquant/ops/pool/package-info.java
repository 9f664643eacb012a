/**
 * Pooling on NHWC tensors: max, average (PyTorch's quantized integer rounding) and adaptive
 * average, quantized and float32.
 */
package dev.vquant.ops.pool;
