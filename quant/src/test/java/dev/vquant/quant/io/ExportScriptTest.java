package dev.vquant.quant.io;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vquant.engine.QuantEngine;
import dev.vquant.quant.Fuser;
import dev.vquant.quant.Quantize;
import dev.vquant.quant.Tensor;
import dev.vquant.quant.nn.AdaptiveAvgPool2d;
import dev.vquant.quant.nn.Conv2d;
import dev.vquant.quant.nn.DeQuantStub;
import dev.vquant.quant.nn.Flatten;
import dev.vquant.quant.nn.Linear;
import dev.vquant.quant.nn.Module;
import dev.vquant.quant.nn.QuantStub;
import dev.vquant.quant.nn.ReLU;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * {@code tools/export_int8.py}, the script that exports a PyTorch eager-mode converted model for
 * vquant, end to end where a python3 with torch is installed (skipped, saying so, elsewhere): a
 * small model quantized by PyTorch (qnnpack), exported, loaded with {@code convertFromState} into
 * the same model written in Java, gives PyTorch's int8 output bit for bit on the qnnpack engine.
 */
class ExportScriptTest {

    /** The same network as make_model.py, with PyTorch's attribute names. */
    static final class Net extends Module {
        private final Child quant = registerModule("quant", new QuantStub());
        private final Child conv = registerModule("conv", Conv2d.builder(1, 4, 3).padding(1).build());
        private final Child relu = registerModule("relu", new ReLU());
        private final Child pool = registerModule("pool", new AdaptiveAvgPool2d(1));
        private final Child flatten = registerModule("flatten", new Flatten());
        private final Child fc = registerModule("fc", new Linear(4, 3));
        private final Child dequant = registerModule("dequant", new DeQuantStub());

        @Override
        public Tensor forward(Tensor x) {
            Tensor y = relu.forward(conv.forward(quant.forward(x)));
            return dequant.forward(fc.forward(flatten.forward(pool.forward(y))));
        }
    }

    private static String pythonWithTorch() {
        for (String candidate : List.of("python3", "/usr/bin/python3")) {
            try {
                Process p = new ProcessBuilder(candidate, "-c", "import torch").redirectErrorStream(true).start();
                p.getInputStream().readAllBytes();
                if (p.waitFor(120, TimeUnit.SECONDS) && p.exitValue() == 0) {
                    return candidate;
                }
            } catch (IOException | InterruptedException e) {
                // not this one
            }
        }
        return null;
    }

    @Test
    void pytorchExportLoadsAndComputesPyTorchsOutput(@TempDir Path tmp) throws Exception {
        String python = pythonWithTorch();
        Assumptions.assumeTrue(python != null, "no python3 with torch here: the export script is checked where one is installed");
        Path tools = Path.of("..", "tools").toAbsolutePath().normalize();
        Path harness = Path.of(ExportScriptTest.class.getResource("/export/make_model.py").toURI());
        Process p = new ProcessBuilder(python, harness.toString(), tools.toString(), tmp.toString()).redirectErrorStream(true).start();
        String log = new String(p.getInputStream().readAllBytes());
        assertEquals(0, p.waitFor(), "make_model.py failed:\n" + log);

        Net net = new Net();
        net.loadStateDict(StateDicts.load(tmp.resolve("float.safetensors")));
        net.eval();
        Fuser.fuseModules(net, List.of(List.of("conv", "relu")), true);
        Module int8 = Quantize.convertFromState(net, StateDicts.load(tmp.resolve("int8.safetensors"))).model();
        JsonNode io = new ObjectMapper().readTree(Files.readString(tmp.resolve("io.json")));
        float[] x = new float[io.get("x").size()];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) io.get("x").get(i).asDouble();
        }
        String before = QuantEngine.get();
        QuantEngine.set("qnnpack");
        try {
            float[] y = int8.forward(Tensor.of(x, 2, 1, 6, 6)).toFloatArray();
            assertEquals(io.get("y_bits").size(), y.length);
            for (int i = 0; i < y.length; i++) {
                assertEquals(io.get("y_bits").get(i).asInt(), Float.floatToRawIntBits(y[i]), "output " + i + ": " + y[i]);
            }
        } finally {
            QuantEngine.set(before);
        }
    }
}
