/**
 * The ratio runner: float and int8 of the same case in one JVM, interleaved, medians, after JIT warm-up; one JVM per case unless mixed.
 */
package dev.vquant.bench.ratios;
