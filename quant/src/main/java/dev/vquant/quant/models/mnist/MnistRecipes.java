package dev.vquant.quant.models.mnist;

import dev.vquant.engine.DType;
import dev.vquant.quant.QConfig;
import dev.vquant.quant.Quantize;
import dev.vquant.quant.Tensor;
import dev.vquant.quant.nn.Linear;
import dev.vquant.quant.nn.Module;

import java.util.Arrays;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The quantization recipes of the MNIST anchors (../shared/mnist/README.md), written once for the
 * tests and {@code vquant accuracy}: static PTQ (eval, fuse, PyTorch's default qconfig, calibration
 * on the calibration images in batches of 100 in file order, convert) and dynamic quantization of
 * the MLP's Linear layers; convert after QAT from a QAT-prepared state; plus top-1 prediction.
 */
public final class MnistRecipes {
    /** Calibration batch size of the recipe (HistogramObserver depends on the batching). */
    public static final int CALIBRATION_BATCH = 100;

    private MnistRecipes() {
    }

    /**
     * Static post-training quantization of a float CNN (left untouched) with
     * {@code QConfig.defaultFor(qconfig)}, calibrated on {@code calibration} ({@code [N, 1, 28, 28]})
     * in batches of {@value #CALIBRATION_BATCH} in order.
     *
     * @param floatModel  the trained float CNN; not modified
     * @param qconfig     the engine whose default qconfig is used ({@code fbgemm}, {@code x86}, {@code qnnpack}, {@code onednn})
     * @param calibration the calibration images {@code [N, 1, 28, 28]}
     * @return the converted int8 model
     * @throws IllegalArgumentException for an engine without a default qconfig
     */
    public static Module staticPtq(MnistCnn floatModel, String qconfig, Tensor calibration) {
        return Quantize.convert(staticPtqCalibrated(floatModel, qconfig, calibration));
    }

    /**
     * The prepared and calibrated model of {@link #staticPtq} before convert (its observers hold
     * what calibration saw).
     *
     * @param floatModel  the trained float CNN; not modified
     * @param qconfig     the engine whose default qconfig is used
     * @param calibration the calibration images {@code [N, 1, 28, 28]}
     * @return the prepared, calibrated copy
     */
    public static Module staticPtqCalibrated(MnistCnn floatModel, String qconfig, Tensor calibration) {
        Objects.requireNonNull(floatModel, "floatModel");
        MnistCnn m = (MnistCnn) floatModel.deepCopy();
        m.eval();
        m.fuseModel();
        m.setQConfig(QConfig.defaultFor(qconfig));
        Module prepared = Quantize.prepare(m, true);
        int n = calibration.dim(0);
        for (int from = 0; from < n; from += CALIBRATION_BATCH) {
            prepared.forward(slice(calibration, from, Math.min(n, from + CALIBRATION_BATCH)));
        }
        return prepared;
    }

    /**
     * The QAT-prepared CNN of the recipe (a copy of {@code model}: training mode, QAT fusion,
     * {@code QConfig.defaultQatFor(qconfig)}, {@link Quantize#prepareQat}), whose state dict has
     * the names of PyTorch's QAT-prepared state dicts.
     *
     * @param model   the float CNN; not modified
     * @param qconfig the engine whose default QAT qconfig is used
     * @return the QAT-prepared copy, in training mode
     */
    public static Module qatPrepared(MnistCnn model, String qconfig) {
        Objects.requireNonNull(model, "model");
        MnistCnn m = (MnistCnn) model.deepCopy();
        m.train();
        m.fuseModel();
        m.setQConfig(QConfig.defaultQatFor(qconfig));
        return Quantize.prepareQat(m, true);
    }

    /**
     * The int8 model of a QAT-trained state ({@code <model>_qat_<qconfig>_prepared_state}, e.g.
     * PyTorch's after fine-tuning): {@link #qatPrepared}, the state loaded strictly, eval, convert.
     *
     * @param model         the float CNN whose structure the state was trained from; not modified
     * @param qconfig       the engine whose default QAT qconfig is used
     * @param preparedState the QAT-prepared model's state dict
     * @return the converted int8 model
     * @throws IllegalArgumentException when the state does not match the prepared model (names every key)
     */
    public static Module qatConverted(MnistCnn model, String qconfig, Map<String, Tensor> preparedState) {
        Module prepared = qatPrepared(model, qconfig);
        prepared.loadStateDict(preparedState, true);
        prepared.eval();
        return Quantize.convertWithReport(prepared, true).model();
    }

    /**
     * Dynamic quantization of the MLP's Linear layers, per tensor or per channel qint8 weights.
     *
     * @param floatModel the trained MLP; not modified
     * @param perChannel per-channel rather than per-tensor weights
     * @return the dynamically quantized copy
     */
    public static Module dynamic(MnistMlp floatModel, boolean perChannel) {
        return Quantize.quantizeDynamic(floatModel, Set.of(Linear.class), DType.QINT8,
                perChannel ? QConfig.perChannelDynamic() : QConfig.defaultDynamic());
    }

    /**
     * Images {@code [from, to)} of an {@code [N, C, H, W]} batch (a copy).
     *
     * @param images a float batch {@code [N, C, H, W]}
     * @param from   the first image, inclusive
     * @param to     the last image, exclusive
     * @return a new contiguous tensor {@code [to - from, C, H, W]}
     * @throws IllegalArgumentException when {@code [from, to)} is not a range within {@code [0, N]}
     */
    public static Tensor slice(Tensor images, int from, int to) {
        int[] shape = images.shape();
        if (from < 0 || to > shape[0] || from > to) {
            throw new IllegalArgumentException("slice [" + from + ", " + to + ") of a batch of " + shape[0]);
        }
        int per = images.numel() / Math.max(1, shape[0]);
        shape[0] = to - from;
        return Tensor.of(Arrays.copyOfRange(images.toFloatArray(), from * per, to * per), shape);
    }

    /**
     * The top-1 class of every image (first maximum on ties), in batches of 500: one digit per image.
     *
     * @param model  a model with 10 output logits per image
     * @param images the input batch {@code [N, ...]}
     * @return {@code N} characters {@code '0'..'9'}
     */
    public static String predict(Module model, Tensor images) {
        StringBuilder sb = new StringBuilder();
        int n = images.dim(0);
        for (int from = 0; from < n; from += 500) {
            float[] logits = model.forward(slice(images, from, Math.min(n, from + 500))).toFloatArray();
            int classes = 10;
            for (int i = 0; i < logits.length / classes; i++) {
                int best = 0;
                for (int c = 1; c < classes; c++) {
                    if (logits[i * classes + c] > logits[i * classes + best]) {
                        best = c;
                    }
                }
                sb.append(best);
            }
        }
        return sb.toString();
    }
}
