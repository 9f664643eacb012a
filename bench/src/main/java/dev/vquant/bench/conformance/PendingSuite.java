package dev.vquant.bench.conformance;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vquant.engine.spi.KernelBackend;

import java.util.ArrayList;
import java.util.List;

/** A file kind whose feature is not built yet: every case is skipped with the reason. */
record PendingSuite(String fileKind, String reason) implements CaseSuite {

    @Override
    public List<Outcome> run(JsonNode root, KernelBackend engine) {
        List<Outcome> outcomes = new ArrayList<>();
        JsonNode cases = root.path("cases");
        for (int i = 0; i < cases.size(); i++) {
            outcomes.add(Outcome.skipped(Golden.label(cases.get(i), i), reason));
        }
        return outcomes;
    }
}
