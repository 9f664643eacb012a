package dev.vquant.quant.nn;

import dev.vquant.quant.Tensor;

import java.util.ArrayList;
import java.util.List;

/**
 * Modules applied in order, named {@code "0"}, {@code "1"}, ... as PyTorch's {@code nn.Sequential}
 * names them (so {@code features.0.weight} loads unchanged).
 */
public final class Sequential extends Module {
    private final List<Child> steps = new ArrayList<>();

    /**
     * PyTorch's {@code nn.Sequential}: the modules run in order, registered as children {@code 0}, {@code 1}, ...
     *
     * @param modules the modules, in order
     * @throws NullPointerException when a module is null
     */
    public Sequential(Module... modules) {
        for (int i = 0; i < modules.length; i++) {
            steps.add(registerModule(Integer.toString(i), modules[i]));
        }
    }

    /** {@return the number of modules} */
    public int size() {
        return steps.size();
    }

    /**
     * The module at {@code index} now (after any fusion or conversion).
     *
     * @param index the position, from 0
     * @return the module registered there
     * @throws IndexOutOfBoundsException when {@code index} is out of range
     */
    public Module get(int index) {
        return steps.get(index).get();
    }

    @Override
    public Tensor forward(Tensor x) {
        for (int i = 0; i < steps.size(); i++) { // indexed: no iterator per call
            x = steps.get(i).forward(x);
        }
        return x;
    }
}
