package dev.vquant.bench.ratios;

import dev.vquant.bench.workload.KernelCases;
import dev.vquant.engine.QuantEngine;
import dev.vquant.bench.Parsed;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The options of {@code vquant ratios}, parsed without measuring anything. */
class RatioRunnerCliTest {
    private static RatioRunnerCli parse(String... args) {
        return Parsed.command(RatioRunnerCli::new, args);
    }

    @Test
    void defaultsAreEveryCaseOnTheCurrentEngineIsolatedAsATable() {
        RatioRunnerCli c = parse();
        assertFalse(c.quick || c.csv || c.mixed);
        assertEquals(List.of(QuantEngine.current()), c.engines());
        assertEquals(RatioCatalog.all().size(), c.cases().size());
    }

    @Test
    void quickAloneIsTheKernelCasesAndQuickWithCaseIsTheMatchingOnes() {
        assertEquals(KernelCases.all().stream().map(s -> s.id()).toList(), parse("--quick").cases().stream().map(s -> s.id()).toList());
        RatioRunnerCli c = parse("--quick", "--case", "^linear_M1_K768_N768_a8$", "--csv", "--mixed");
        assertTrue(c.quick && c.csv && c.mixed);
        assertEquals(List.of("linear_M1_K768_N768_a8"), c.cases().stream().map(s -> s.id()).toList());
    }

    @Test
    void engineIsRepeatable() {
        assertEquals(List.of("reference", "reference"),
                parse("--engine", "reference", "--engine=reference").engines().stream().map(e -> e.name()).toList());
    }

    @Test
    void badOptionsAreParameterErrorsNamingThem() {
        assertTrue(assertThrows(CommandLine.UnmatchedArgumentException.class, () -> parse("--fast")).getMessage().contains("'--fast'"));
        assertTrue(assertThrows(CommandLine.ParameterException.class, () -> parse("--engine", "tpu")).getMessage()
                .contains("unknown engine 'tpu'"));
        assertTrue(assertThrows(CommandLine.MissingParameterException.class, () -> parse("--engine")).getMessage()
                .contains("'--engine'"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> parse("--case", "^nope").cases()).getMessage()
                .contains("no case id matches '^nope'"));
    }
}
