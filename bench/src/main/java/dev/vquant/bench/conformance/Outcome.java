package dev.vquant.bench.conformance;

/**
 * The result of one golden case on one engine.
 *
 * @param label the case's label
 * @param status whether it passed, failed or was skipped
 * @param detail what failed, the reason for a skip, or a pass's note (empty for none)
 */
public record Outcome(String label, Status status, String detail) {

    /** Whether a case passed. */
    public enum Status {
        /** The engine's result equals the golden one (bit-exact or within the suite's tolerance). */
        PASSED,
        /** The result differs from the golden one, or the case threw. */
        FAILED,
        /** This build cannot run the case yet; never counts as passed. */
        SKIPPED
    }

    /**
     * A plain pass, without a note.
     *
     * @param label the case's label
     * @return the outcome
     */
    public static Outcome passed(String label) {
        return new Outcome(label, Status.PASSED, "");
    }

    /**
     * Passed, with a note the report groups and prints (e.g. "within 1e-6, not bit-exact").
     *
     * @param label the case's label
     * @param note the note
     * @return the outcome
     */
    public static Outcome passed(String label, String note) {
        return new Outcome(label, Status.PASSED, note);
    }

    /**
     * A failure.
     *
     * @param label the case's label
     * @param detail what differed (expected and actual)
     * @return the outcome
     */
    public static Outcome failed(String label, String detail) {
        return new Outcome(label, Status.FAILED, detail);
    }

    /**
     * A case this build cannot run yet; {@code reason} says what is missing. Never counts as passed.
     *
     * @param label the case's label
     * @param reason what is missing
     * @return the outcome
     */
    public static Outcome skipped(String label, String reason) {
        return new Outcome(label, Status.SKIPPED, reason);
    }
}
