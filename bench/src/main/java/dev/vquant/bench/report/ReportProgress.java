package dev.vquant.bench.report;

import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

import java.io.PrintStream;

/**
 * Console progress of a report run: a progress bar (me.tongfei:progressbar) on standard error
 * when the console is a terminal, nothing otherwise (redirected or piped output stays clean).
 */
final class ReportProgress implements AutoCloseable {
    private final ProgressBar bar;

    private ReportProgress(ProgressBar bar) {
        this.bar = bar;
    }

    /** A bar over {@code steps} steps on {@code err} when this JVM's console is a terminal; otherwise a silent one. */
    static ReportProgress start(String task, int steps, PrintStream err) {
        java.io.Console console = System.console();
        if (console == null || !console.isTerminal()) {
            return silent();
        }
        ProgressBar bar = new ProgressBarBuilder().setTaskName(task).setInitialMax(steps).setStyle(ProgressBarStyle.ASCII)
                .setConsumer(new ConsoleProgressBarConsumer(err)).setUpdateIntervalMillis(500).continuousUpdate().build();
        return new ReportProgress(bar);
    }

    /** Shows nothing. */
    static ReportProgress silent() {
        return new ReportProgress(null);
    }

    /** What is being done now. */
    void doing(String what) {
        if (bar != null) {
            bar.setExtraMessage(what);
        }
    }

    /** One step done. */
    void step() {
        if (bar != null) {
            bar.step();
        }
    }

    @Override
    public void close() {
        if (bar != null) {
            bar.close();
        }
    }
}
