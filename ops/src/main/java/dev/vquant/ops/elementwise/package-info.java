/**
 * Elementwise operators on quint8 NHWC tensors (add, mul, cat, ReLU, ReLU6, Hardswish, Sigmoid)
 * with PyTorch's arithmetic per engine (each class documents its operation order): ATen's x86
 * kernels on fbgemm and reference, PyTorch's QNNPACK operators on qnnpack where PyTorch's qnnpack
 * engine has its own (add, Hardswish, Sigmoid) and where it is correct (not ReLU6), and their
 * float32 twins. Unary ones map through 256-entry tables built per call.
 */
package dev.vquant.ops.elementwise;
