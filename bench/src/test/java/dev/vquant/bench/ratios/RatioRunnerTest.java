package dev.vquant.bench.ratios;

import dev.vquant.bench.workload.CaseSpec;
import dev.vquant.bench.workload.KernelCases;
import dev.vquant.bench.workload.Workload;
import dev.vquant.engine.QuantEngine;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RatioRunnerTest {

    /** A workload that counts its runs, so the test can see both sides were interleaved. */
    private static final class CountingWorkload implements Workload {
        int floatRuns;
        int int8Runs;

        @Override
        public String id() {
            return "counting";
        }

        @Override
        public void runFloat() {
            floatRuns++;
        }

        @Override
        public void runInt8() {
            int8Runs++;
        }

        @Override
        public long checksum() {
            return floatRuns + int8Runs;
        }
    }

    @Test
    void measuresBothSidesAndReportsOneCsvRow() {
        CountingWorkload w = new CountingWorkload();
        Measurement m = new RatioRunner(true).measure(w, QuantEngine.backend("reference"));
        assertTrue(w.floatRuns > 0 && w.int8Runs > 0);
        assertTrue(m.floatMs() > 0 && m.int8Ms() > 0);
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        Report.csv(List.of(m), new PrintStream(buf, true, StandardCharsets.UTF_8));
        List<String> lines = buf.toString(StandardCharsets.UTF_8).lines().toList();
        assertEquals("case,engine,isa,threads,float_ms,int8_ms,speedup", lines.get(0));
        assertTrue(lines.get(1).matches("counting,reference,SCALAR,1,[0-9.]+,[0-9.]+,[0-9.]+"), lines.get(1));
    }

    @Test
    void throughputRowsLeaveFloatAndSpeedupEmpty() {
        Measurement m = new Measurement("quantize_N65536", "fbgemm", "V512", 1, Double.NaN, 0.01, 65536);
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        Report.csv(List.of(m), new PrintStream(buf, true, StandardCharsets.UTF_8));
        assertEquals("quantize_N65536,fbgemm,V512,1,,0.0100,", buf.toString(StandardCharsets.UTF_8).lines().toList().get(1));
        assertEquals(6.5536, m.elementsPerNs(), 1e-9);
    }

    @Test
    void childResultLinesRoundTrip() {
        Measurement m = new Measurement("gemm_M1024_K1024_N1024_a7", "fbgemm", "V256", 2, 20.5, 15.25, 0);
        assertEquals(m, Measurement.parseWire(m.wire()));
    }

    @Test
    void caseIdsAreStableAndUnique() {
        Set<String> ids = new HashSet<>();
        for (CaseSpec c : KernelCases.all()) {
            assertTrue(ids.add(c.id()), "duplicate " + c.id());
        }
        for (String id : List.of("gemm_M1024_K1024_N1024_a7", "gemm_M1024_K1024_N1024_a8", "linear_M1_K768_N768_a7",
                "linear_M128_K768_N3072_a8", "linear_M1_K4096_N4096_a7", "linear_M1_K4096_N4096_a8", "dw3x3_C144_H56_s1",
                "dw3x3_C144_H56_s2", "dw3x3_C576_H14_s1", "dw5x5_C240_H28_s1", "requantize_N65536", "quantize_N65536",
                "dequantize_N65536")) {
            assertTrue(ids.contains(id), id);
        }
    }

    @Test
    void unknownCaseFilterIsAClearError() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> RatioCatalog.matching("nope_.*"));
        assertTrue(e.getMessage().contains("no case id matches"));
    }
}
