package dev.vquant.quant.models.vision;

import dev.vquant.quant.QConfig;
import dev.vquant.quant.Quantize;
import dev.vquant.quant.Tensor;
import dev.vquant.quant.nn.BatchNorm2d;
import dev.vquant.quant.nn.Module;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SplittableRandom;

/**
 * Static int8 quantization of a {@link QuantizableModel} calibrated on seeded synthetic images,
 * so a model with seeded weights can be quantized and measured without downloading a data set:
 * the images are standard-normal pixels, what ImageNet images look like after torchvision's
 * normalisation (per channel mean 0, deviation 1). The int8 model's accuracy means nothing then;
 * its speed and size are what it is for.
 *
 * <p>A freshly initialised model's batch norms hold the default running statistics (mean 0,
 * variance 1), so in eval mode nothing normalises the activations: through MobileNetV2's 50-odd
 * layers they shrink to about 1e-10 and its int8 logits round to zero. {@link #fitBatchNormStatistics}
 * gives every batch norm the statistics of its input on synthetic images first, the scale a trained
 * network's activations have; the example below is what the tests and the latency harness run.
 *
 * <pre>{@code
 * MobileNetV2 model = MobileNetV2.mobilenetV2(1000, 1.0, 42);
 * SyntheticCalibration.fitBatchNormStatistics(model, SyntheticCalibration.images(7, 4, 224));
 * model.eval();
 * QuantEngine.set("fbgemm");
 * Module int8 = SyntheticCalibration.quantizeStatic(model, "fbgemm", 2, 224, 1);
 * }</pre>
 */
public final class SyntheticCalibration {

    private SyntheticCalibration() {
    }

