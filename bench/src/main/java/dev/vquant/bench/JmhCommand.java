package dev.vquant.bench;

import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code vquant jmh [JMH arguments]}: the JMH suite (e.g. {@code vquant jmh GemmBench -prof gc}). Every
 * argument after {@code jmh} goes to JMH unchanged ({@link Cli} makes picocli stop parsing there), so
 * {@code vquant jmh -h} is JMH's help.
 */
@Command(name = JmhCommand.NAME, description = {
        "The JMH suite: GemmBench, DepthwiseBench, QuantizeBench, OpBench, OpForwardBench, ModelsBench.",
        "Every argument is passed to JMH unchanged (e.g. vquant jmh OpBench.int8 -p engine=fbgemm -prof gc; vquant jmh -h)."})
final class JmhCommand implements Callable<Integer> {
    /** The subcommand's name. */
    static final String NAME = "jmh";

    @Parameters(paramLabel = "JMH-ARG", description = "JMH's own arguments.")
    List<String> jmhArgs = new ArrayList<>();

    @Override
    public Integer call() throws Exception {
        org.openjdk.jmh.Main.main(jmhArgs.toArray(new String[0]));
        return 0;
    }
}
