package dev.vquant.bench.report;

import dev.vquant.quant.Tensor;
import dev.vquant.quant.nn.Module;

import java.util.Objects;
import java.util.function.Supplier;

/**
 * One model of the report: how to build its float model, how to quantize it for an engine, and a
 * batch-1 input. Registered in {@link ModelRegistry}, one line each.
 *
 * @param name        the row's name; also the key of PyTorch's figures when it has some ({@code resnet50}...)
 * @param description one line: architecture, input shape, quantization scheme
 * @param quick       true when {@code vquant report --quick} measures it
 * @param floatModel  builds the float model in eval mode, ready to run (the float baseline: e.g. BN
 *                    folded, as PyTorch's optimize_for_inference does)
 * @param int8        quantizes the float model for an engine (must leave the float model untouched)
 * @param input       builds the batch-1 input both models run on
 */
public record ModelEntry(String name, String description, boolean quick, Supplier<Module> floatModel, Int8Recipe int8,
                         Supplier<Tensor> input) {

    /** How a model becomes int8 for one engine (static PTQ with the engine's qconfig, dynamic...). */
    @FunctionalInterface
    public interface Int8Recipe {
        /**
         * The int8 model of {@code floatModel} for {@code engine} (a vquant engine name; it is
         * also the current engine while this runs); {@code floatModel} itself stays as it was.
         */
        Module quantize(Module floatModel, String engine);
    }

    /** Checks that every part is there. */
    public ModelEntry {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(description, "description");
        Objects.requireNonNull(floatModel, "floatModel");
        Objects.requireNonNull(int8, "int8");
        Objects.requireNonNull(input, "input");
        if (!name.matches("[A-Za-z0-9_]+")) {
            throw new IllegalArgumentException("model name must be letters, digits and '_', got '" + name + "'");
        }
    }
}
