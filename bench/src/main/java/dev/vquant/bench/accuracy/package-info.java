/**
 * {@code vquant accuracy}: the MNIST accuracy table (float, static PTQ, dynamic) against float and against PyTorch's predictions, from bundled or given data.
 */
package dev.vquant.bench.accuracy;
