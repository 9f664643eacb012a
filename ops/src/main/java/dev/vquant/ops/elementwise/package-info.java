/**
 * Elementwise operators on quint8 NHWC tensors (add, mul, cat, ReLU, ReLU6, Hardswish, Sigmoid)
 * with PyTorch's x86 CPU arithmetic (each class documents its float32 operation order), and their
 * float32 twins. Unary ones map through a 256-entry table built per call.
 */
package dev.vquant.ops.elementwise;
