package dev.vquant.bench.ratios;

import dev.vquant.bench.workload.CaseSpec;
import dev.vquant.bench.workload.KernelCases;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/** Every case the ratio runner knows, in report order: kernel-level, then operator-level. */
final class RatioCatalog {
    private RatioCatalog() {
    }

    static List<CaseSpec> all() {
        List<CaseSpec> all = new ArrayList<>(KernelCases.all());
        all.addAll(OpCases.all());
        return all;
    }

    /** The kernel-level cases only (what {@code --quick} runs by default). */
    static List<CaseSpec> kernelCases() {
        return new ArrayList<>(KernelCases.all());
    }

    /** Cases whose id matches {@code regex} (anywhere in the id); all when null. */
    static List<CaseSpec> matching(String regex) {
        List<CaseSpec> all = all();
        if (regex == null) {
            return all;
        }
        Pattern p = Pattern.compile(regex);
        List<CaseSpec> out = new ArrayList<>();
        for (CaseSpec c : all) {
            if (p.matcher(c.id()).find()) {
                out.add(c);
            }
        }
        if (out.isEmpty()) {
            throw new IllegalArgumentException("no case id matches '" + regex + "'");
        }
        return out;
    }

    static CaseSpec byId(String id) {
        for (CaseSpec c : all()) {
            if (c.id().equals(id)) {
                return c;
            }
        }
        throw new IllegalArgumentException("unknown case id '" + id + "'");
    }
}
