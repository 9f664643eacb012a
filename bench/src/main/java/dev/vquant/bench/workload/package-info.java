/**
 * Benchmark workloads shared by the ratio runner and JMH: cases, data and the operators under test.
 */
package dev.vquant.bench.workload;
