package dev.vquant.ops.fuzz;

import dev.vquant.engine.DType;
import dev.vquant.engine.FloatTensor;
import dev.vquant.engine.QParams;
import dev.vquant.engine.QTensor;
import dev.vquant.engine.testing.FuzzCase;
import dev.vquant.engine.testing.FuzzValues;
import dev.vquant.ops.rnn.Lstm;
import dev.vquant.ops.testing.Engines;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/** Bad inputs for the LSTM, dynamically quantized and float, at build time and per call. */
final class LstmCases {
    private LstmCases() {
    }

    /** Per-layer weights of an LSTM with {@code in} inputs and {@code hidden} units. */
    private record Weights(List<QTensor> qIh, List<QTensor> qHh, List<FloatTensor> fIh, List<FloatTensor> fHh,
                           List<float[]> bIh, List<float[]> bHh) {
        static Weights draw(Random r, int layers, int in, int hidden) {
            Weights w = new Weights(new ArrayList<>(), new ArrayList<>(), new ArrayList<>(), new ArrayList<>(), new ArrayList<>(),
                    new ArrayList<>());
            for (int l = 0; l < layers; l++) {
                int li = l == 0 ? in : hidden;
                w.qIh.add(Inputs.qint8(r, r.nextBoolean(), 4 * hidden, li));
                w.qHh.add(Inputs.qint8(r, r.nextBoolean(), 4 * hidden, hidden));
                w.fIh.add(Inputs.floats(r, 4 * hidden, li));
                w.fHh.add(Inputs.floats(r, 4 * hidden, hidden));
                w.bIh.add(r.nextBoolean() ? null : FuzzValues.floats(r, 4 * hidden));
                w.bHh.add(r.nextBoolean() ? null : FuzzValues.floats(r, 4 * hidden));
            }
            return w;
        }

        Lstm build(boolean quantized, boolean batchFirst) {
            return quantized ? Lstm.dynamicQuantized(qIh, qHh).bias(bIh, bHh).batchFirst(batchFirst).threads(1).engine(Engines.reference()).build()
                    : Lstm.floating(fIh, fHh).bias(bIh, bHh).batchFirst(batchFirst).threads(1).engine(Engines.reference()).build();
        }
    }

