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

    /** {@return the file stem this suite reads (the golden file {@code <fileKind>.json})} */
    String fileKind();

    /**
     * One outcome per case in {@code root.cases}, in file order.
     *
     * @param root the golden file's root node
     * @param engine the kernel backend the cases run on
     * @return the outcomes, one per case
     */
    List<Outcome> run(JsonNode root, KernelBackend engine);

    /** Checks one case; a thrown IllegalArgumentException or IllegalStateException is its failure. */
    @FunctionalInterface
    interface CaseCheck {
        /**
         * Checks case {@code c}, the {@code index}-th of its file.
         *
         * @param c the case's node
         * @param index its position in {@code root.cases}
         * @return the case's outcome
         */
        Outcome check(JsonNode c, int index);
    }

    /**
     * One outcome per case of {@code root.cases} in file order, an exception a case throws recorded as its failure.
     *
     * @param root the golden file's root node
     * @param check checks one case
     * @return the outcomes, one per case
     */
    static List<Outcome> eachCase(JsonNode root, CaseCheck check) {
        List<Outcome> outcomes = new java.util.ArrayList<>();
        JsonNode cases = root.get("cases");
        for (int i = 0; i < cases.size(); i++) {
            try {
                outcomes.add(check.check(cases.get(i), i));
            } catch (IllegalArgumentException | IllegalStateException e) {
                outcomes.add(Outcome.failed(Golden.label(cases.get(i), i), e.toString()));
            }
        }
        return outcomes;
    }
}