    /**
     * {@code count} images {@code [1, 3, size, size]} of standard-normal pixels from {@code seed}
     * (same seed, same images).
     *
     * @param seed  seed of the pixels
     * @param count the number of images
     * @param size  their height and width
     * @return {@code count} new float32 tensors
     * @throws IllegalArgumentException when count or size is not positive
     */
    public static List<Tensor> images(long seed, int count, int size) {
        if (count <= 0 || size <= 0) {
            throw new IllegalArgumentException("synthetic images: count and size must be > 0, got count " + count
                    + " and size " + size);
        }
        SplittableRandom random = new SplittableRandom(seed);
        List<Tensor> out = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            float[] pixels = new float[3 * size * size];
            for (int j = 0; j < pixels.length; j++) {
                pixels[j] = (float) random.nextGaussian();
            }
            out.add(Tensor.of(pixels, 1, 3, size, size));
        }
        return out;
    }

    /**
     * The eager-mode post-training flow torchvision's {@code quantize_model} runs, on a copy of
     * {@code model} (left untouched): eval mode, {@code fuse_model()}, the qconfig on the root,
     * {@link Quantize#prepare}, one forward per calibration batch, {@link Quantize#convert}.
     * The int8 model runs on whichever engine is current when it is called
     * ({@code QuantEngine.set}); pick the qconfig for that engine ({@link QConfig#defaultFor}).
     *
     * @param <M>         a torchvision-style model that knows its fusion groups
     * @param model       the float model; not modified
     * @param qconfig     the qconfig set on the copy's root
     * @param calibration the input batches {@code [N, C, H, W]} of the calibration forwards
     * @return the converted int8 copy
     * @throws IllegalArgumentException when {@code calibration} is empty
     */
    public static <M extends Module & QuantizableModel> Module quantizeStatic(M model, QConfig qconfig, List<Tensor> calibration) {
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(qconfig, "qconfig");
        Objects.requireNonNull(calibration, "calibration");
        if (calibration.isEmpty()) {
            throw new IllegalArgumentException("quantizeStatic: no calibration batches (observers would have seen no data)");
        }
        Module copy = model.deepCopy();
        copy.eval();
        ((QuantizableModel) copy).fuseModel();
        copy.setQConfig(qconfig);
        Module prepared = Quantize.prepare(copy, true);
        for (Tensor batch : calibration) {
            prepared.forward(batch);
        }
        return Quantize.convertWithReport(prepared, true).model();
    }

    /**
     * {@link #quantizeStatic(Module, QConfig, List)} with {@link QConfig#defaultFor}{@code (engine)}
     * and {@code batches} synthetic images {@code [1, 3, size, size]} from {@code seed}.
     *
     * @param <M>     a torchvision-style model that knows its fusion groups
     * @param model   the float model; not modified
     * @param engine  the engine whose default qconfig is used ({@code fbgemm}, {@code x86}, {@code qnnpack}, {@code onednn})
     * @param batches the number of one-image calibration batches
     * @param size    the images' height and width
     * @param seed    seed of the calibration images
     * @return the converted int8 copy
     * @throws IllegalArgumentException for an engine without a default qconfig, or a non-positive
     *                                  batch count or size
     */
    public static <M extends Module & QuantizableModel> Module quantizeStatic(M model, String engine, int batches, int size,
                                                                             long seed) {
        return quantizeStatic(model, QConfig.defaultFor(engine), images(seed, batches, size));
    }

    /**
     * Sets every BatchNorm2d's running mean and variance to the statistics of its input over
     * {@code images} (one training-mode forward of the images as one batch, each batch norm
     * averaging exactly that batch as PyTorch's {@code momentum=None} does; the unbiased variance),
     * and {@code num_batches_tracked} to 1. Weights, biases, momentum and the model's mode are left
     * as they were.
     *
     * @param model  the model whose batch norms are updated in place
     * @param images {@code [n, C, H, W]} tensors of one shape, at least two samples in all (a batch
     *               norm needs more than one value per channel)
     * @throws IllegalArgumentException when images is empty, the shapes differ, or there is only one sample
     */
    public static void fitBatchNormStatistics(Module model, List<Tensor> images) {
        Objects.requireNonNull(model, "model");
        Tensor batch = concat(Objects.requireNonNull(images, "images"));
        Map<String, BatchNorm2d> originals = new LinkedHashMap<>();
        Map<String, BatchNorm2d> averaging = new LinkedHashMap<>();
        model.namedModules().forEach((name, m) -> {
            if (m instanceof BatchNorm2d bn) {
                originals.put(name, bn);
            }
        });
        originals.forEach((name, bn) -> {
            BatchNorm2d avg = new BatchNorm2d(bn.numFeatures(), bn.eps(), null, bn.isAffine(), true);
            if (bn.isAffine()) {
                avg.weight().copyFrom(bn.weight().data());
                avg.bias().copyFrom(bn.bias().data());
            }
            averaging.put(name, avg);
            model.setSubmodule(name, avg);
        });
        boolean training = model.isTraining();
        try {
            model.train(true);
            model.forward(batch);
        } finally {
            model.train(training);
            originals.forEach((name, bn) -> {
                BatchNorm2d avg = averaging.get(name);
                if (bn.tracksRunningStats() && avg.numBatchesTracked().data()[0] > 0) {
                    bn.runningMean().copyFrom(avg.runningMean().data());
                    bn.runningVar().copyFrom(avg.runningVar().data());
                    bn.numBatchesTracked().copyFrom(new float[] {1f});
                }
                model.setSubmodule(name, bn);
            });
        }
    }

    private static Tensor concat(List<Tensor> images) {
        if (images.isEmpty()) {
            throw new IllegalArgumentException("fitBatchNormStatistics: no images");
        }
        int[] shape = images.get(0).shape().clone();
        int per = images.get(0).numel();
        float[] all = new float[per * images.size()];
        int n = 0;
        for (int i = 0; i < images.size(); i++) {
            Tensor t = images.get(i);
            if (t.rank() != 4 || !Arrays.equals(Arrays.copyOfRange(t.shape(), 1, 4), Arrays.copyOfRange(shape, 1, 4))
                    || t.numel() != per) {
                throw new IllegalArgumentException("fitBatchNormStatistics: images must share one [n, C, H, W] shape, got "
                        + Arrays.toString(shape) + " and " + Arrays.toString(t.shape()));
            }
            System.arraycopy(t.toFloatArray(), 0, all, i * per, per);
            n += t.dim(0);
        }
        if (n < 2) {
            throw new IllegalArgumentException("fitBatchNormStatistics: need at least two samples, got " + n);
        }
        shape[0] = n;
        return Tensor.of(all, shape);
    }
}
