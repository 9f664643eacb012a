/**
 * The {@code vquant} command line: subcommands (test via the launcher, engines, conformance, accuracy, ratios, peers, jmh) dispatched by {@link dev.vquant.bench.Cli}.
 */
package dev.vquant.bench;
