package dev.vquant.bench;

import java.io.PrintStream;
import java.util.List;

/** {@code vquant jmh [JMH options]}: the JMH suite (e.g. {@code vquant jmh GemmBench -prof gc}). */
final class JmhCommand implements Command {

    @Override
    public String name() {
        return "jmh";
    }

    @Override
    public String summary() {
        return "[JMH options]  the JMH suite: GemmBench, DepthwiseBench, QuantizeBench, OpBench, OpForwardBench, ModelsBench (e.g. -prof gc)";
    }

    @Override
    public int run(List<String> args, PrintStream out) throws Exception {
        org.openjdk.jmh.Main.main(args.toArray(new String[0]));
        return 0;
    }
}
