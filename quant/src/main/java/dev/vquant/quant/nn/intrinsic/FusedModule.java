package dev.vquant.quant.nn.intrinsic;

import dev.vquant.quant.Tensor;
import dev.vquant.quant.nn.Module;

import java.util.ArrayList;
import java.util.List;

/**
 * A sequence of modules fusion has grouped so quantization treats them as one layer, PyTorch's
 * {@code torch.nn.intrinsic._FusedModule}: children named {@code "0"}, {@code "1"}, ... (so the
 * state dict reads {@code stem1.0.0.weight} as in PyTorch), observed and converted as a unit.
 * The default forward runs the parts in order; subclasses run them fused where ops can.
 */
public abstract class FusedModule extends Module {
    private final List<Child> parts = new ArrayList<>();

    /**
     * Registers the parts after checking their types against {@code expected}.
     *
     * @param expected the class of each part, in order
     * @param modules  the parts, registered as submodules {@code 0}, {@code 1}, ...
     * @throws IllegalArgumentException when the counts differ or a module is not of its expected class
     */
    protected FusedModule(List<Class<? extends Module>> expected, Module... modules) {
        if (modules.length != expected.size()) {
            throw new IllegalArgumentException(getClass().getSimpleName() + ": expected " + expected.size() + " modules, got "
                    + modules.length);
        }
        for (int i = 0; i < modules.length; i++) {
            if (modules[i] == null || modules[i].getClass() != expected.get(i)) {
                throw new IllegalArgumentException("Incorrect types for input modules of " + getClass().getSimpleName() + ": expected "
                        + expected.stream().map(Class::getSimpleName).toList() + ", got part " + i + " = "
                        + (modules[i] == null ? "null" : modules[i].getClass().getSimpleName()));
            }
            parts.add(registerModule(Integer.toString(i), modules[i]));
        }
        train(modules[0].isTraining());
    }

    /**
     * The part at {@code index} now (after any swap).
     *
     * @param index the part's position, from 0
     * @return the module registered there
     */
    public final Module get(int index) {
        return parts.get(index).get();
    }

    /** {@return the number of parts} */
    public final int size() {
        return parts.size();
    }

    @Override
    public Tensor forward(Tensor x) {
        for (int i = 0; i < parts.size(); i++) { // indexed: no iterator per call
            x = parts.get(i).forward(x);
        }
        return x;
    }
}
