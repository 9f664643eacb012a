package dev.vquant.demo;

import dev.vquant.engine.DType;
import dev.vquant.engine.QuantEngine;
import dev.vquant.quant.Quantize;
import dev.vquant.quant.Tensor;
import dev.vquant.quant.nn.Linear;
import dev.vquant.quant.nn.Module;
import dev.vquant.quant.nn.ReLU;
import dev.vquant.quant.nn.Sequential;

import java.util.Arrays;
import java.util.Set;

/** Quantizes a small MLP dynamically on every engine this machine runs and prints its outputs. */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        System.out.print(run());
    }

    /** One line with the installed engines, then one line per supported engine. */
    public static String run() {
        StringBuilder out = new StringBuilder("installed " + QuantEngine.installed().stream().map(b -> b.name()).sorted().toList() + "\n");
        Module mlp = new Sequential(new Linear(8, 6, true, 11), new ReLU(), new Linear(6, 3, true, 12));
        mlp.eval();
        Tensor x = Tensor.of(new float[] {0.5f, -1f, 0.25f, 2f, -0.75f, 1.5f, 0f, -2f,
                                          1f, 1f, -1f, 0.5f, 0.25f, -0.5f, 3f, -1.25f}, 2, 8);
        for (String engine : QuantEngine.supported().stream().sorted().toList()) {
            QuantEngine.set(engine);
            Module int8 = Quantize.quantizeDynamic(mlp.deepCopy(), Set.of(Linear.class), DType.QINT8);
            out.append(engine).append(' ').append(Arrays.toString(int8.forward(x).toFloatArray())).append('\n');
        }
        return out.toString();
    }
}
