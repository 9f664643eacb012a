package dev.vquant.quant.nn;

import java.util.ArrayList;
import java.util.List;

/**
 * What {@link Module#loadStateDict} found: keys the model has but the state dict lacks, keys the
 * state dict has but the model does not use, and entries whose shape or dtype did not match
 * (PyTorch's {@code missing_keys} / {@code unexpected_keys} and its size-mismatch errors).
 *
 * @param missingKeys    model keys absent from the state dict
 * @param unexpectedKeys state dict keys no module used
 * @param mismatches     one sentence per entry that could not be loaded, starting with its key
 */
public record LoadResult(List<String> missingKeys, List<String> unexpectedKeys, List<String> mismatches) {

    /** Copies the lists (the record is immutable). */
    public LoadResult {
        missingKeys = List.copyOf(missingKeys);
        unexpectedKeys = List.copyOf(unexpectedKeys);
        mismatches = List.copyOf(mismatches);
    }

    /** {@return true when every key matched} */
    public boolean isClean() {
        return missingKeys.isEmpty() && unexpectedKeys.isEmpty() && mismatches.isEmpty();
    }

    @Override
    public String toString() {
        List<String> parts = new ArrayList<>();
        if (!missingKeys.isEmpty()) {
            parts.add("missing keys " + missingKeys);
        }
        if (!unexpectedKeys.isEmpty()) {
            parts.add("unexpected keys " + unexpectedKeys);
        }
        if (!mismatches.isEmpty()) {
            parts.add("mismatches " + mismatches);
        }
        return parts.isEmpty() ? "all keys matched" : String.join("; ", parts);
    }

    /** Collects problems while a state dict loads (used by {@link Module#loadFromStateDict} overrides). */
    public static final class Builder {
        private final List<String> missing = new ArrayList<>();
        private final List<String> unexpected = new ArrayList<>();
        private final List<String> mismatches = new ArrayList<>();

        /** An empty builder: no problem recorded yet. */
        public Builder() {
        }

        /**
         * Records a model key the state dict lacks.
         *
         * @param key the model's key
         */
        public void missing(String key) {
            missing.add(key);
        }

        /**
         * Records a state dict key nothing used.
         *
         * @param key the state dict's key
         */
        public void unexpected(String key) {
            unexpected.add(key);
        }

        /**
         * Records an entry that could not be loaded, as a sentence starting with its key.
         *
         * @param sentence the problem, e.g. {@code "fc.weight: shape [10, 4] in the state dict, [10, 5] in the model"}
         */
        public void mismatch(String sentence) {
            mismatches.add(sentence);
        }

        LoadResult build() {
            return new LoadResult(missing, unexpected, mismatches);
        }
    }
}
