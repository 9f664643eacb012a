package dev.vquant.bench.jmh;

import dev.vquant.bench.workload.CaseSpec;
import dev.vquant.bench.workload.KernelCases;
import dev.vquant.bench.workload.Workload;
import dev.vquant.engine.QuantEngine;

/** Builds the workload of a case id on an engine ("default" = the automatic engine). */
final class WorkloadState {
    private WorkloadState() {
    }

    static Workload build(String caseId, String engine) {
        for (CaseSpec c : KernelCases.all()) {
            if (c.id().equals(caseId)) {
                return c.build(engine.equals("default") ? QuantEngine.current() : QuantEngine.backend(engine));
            }
        }
        throw new IllegalArgumentException("unknown case id " + caseId);
    }
}
