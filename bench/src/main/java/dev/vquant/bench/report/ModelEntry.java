package dev.vquant.bench.report;

import dev.vquant.quant.Tensor;
import dev.vquant.quant.nn.Module;

import java.util.Objects;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;

/**
 * One model of the report: how to build its float model, how to quantize it for an engine, and a
 * batch-1 input. Registered in {@link ModelRegistry}, one line each.
 *
 * @param name        the row's name; also the key of PyTorch's figures when it has some ({@code resnet50}...)
 * @param description one line: architecture, input shape, quantization scheme
 * @param quick       true when {@code vquant report --quick} measures it
 * @param model       builds the float model as trained, in eval mode (what is quantized, and the
 *                    float size)
 * @param inference   the float model to time, from the trained one, left untouched (e.g. a copy
 *                    with batch norms folded into the convolutions, as PyTorch's
 *                    optimize_for_inference does: vquant's fastest float); {@code m -> m} if none
 * @param int8        quantizes the trained model for an engine, leaving it untouched
 * @param input       builds the batch-1 input both models run on
 */
public record ModelEntry(String name, String description, boolean quick, Supplier<Module> model, UnaryOperator<Module> inference,
                         Int8Recipe int8, Supplier<Tensor> input) {

    /** How a model becomes int8 for one engine (static PTQ with the engine's qconfig, dynamic...). */
    @FunctionalInterface
    public interface Int8Recipe {
        /**
         * The int8 model of {@code trained} for {@code engine} (a vquant engine name; it is
         * also the current engine while this runs); {@code trained} itself stays as it was.
         *
         * @param trained the trained float model
         * @param engine the vquant engine's name
         * @return the int8 model
         */
        Module quantize(Module trained, String engine);
    }

    /** Checks that every part is there. */
    public ModelEntry {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(description, "description");
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(inference, "inference");
        Objects.requireNonNull(int8, "int8");
        Objects.requireNonNull(input, "input");
        if (!name.matches("[A-Za-z0-9_]+")) {
            throw new IllegalArgumentException("model name must be letters, digits and '_', got '" + name + "'");
        }
    }
}
