package dev.vquant.bench.conformance;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vquant.engine.spi.KernelBackend;

import java.util.List;

/**
 * Runs the cases of one kind of golden file (named by the file's stem, e.g.
 * {@code quantize_per_tensor}) on one engine. Implementations compare with what
 * golden/NUMERICS.md assigns to that engine and return one outcome per case.
 */
public interface CaseSuite {

    /** The file stem this suite reads. */
    String fileKind();

    /** One outcome per case in {@code root.cases}, in file order. */
    List<Outcome> run(JsonNode root, KernelBackend engine);
}
