package dev.vquant.bench.conformance;

/** The result of one golden case on one engine. */
public record Outcome(String label, Status status, String detail) {

    public enum Status { PASSED, FAILED, SKIPPED }

    public static Outcome passed(String label) {
        return new Outcome(label, Status.PASSED, "");
    }

    /** Passed, with a note the report groups and prints (e.g. "within 1e-6, not bit-exact"). */
    public static Outcome passed(String label, String note) {
        return new Outcome(label, Status.PASSED, note);
    }

    public static Outcome failed(String label, String detail) {
        return new Outcome(label, Status.FAILED, detail);
    }

    /** A case this build cannot run yet; {@code reason} says what is missing. Never counts as passed. */
    public static Outcome skipped(String label, String reason) {
        return new Outcome(label, Status.SKIPPED, reason);
    }
}
