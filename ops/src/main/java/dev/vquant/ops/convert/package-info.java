/** Quantize / DeQuantize steps, Flatten in PyTorch's element order, and NCHW/NHWC layout moves. */
package dev.vquant.ops.convert;