    static FuzzCase any(Random r) {
        int layers = 1 + r.nextInt(2);
        int in = 1 + r.nextInt(4);
        int hidden = 1 + r.nextInt(3);
        boolean quantized = r.nextBoolean();
        boolean batchFirst = r.nextBoolean();
        Weights w = Weights.draw(r, layers, in, hidden);
        String built = (quantized ? "dynamic " : "float ") + "LSTM(" + layers + " layers, in " + in + ", hidden " + hidden
                + (batchFirst ? ", batch first" : "") + ")";
        switch (r.nextInt(10)) {
            case 0 -> {
                int which = r.nextInt(5);
                String what = which == 0 ? "an empty weight_ih list" : "a null list #" + which;
                return FuzzCase.rejects(built + " with " + what, () -> quantized
                        ? Lstm.dynamicQuantized(which == 0 ? List.of() : which == 1 ? null : w.qIh, which == 2 ? null : w.qHh).bias(which == 3 ? null : w.bIh, which == 4 ? null : w.bHh).batchFirst(batchFirst).threads(1).engine(Engines.reference()).build()
                        : Lstm.floating(which == 0 ? List.of() : which == 1 ? null : w.fIh, which == 2 ? null : w.fHh).bias(which == 3 ? null : w.bIh, which == 4 ? null : w.bHh).batchFirst(batchFirst).threads(1).engine(Engines.reference()).build(), "LSTM", "layer");
            }
            case 1 -> {
                List<float[]> more = new ArrayList<>(w.bIh);
                more.add(null);
                return FuzzCase.rejects(built + " with " + more.size() + " bias_ih entries", () -> quantized
                        ? Lstm.dynamicQuantized(w.qIh, w.qHh).bias(more, w.bHh).batchFirst(batchFirst).threads(1).engine(Engines.reference()).build()
                        : Lstm.floating(w.fIh, w.fHh).bias(more, w.bHh).batchFirst(batchFirst).threads(1).engine(Engines.reference()).build(), "LSTM",
                        String.valueOf(more.size()));
            }
            case 2 -> {
                int l = r.nextInt(layers);
                if (quantized) {
                    List<QTensor> hh = new ArrayList<>(w.qHh);
                    hh.set(l, null);
                    return FuzzCase.rejects(built + " with weight_hh[" + l + "] = null",
                            () -> Lstm.dynamicQuantized(w.qIh, hh).bias(w.bIh, w.bHh).batchFirst(batchFirst).threads(1).engine(Engines.reference()).build(), "LSTM",
                            "layer " + l, "null");
                }
                List<FloatTensor> hh = new ArrayList<>(w.fHh);
                hh.set(l, null);
                return FuzzCase.rejects(built + " with weight_hh[" + l + "] = null",
                        () -> Lstm.floating(w.fIh, hh).bias(w.bIh, w.bHh).batchFirst(batchFirst).threads(1).engine(Engines.reference()).build(), "LSTM", "layer " + l, "null");
            }
            case 3 -> {
                // weight_hh of the wrong size for the hidden units
                int[] s = {4 * hidden + 1 + r.nextInt(3), hidden};
                List<QTensor> qhh = new ArrayList<>(w.qHh);
                qhh.set(0, Inputs.qint8(r, false, s));
                List<FloatTensor> fhh = new ArrayList<>(w.fHh);
                fhh.set(0, Inputs.floats(r, s));
                return FuzzCase.rejects(built + " with weight_hh " + Arrays.toString(s), () -> quantized
                        ? Lstm.dynamicQuantized(w.qIh, qhh).bias(w.bIh, w.bHh).batchFirst(batchFirst).threads(1).engine(Engines.reference()).build()
                        : Lstm.floating(w.fIh, fhh).bias(w.bIh, w.bHh).batchFirst(batchFirst).threads(1).engine(Engines.reference()).build(), "LSTM",
                        String.valueOf(s[0]));
            }
            case 4 -> {
                int l = r.nextInt(layers);
                List<float[]> b = new ArrayList<>(w.bHh);
                float[] bad = new float[4 * hidden];
                int i = r.nextInt(bad.length);
                bad[i] = quantized ? LinearConvCases.pickNonFinite(r) : 0f;
                if (!quantized) {
                    bad = new float[4 * hidden + 1];
                }
                b.set(l, bad);
                float[] shown = bad;
                return FuzzCase.rejects(built + " with bias_hh[" + l + "] " + Arrays.toString(shown), () -> quantized
                        ? Lstm.dynamicQuantized(w.qIh, w.qHh).bias(w.bIh, b).batchFirst(batchFirst).threads(1).engine(Engines.reference()).build()
                        : Lstm.floating(w.fIh, w.fHh).bias(w.bIh, b).batchFirst(batchFirst).threads(1).engine(Engines.reference()).build(), "LSTM", "layer " + l, "bias");
            }
            case 5 -> {
                int t = Inputs.badThreads(r);
                return FuzzCase.rejects(built + " with threads " + t, () -> quantized
                        ? Lstm.dynamicQuantized(w.qIh, w.qHh).bias(w.bIh, w.bHh).batchFirst(batchFirst).threads(t).engine(Engines.reference()).build()
                        : Lstm.floating(w.fIh, w.fHh).bias(w.bIh, w.bHh).batchFirst(batchFirst).threads(t).engine(Engines.reference()).build(), "LSTM", String.valueOf(t));
            }
            default -> {
                Lstm op = w.build(quantized, batchFirst);
                int steps = 1 + r.nextInt(3);
                int batch = 1 + r.nextInt(3);
                int[] s = batchFirst ? new int[]{batch, steps, in} : new int[]{steps, batch, in};
                FloatTensor x = Inputs.floats(r, s);
                switch (r.nextInt(7)) {
                    case 0 -> {
                        int[] bad = Inputs.otherRank(r, 3);
                        return FuzzCase.rejects(built + ".forward(" + Arrays.toString(bad) + ")",
                                () -> op.forward(Inputs.floats(r, bad), null, null, Inputs.engine(r)), "LSTM", Arrays.toString(bad));
                    }
                    case 1 -> {
                        int[] bad = s.clone();
                        bad[2] = in + 1 + r.nextInt(2);
                        return FuzzCase.rejects(built + ".forward(" + Arrays.toString(bad) + ")",
                                () -> op.forward(Inputs.floats(r, bad), null, null, Inputs.engine(r)), "LSTM", "got " + bad[2]);
                    }
                    case 2 -> {
                        int[] st = {layers, batch + 1, hidden};
                        boolean h = r.nextBoolean();
                        FloatTensor state = Inputs.floats(r, st);
                        return FuzzCase.rejects(built + ".forward(x, " + (h ? "h0 " : "c0 ") + Arrays.toString(st) + ")",
                                () -> op.forward(x, h ? state : null, h ? null : state, Inputs.engine(r)), "LSTM",
                                Arrays.toString(st));
                    }
                    case 3 -> {
                        return FuzzCase.rejects(built + ".forward(null)", () -> op.forward(null, null, null, Inputs.engine(r)), "LSTM",
                                "null");
                    }
                    case 4 -> {
                        return FuzzCase.rejects(built + ".forward(x, null engine)", () -> op.forward(x, null, null, null), "LSTM",
                                "engine");
                    }
                    default -> {
                        if (!quantized) {
                            return FuzzCase.rejects(built + ".forward(null)", () -> op.forward(null), "LSTM", "null");
                        }
                        int i = r.nextInt(x.numel());
                        x.data()[i] = r.nextBoolean() ? Float.NaN : Float.POSITIVE_INFINITY;
                        return FuzzCase.rejects(built + ".forward(x with " + x.data()[i] + " at " + i + ")",
                                () -> op.forward(x, null, null, Inputs.engine(r)), "LSTM", "layer 0", "finite");
                    }
                }
            }
        }
    }
}
