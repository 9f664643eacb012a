package dev.vquant.bench.workload;

import dev.vquant.engine.spi.KernelBackend;

import java.util.function.Function;

/** A case id and how to build its workload on an engine (built lazily: some hold 64 MiB of weights). */
public record CaseSpec(String id, Function<KernelBackend, Workload> factory) {

    public Workload build(KernelBackend engine) {
        return factory.apply(engine);
    }
}
