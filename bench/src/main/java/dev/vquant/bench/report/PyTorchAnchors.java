package dev.vquant.bench.report;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * What PyTorch measured for whole models on this machine kind (single thread, batch 1), shipped
 * as data ({@code pytorch-anchors.json} beside this class, copied from the project's
 * {@code ../shared/anchors/models/RESULTS.md}; each row says where it came from), for the report's
 * "vquant / PyTorch" columns.
 */
public final class PyTorchAnchors {
    /** The bundled figures' resource name, beside this class. */
    static final String RESOURCE = "pytorch-anchors.json";

    /**
     * One PyTorch measurement: a model on one PyTorch version and quantized engine.
     *
     * @param model    the model's key, as in the report's registry ({@code resnet50}, {@code bert_layer_s128}...)
     * @param torch    PyTorch's version
     * @param engine   PyTorch's quantized engine, lower case ({@code fbgemm}, {@code x86}, {@code qnnpack}, {@code onednn})
     * @param threads  PyTorch's thread count ({@code torch.set_num_threads})
     * @param batch    the input's batch size
     * @param floatMs  the float baseline of that run
     * @param int8Ms   the int8 model on that engine
     * @param floatHow how the float model was run
     * @param int8How  how the int8 model was produced and run
     * @param source   where the figure comes from
     */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Anchor(@JsonProperty(value = "model", required = true) String model,
                         @JsonProperty(value = "torch", required = true) String torch,
                         @JsonProperty(value = "engine", required = true) String engine,
                         @JsonProperty(value = "threads", required = true) int threads,
                         @JsonProperty(value = "batch", required = true) int batch,
                         @JsonProperty(value = "float_ms", required = true) double floatMs,
                         @JsonProperty(value = "int8_ms", required = true) double int8Ms,
                         @JsonProperty("float_how") String floatHow,
                         @JsonProperty("int8_how") String int8How,
                         @JsonProperty(value = "source", required = true) String source) {

        /** Checks the figures: positive times, a model, an engine and a source. */
        public Anchor {
            Objects.requireNonNull(model, "model");
            Objects.requireNonNull(engine, "engine");
            Objects.requireNonNull(source, "source");
            if (!(floatMs > 0) || !(int8Ms > 0)) {
                throw new IllegalArgumentException("PyTorch anchor " + model + " " + torch + " " + engine
                        + ": times must be positive, got float " + floatMs + " ms, int8 " + int8Ms + " ms");
            }
            engine = engine.toLowerCase(Locale.ROOT);
        }

        /** {@return the figure's label, e.g. "PyTorch 2.10 fbgemm"} */
        public String label() {
            return "PyTorch " + torch + " " + engine;
        }
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    private record Document(@JsonProperty(value = "rows", required = true) List<Anchor> rows) {
    }

    private final List<Anchor> rows;

    /**
     * The given rows.
     *
     * @param rows the anchors, in the order {@link #rows()} gives them
     */
    public PyTorchAnchors(List<Anchor> rows) {
        this.rows = List.copyOf(rows);
    }

    /**
     * The bundled figures.
     *
     * @return the anchors bundled in the jar
     * @throws IllegalStateException when the jar lacks the resource
     * @throws java.io.UncheckedIOException when it cannot be read or is not a valid document
     */
    public static PyTorchAnchors bundled() {
        try (InputStream in = PyTorchAnchors.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("the jar lacks its bundled " + RESOURCE);
            }
            return parse(in, "bundled " + RESOURCE);
        } catch (IOException e) {
            throw new UncheckedIOException("reading the bundled " + RESOURCE, e);
        }
    }

    /**
     * Reads a document {@code {"rows": [{"model", "torch", "engine", "float_ms", "int8_ms", "source", ...}]}}.
     *
     * @param in the document
     * @param what the document's name, for messages
     * @return the anchors
     * @throws IOException naming {@code what} when it is not such a document
     */
    public static PyTorchAnchors parse(InputStream in, String what) throws IOException {
        ObjectMapper json = new ObjectMapper().enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES);
        try {
            return new PyTorchAnchors(json.readValue(in, Document.class).rows());
        } catch (IOException | IllegalArgumentException | NullPointerException e) {
            throw new IOException(what + ": not a PyTorch anchors document: " + e.getMessage(), e);
        }
    }

    /** {@return every row, in file order} */
    public List<Anchor> rows() {
        return rows;
    }

    /**
     * The figure to set beside vquant's int8 time on {@code vquantEngine}: PyTorch's same engine
     * family in its newest version (vquant fbgemm: PyTorch's {@code fbgemm}; vquant qnnpack:
     * PyTorch's {@code qnnpack}); empty for a model or engine PyTorch was not measured on.
     *
     * @param model the registry name of the model
     * @param vquantEngine the vquant engine's name
     * @return the anchor, or empty
     */
    public Optional<Anchor> int8Peer(String model, String vquantEngine) {
        Anchor best = null;
        for (Anchor a : rows) {
            if (a.model().equals(model) && a.engine().equals(vquantEngine)
                    && (best == null || compareVersions(a.torch(), best.torch()) > 0)) {
                best = a;
            }
        }
        return Optional.ofNullable(best);
    }

    /**
     * PyTorch's fastest float time for {@code model} over every row (the honest float baseline).
     *
     * @param model the registry name of the model
     * @return the anchor with the lowest float time, or empty when the model was not measured
     */
    public Optional<Anchor> bestFloat(String model) {
        Anchor best = null;
        for (Anchor a : rows) {
            if (a.model().equals(model) && (best == null || a.floatMs() < best.floatMs())) {
                best = a;
            }
        }
        return Optional.ofNullable(best);
    }

    private static int compareVersions(String a, String b) {
        String[] x = a.split("\\.");
        String[] y = b.split("\\.");
        for (int i = 0; i < Math.max(x.length, y.length); i++) {
            int c = Integer.compare(i < x.length ? parseOrZero(x[i]) : 0, i < y.length ? parseOrZero(y[i]) : 0);
            if (c != 0) {
                return c;
            }
        }
        return 0;
    }

    private static int parseOrZero(String s) {
        try {
            return Integer.parseInt(s);
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}
