package dev.vquant.bench.accuracy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vquant.quant.Tensor;
import dev.vquant.quant.data.Idx;
import dev.vquant.quant.io.StateDicts;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;
import java.util.zip.GZIPInputStream;

/**
 * The MNIST data, weights and PyTorch predictions bundled in the jar
 * ({@code dev/vquant/bench/accuracy/mnist}, see its README), read from the class path.
 */
public final class MnistBundle {
    private static final String ROOT = "/dev/vquant/bench/accuracy/mnist/";

    private MnistBundle() {
    }

    static InputStream open(String name) {
        InputStream in = MnistBundle.class.getResourceAsStream(ROOT + name);
        if (in == null) {
            throw new IllegalStateException("the jar lacks its bundled MNIST resource " + name);
        }
        return in;
    }

    /**
     * The bundled images of a split ({@code calibration}, {@code test-public}) as {@code [N, 1, 28, 28]}.
     *
     * @param split the split's name
     * @return the split's images
     * @throws java.io.IOException if the resource is not a valid IDX image file
     */
    public static Tensor images(String split) throws IOException {
        try (InputStream in = open(split + "-images-idx3-ubyte")) {
            return Idx.readImages(in, "bundled " + split + " images");
        }
    }

    /**
     * The bundled labels of a split.
     *
     * @param split the split's name ({@code calibration}, {@code test-public})
     * @return the digit label of each image of the split
     * @throws java.io.IOException if the resource is not a valid IDX label file
     */
    public static int[] labels(String split) throws IOException {
        try (InputStream in = open(split + "-labels-idx1-ubyte")) {
            return Idx.readLabels(in, "bundled " + split + " labels");
        }
    }

    /** PyTorch 1.13's predictions for every recipe, keyed {@code model|scheme|engine|qconfig|split}. */
    static JsonNode predictions() throws IOException {
        try (InputStream in = open("predictions-public.json")) {
            return new ObjectMapper().readTree(in);
        }
    }

    /** The bundled 7,000 training images and labels (gzipped IDX), for {@code --qat}. */
    static AccuracyTable.Split train() throws IOException {
        try (InputStream images = new GZIPInputStream(open("train-images-idx3-ubyte.gz"));
             InputStream labels = new GZIPInputStream(open("train-labels-idx1-ubyte.gz"))) {
            return new AccuracyTable.Split("train", Idx.readImages(images, "bundled train images"),
                    Idx.readLabels(labels, "bundled train labels"));
        }
    }

    /**
     * A bundled float state dict ({@code <model>_float.safetensors}).
     *
     * @param model the model's name ({@code cnn_tiny}...)
     * @return the state dict, tensor by parameter name
     */
    public static Map<String, Tensor> floatWeights(String model) {
        return state(model + "_float");
    }

    /**
     * A bundled state dict ({@code <name>.safetensors}: float weights, or PyTorch's QAT-prepared
     * states {@code <model>_qat_<qconfig>_prepared_state}); safetensors are read from a file, so it
     * is copied out once.
     */
    static Map<String, Tensor> state(String name) {
        try (InputStream in = open(name + ".safetensors")) {
            Path tmp = Files.createTempFile("vquant-" + name, ".safetensors");
            try {
                Files.copy(in, tmp, StandardCopyOption.REPLACE_EXISTING);
                return StateDicts.load(tmp);
            } finally {
                Files.deleteIfExists(tmp);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("bundled " + name, e);
        }
    }
}
