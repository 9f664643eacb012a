/**
 * The {@code reference} engine: plain scalar Java written for clarity, the oracle every optimized
 * kernel is tested against bit for bit (float kernels within a summation-order tolerance).
 *
 * <p>Every class here implements one SPI family exactly as its Javadoc states, validates its
 * arguments with {@link dev.vquant.engine.spi.KernelArgs}, and takes its output rounding from the
 * one shared definition ({@link dev.vquant.engine.spi.Requantization#apply},
 * {@link dev.vquant.engine.spi.FloatOutput#apply}). Nothing here is tuned for speed.
 */
package dev.vquant.engine.reference;
