package dev.vquant.bench.jmh;

import dev.vquant.bench.ratios.OpCases;
import dev.vquant.bench.workload.CaseSpec;
import dev.vquant.bench.workload.KernelCases;
import dev.vquant.bench.workload.Workload;
import dev.vquant.engine.QuantEngine;

import java.util.ArrayList;
import java.util.List;

/** Builds the workload of a case id (kernel- or operator-level) on an engine ("default" = the automatic engine). */
final class WorkloadState {
    private WorkloadState() {
    }

    static Workload build(String caseId, String engine) {
        List<CaseSpec> cases = new ArrayList<>(KernelCases.all());
        cases.addAll(OpCases.all());
        for (CaseSpec c : cases) {
            if (c.id().equals(caseId)) {
                return c.build(engine.equals("default") ? QuantEngine.current() : QuantEngine.backend(engine));
            }
        }
        throw new IllegalArgumentException("unknown case id " + caseId);
    }
}
