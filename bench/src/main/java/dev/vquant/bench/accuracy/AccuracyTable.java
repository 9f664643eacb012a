package dev.vquant.bench.accuracy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vquant.engine.QuantEngine;
import dev.vquant.engine.spi.EngineNumerics;
import dev.vquant.quant.Tensor;
import dev.vquant.quant.models.mnist.MnistCnn;
import dev.vquant.quant.models.mnist.MnistMlp;
import dev.vquant.quant.models.mnist.MnistRecipes;
import dev.vquant.quant.models.mnist.QatFineTune;
import dev.vquant.quant.nn.Module;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The seed's MNIST accuracy table: for each model, the float top-1, then every int8 variant (static
 * PTQ per qconfig for the CNNs, QAT per qconfig for the CNNs from PyTorch's fine-tuned QAT-prepared
 * states converted by vquant, dynamic per weight scheme for the MLP) on each engine that runs
 * here, with its agreement with the float model and with PyTorch's predictions for the same
 * recipe (vquant qnnpack against PyTorch qnnpack, vquant fbgemm against PyTorch onednn, the exact
 * engines; reference is fbgemm's arithmetic). Given a training split, also vquant's own QAT
 * fine-tuning of cnn_tiny and cnn_micro per qconfig ({@link QatFineTune}, quant_eval.py's recipe):
 * rows {@code qat_vquant} (no PyTorch predictions to agree with: a different training run), and a
 * note per epoch with its time and loss.
 */
public final class AccuracyTable {
    /**
     * One evaluated split: its images and labels.
     *
     * @param name the split's name as printed in the table ({@code test-public}, a folder's split stem)
     * @param images the split's images, {@code [N, 1, 28, 28]}
     * @param labels the digit label of each image, {@code N} of them
     */
    public record Split(String name, Tensor images, int[] labels) {
    }

    /**
     * One printed row: top-1 (percent), agreement with the float model (percent), and with
     * PyTorch's predictions for the same recipe ({@code agreePyTorch} of {@code total}, when
     * {@code hasPyTorch}).
     *
     * @param model the model's name ({@code cnn_tiny}...)
     * @param scheme {@code float}, the PTQ scheme or {@code qat}
     * @param engine the vquant engine the int8 row ran on
     * @param qconfig the PyTorch qconfig the recipe follows
     * @param split the evaluated split's name
     * @param top1 top-1 accuracy, percent
     * @param agreeFloat agreement of the predictions with the float model's, percent
     * @param agreePyTorch how many predictions equal PyTorch's for the same recipe
     * @param total how many images the split has
     * @param hasPyTorch whether PyTorch's predictions exist for this row ({@code agreePyTorch} is meaningless
     *   otherwise)
     */
    public record Row(String model, String scheme, String engine, String qconfig, String split, double top1, double agreeFloat,
               int agreePyTorch, int total, boolean hasPyTorch) {

        /** {@return {@code model|scheme|engine|qconfig|split}, the key of PyTorch's predictions} */
        public String key() {
            return model + "|" + scheme + "|" + engine + "|" + qconfig + "|" + split;
        }

        /** {@return the line {@code vquant accuracy} prints} */
        public String line() {
            return key() + String.format(" top1=%.2f agree_float=%.2f agree_pytorch=%s", top1, agreeFloat,
                    hasPyTorch ? agreePyTorch + "/" + total : "n/a");
        }

        /** {@return the row under {@link #CSV_HEADER}} */
        public String csv() {
            return String.join(",", model, scheme, engine, qconfig, split, String.format("%.2f", top1),
                    String.format("%.2f", agreeFloat), hasPyTorch ? Integer.toString(agreePyTorch) : "", Integer.toString(total));
        }
    }

    /** The CSV header of {@link Row#csv()}. */
    public static final String CSV_HEADER = "model,scheme,engine,qconfig,split,top1,agree_float,agree_pytorch,total";
    private static final List<String> CNNS = List.of("cnn", "cnn_tiny", "cnn_micro");
    private static final List<String> QCONFIGS = List.of("qnnpack", "onednn", "fbgemm");
    private static final List<String> OWN_QAT_MODELS = List.of("cnn_tiny", "cnn_micro");

    private final List<Split> splits;
    private final Tensor calibration;
    private final JsonNode pytorch;
    private final List<String> engines;
    private final Split train;

    /**
     * The table over {@code splits}, static PTQ calibrated on {@code calibration}, compared with
     * {@code pytorch}'s predictions (keys {@code model|scheme|engine|qconfig|split}; null for none),
     * int8 rows on each of {@code engines}; {@code train} (null for none) adds vquant's own QAT rows.
     *
     * @param splits the splits to evaluate
     * @param calibration the images static PTQ calibrates on, {@code [N, 1, 28, 28]}
     * @param pytorch PyTorch's predictions keyed {@code model|scheme|engine|qconfig|split}, or null for none
     * @param engines the names of the vquant engines the int8 rows run on
     * @param train the split vquant's own QAT fine-tunes on, or null for no QAT rows
     */
    public AccuracyTable(List<Split> splits, Tensor calibration, JsonNode pytorch, List<String> engines, Split train) {
        this.splits = splits;
        this.calibration = calibration;
        this.pytorch = pytorch;
        this.engines = engines;
        this.train = train;
    }

    /**
     * The table on the bundled data: the test-public split, calibration digits and PyTorch's
     * predictions; {@code train} (null for none) adds vquant's own QAT rows.
     *
     * @param engines the names of the vquant engines the int8 rows run on
     * @param train the split vquant's own QAT fine-tunes on, or null for no QAT rows
     * @return the table, not yet run
     * @throws java.io.IOException if a bundled resource cannot be read
     */
    public static AccuracyTable bundled(List<String> engines, Split train) throws IOException {
        Tensor images = MnistBundle.images("test-public");
        return new AccuracyTable(List.of(new Split("test-public", images, MnistBundle.labels("test-public"))),
                MnistBundle.images("calibration"), MnistBundle.predictions(), engines, train);
    }

    /**
     * {@return how many rows {@link #run} hands over: per split, a float row per model and an int8 row per
     * recipe and engine}
     */
    public int rowCount() {
        int recipesPerCnn = 2 * QCONFIGS.size();
        int mlpRecipes = 2;
        int ownQat = train == null ? 0 : OWN_QAT_MODELS.size() * QCONFIGS.size() * engines.size();
        return splits.size() * (CNNS.size() * (1 + recipesPerCnn * engines.size()) + ownQat + 1 + mlpRecipes * engines.size());
    }

    /**
     * Computes every row, handing each to {@code sink} as soon as it is known, and progress notes
     * (vquant's QAT epochs) to {@code notes}.
     *
     * @param sink receives each row as soon as it is computed, in table order
     * @param notes receives progress notes, one line each
     */
    public void run(Consumer<Row> sink, Consumer<String> notes) {
        for (String model : CNNS) {
            MnistCnn cnn = switch (model) {
                case "cnn" -> MnistCnn.cnn();
                case "cnn_tiny" -> MnistCnn.cnnTiny();
                default -> MnistCnn.cnnMicro();
            };
            cnn.loadStateDict(MnistBundle.floatWeights(model));
            cnn.eval();
            Map<String, String> floatPredictions = floatRows(model, cnn, sink);
            for (String qc : QCONFIGS) {
                Module int8 = MnistRecipes.staticPtq(cnn, qc, calibration);
                int8Rows(model, "static_ptq", qc, int8, floatPredictions, sink);
            }
            for (String qc : QCONFIGS) {
                // PyTorch's fine-tuned QAT state, converted by vquant
                Module int8 = MnistRecipes.qatConverted(cnn, qc, MnistBundle.state(model + "_qat_" + qc + "_prepared_state"));
                int8Rows(model, "qat", qc, int8, floatPredictions, sink);
            }
            if (train != null && OWN_QAT_MODELS.contains(model)) {
                for (String qc : QCONFIGS) {
                    QatFineTune.Result r = QatFineTune.run(cnn, qc, train.images(), train.labels(), QatFineTune.Options.recipe(),
                            e -> notes.accept(String.format("%s qat_vquant %s epoch %d: %d steps, %.1f s, mean loss %.4f%s", model, qc,
                                    e.epoch(), e.steps(), e.seconds(), e.meanLoss(), e.frozen() ? " (BN and observers frozen)" : "")));
                    int8Rows(model, "qat_vquant", qc, r.int8(), floatPredictions, sink);
                }
            }
        }
        MnistMlp mlp = MnistMlp.mlp();
        mlp.loadStateDict(MnistBundle.floatWeights("mlp"));
        mlp.eval();
        Map<String, String> floatPredictions = floatRows("mlp", mlp, sink);
        for (boolean perChannel : new boolean[]{false, true}) {
            int8Rows("mlp", "dynamic", perChannel ? "qint8_per_channel" : "qint8_per_tensor", MnistRecipes.dynamic(mlp, perChannel),
                    floatPredictions, sink);
        }
    }

    private Map<String, String> floatRows(String model, Module m, Consumer<Row> sink) {
        Map<String, String> out = new LinkedHashMap<>();
        for (Split s : splits) {
            String p = MnistRecipes.predict(m, s.images());
            out.put(s.name(), p);
            sink.accept(row(model, "float", "float", "-", s, p, p, model + "|float|float|-|" + s.name()));
        }
        return out;
    }

    private void int8Rows(String model, String scheme, String qconfig, Module int8, Map<String, String> floatPredictions,
                          Consumer<Row> sink) {
        String before = QuantEngine.get();
        try {
            for (String engine : engines) {
                QuantEngine.set(engine);
                String pytorchEngine = QuantEngine.current().numerics().family() == EngineNumerics.Family.QNNPACK ? "qnnpack" : "onednn";
                for (Split s : splits) {
                    String p = MnistRecipes.predict(int8, s.images());
                    sink.accept(row(model, scheme, engine, qconfig, s, p, floatPredictions.get(s.name()),
                            model + "|" + scheme + "|" + pytorchEngine + "|" + qconfig + "|" + s.name()));
                }
            }
        } finally {
            QuantEngine.set(before);
        }
    }

    private Row row(String model, String scheme, String engine, String qconfig, Split s, String predictions, String floatPredictions,
                    String pytorchKey) {
        int n = s.labels().length;
        int correct = 0;
        int agreeFloat = 0;
        for (int i = 0; i < n; i++) {
            correct += predictions.charAt(i) - '0' == s.labels()[i] ? 1 : 0;
            agreeFloat += predictions.charAt(i) == floatPredictions.charAt(i) ? 1 : 0;
        }
        JsonNode theirs = pytorch == null ? null : pytorch.get(pytorchKey);
        int agreePyTorch = 0;
        boolean has = theirs != null && theirs.asText().length() == n;
        if (has) {
            String t = theirs.asText();
            for (int i = 0; i < n; i++) {
                agreePyTorch += predictions.charAt(i) == t.charAt(i) ? 1 : 0;
            }
        }
        return new Row(model, scheme, engine, qconfig, s.name(), 100.0 * correct / n, 100.0 * agreeFloat / n, agreePyTorch, n, has);
    }

    /**
     * {@return the names of the engines to evaluate by default: every vector engine that runs here (qnnpack,
     * fbgemm), else reference}
     */
    public static List<String> defaultEngines() {
        List<String> out = new ArrayList<>();
        for (String e : List.of("qnnpack", "fbgemm")) {
            if (QuantEngine.supported().contains(e)) {
                out.add(e);
            }
        }
        if (out.isEmpty()) {
            out.add("reference");
        }
        return out;
    }
}
