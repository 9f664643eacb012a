/**
 * Pooling on NHWC tensors: max, average (PyTorch's quantized integer rounding per engine: ATen's
 * NHWC kernels on fbgemm and reference, QNNPACK's average pooling on qnnpack where PyTorch's
 * qnnpack engine runs it correctly) and adaptive average, quantized and float32; ceil_mode.
 */
package dev.vquant.ops.pool;
