/**
 * The conformance runner: suites that check PyTorch's golden case files (FORMAT.md, NUMERICS.md) on every engine, counting passed, failed and skipped cases.
 */
package dev.vquant.bench.conformance;
