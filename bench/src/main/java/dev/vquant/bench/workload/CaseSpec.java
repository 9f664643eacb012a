package dev.vquant.bench.workload;

import dev.vquant.engine.spi.KernelBackend;

import java.util.function.Function;

/**
 * A case id and how to build its workload on an engine (built lazily: some hold 64 MiB of weights).
 *
 * @param id the case's stable id
 * @param factory builds the workload on an engine
 */
public record CaseSpec(String id, Function<KernelBackend, Workload> factory) {

    /**
     * Builds the workload, allocating its data.
     *
     * @param engine the kernel backend it runs on
     * @return the workload
     */
    public Workload build(KernelBackend engine) {
        return factory.apply(engine);
    }
}
