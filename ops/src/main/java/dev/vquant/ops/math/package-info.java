/**
 * Vectorized float32 transcendental functions ({@link dev.vquant.ops.math.VectorMath}: exp,
 * sigmoid, tanh, GELU) and their scalar twins ({@link dev.vquant.ops.math.ScalarMath}), equal
 * bit for bit, with documented error bounds against float64 {@code Math}. Written from range
 * reduction and series (Cody and Waite; Abramowitz and Stegun 7.1.26 for GELU's erfc), for the float
 * operators of {@code dev.vquant.ops.nn} and the LSTM's gates.
 */
package dev.vquant.ops.math;
