/**
 * {@code vquant report}: whole models (a registry of entries: float builder, int8 recipe per
 * engine, input) measured float vs int8 with the ratio runner's sampler, their weight sizes, the
 * MNIST accuracy table, and PyTorch's figures on this machine kind beside them; Markdown, CSV and a
 * self-contained HTML page with ECharts charts.
 */
package dev.vquant.bench.report;
