package dev.vquant.bench.peers;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The shapes of {@code vquant peers}: the ratio runner's operator cases (Linear at batch 1, 8, 32
 * and 128 for 768->768, 768->3072 and 4096->4096; Conv2d 3x3 64->64 and 1x1 256->64 at 56x56;
 * depthwise 3x3 C144 at 56x56, stride 1 and 2) and dot products of length 768 and 4096.
 */
public final class PeerCases {
    private PeerCases() {
    }

    /**
     * {@return every case of {@code vquant peers}: Linear at BERT-like feature sizes and batch 1 to 128, 3x3, 1x1 and depthwise convolutions, and two dot products}
     */
    public static List<PeerShape> all() {
        List<PeerShape> cases = new ArrayList<>();
        int[][] features = {{768, 768}, {768, 3072}, {4096, 4096}};
        for (int[] kn : features) {
            for (int m : new int[] {1, 8, 32, 128}) {
                cases.add(new PeerShape.Linear(m, kn[0], kn[1]));
            }
        }
        cases.add(new PeerShape.Conv(64, 64, 56, 3, 1, 1));
        cases.add(new PeerShape.Conv(256, 64, 56, 1, 1, 1));
        cases.add(new PeerShape.Conv(144, 144, 56, 3, 1, 144));
        cases.add(new PeerShape.Conv(144, 144, 56, 3, 2, 144));
        cases.add(new PeerShape.Dot(768));
        cases.add(new PeerShape.Dot(4096));
        return cases;
    }

    /**
     * Cases whose id matches {@code regex} anywhere; all when null.
     *
     * @param regex a {@link java.util.regex.Pattern} over case ids, or null
     * @return the matching cases in {@link #all()} order
     */
    public static List<PeerShape> matching(String regex) {
        if (regex == null) {
            return all();
        }
        Pattern p = Pattern.compile(regex);
        List<PeerShape> out = new ArrayList<>();
        for (PeerShape s : all()) {
            if (p.matcher(s.id()).find()) {
                out.add(s);
            }
        }
        if (out.isEmpty()) {
            throw new IllegalArgumentException("no case id matches '" + regex + "'; ids look like linear_M1_K768_N768, "
                    + "conv3x3_Ci64_Co64_H56, dw3x3_C144_H56_s2, dot_K768");
        }
        return out;
    }
}
