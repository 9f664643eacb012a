/**
 * The {@code vquant} command line: {@link dev.vquant.bench.Cli} and its subcommands (engines, conformance,
 * accuracy, ratios, peers, report, jmh; test runs in the launcher), each a picocli {@code @Command} whose
 * options picocli parses, documents ({@code vquant help}, {@code vquant CMD --help}) and checks.
 */
package dev.vquant.bench;
