package dev.vquant.quant.io;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vquant.engine.DType;
import dev.vquant.engine.QuantEngine;
import dev.vquant.quant.Fuser;
import dev.vquant.quant.Quantize;
import dev.vquant.quant.Tensor;
import dev.vquant.quant.nn.AdaptiveAvgPool2d;
import dev.vquant.quant.nn.Conv2d;
import dev.vquant.quant.nn.DeQuantStub;
import dev.vquant.quant.nn.Flatten;
import dev.vquant.quant.nn.LSTM;
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
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code tools/export_int8.py}, the script that exports a PyTorch eager-mode converted model for
 * vquant, end to end where a python3 with torch is installed (skipped, saying so, elsewhere): a
 * small model quantized by PyTorch (qnnpack), exported, loaded with {@code convertFromState} into
 * the same model written in Java, gives PyTorch's int8 output bit for bit on the qnnpack engine;
 * a dynamic quantized LSTM exported by the script loads with {@code loadStateDict} and matches
 * PyTorch within the LSTM's documented tolerance.
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

    /** Runs a harness script of the test resources with the tools folder and {@code tmp}. */
    private static void runHarness(String script, Path tmp) throws Exception {
        String python = pythonWithTorch();
        Assumptions.assumeTrue(python != null, "no python3 with torch here: the export script is checked where one is installed");
        Path tools = Path.of("..", "tools").toAbsolutePath().normalize();
        Path harness = Path.of(ExportScriptTest.class.getResource("/export/" + script).toURI());
        Process p = new ProcessBuilder(python, harness.toString(), tools.toString(), tmp.toString()).redirectErrorStream(true).start();
        String log = new String(p.getInputStream().readAllBytes());
        assertEquals(0, p.waitFor(), script + " failed:\n" + log);
    }

    /** The same network as make_lstm.py. */
    static final class LstmNet extends Module {
        private final Child lstm = registerModule("lstm", new LSTM(5, 7, 2, true, false, 1));

        @Override
        public Tensor forward(Tensor x) {
            return lstm.forward(x);
        }
    }

    /**
     * A dynamic quantized LSTM exported from PyTorch loads strictly into vquant's dynamic LSTM
     * (quantizeDynamic of the same float structure, then loadStateDict) with PyTorch's integers and
     * qparams, and gives PyTorch's output and final states on the qnnpack engine within
     * {@link #LSTM_TOLERANCE} (the gate functions round differently; the count of bit-exact floats
     * is printed).
     */
    @Test
    void pytorchDynamicLstmExportLoadsAndComputesPyTorchsOutput(@TempDir Path tmp) throws Exception {
        runHarness("make_lstm.py", tmp);
        Module dyn = Quantize.quantizeDynamic(new LstmNet(), Set.of(LSTM.class), DType.QINT8);
        Map<String, Tensor> state = StateDicts.load(tmp.resolve("lstm_int8.safetensors"));
        dyn.loadStateDict(state, true);
        assertEquals(state.keySet(), dyn.stateDict().keySet());
        for (String k : state.keySet()) {
            Tensor ours = dyn.stateDict().get(k);
            if (ours.isQuantized()) {
                assertArrayEquals(state.get(k).toQuantizedContiguous().bytes(), ours.toQuantizedContiguous().bytes(), k);
                assertEquals(state.get(k).toQuantizedContiguous().qparams(), ours.toQuantizedContiguous().qparams(), k);
            } else {
                assertArrayEquals(state.get(k).toFloatArray(), ours.toFloatArray(), k);
            }
        }
        JsonNode io = new ObjectMapper().readTree(Files.readString(tmp.resolve("lstm_io.json")));
        float[] x = input(io);
        String before = QuantEngine.get();
        QuantEngine.set("qnnpack");
        try {
            var lstm = (dev.vquant.quant.nn.quantized.dynamic.LSTM) dyn.getSubmodule("lstm");
            var out = lstm.forwardWithState(Tensor.of(x, 4, 3, 5), null, null);
            int exact = within(io.get("y_bits"), out.output().toFloatArray(), "output")
                    + within(io.get("h_bits"), out.h().toFloatArray(), "h_n") + within(io.get("c_bits"), out.c().toFloatArray(), "c_n");
            System.out.println("exported dynamic LSTM: " + exact + " of " + (io.get("y_bits").size() + 2 * io.get("h_bits").size())
                    + " floats bit-exact, the rest within " + LSTM_TOLERANCE);
        } finally {
            QuantEngine.set(before);
        }
    }

    /**
     * golden/NUMERICS.md's bound on dynamic LSTM outputs: vquant's vectorized sigmoid and tanh are
     * within a few ulps of PyTorch's C library / Sleef ones, not bit for bit.
     */
    private static final double LSTM_TOLERANCE = 1e-6;

    /** Each element within {@link #LSTM_TOLERANCE} of PyTorch's; returns how many are bit-exact. */
    private static int within(JsonNode want, float[] got, String what) {
        assertEquals(want.size(), got.length, what);
        int exact = 0;
        for (int i = 0; i < got.length; i++) {
            float w = Float.intBitsToFloat(want.get(i).asInt());
            assertTrue(Math.abs(w - got[i]) <= LSTM_TOLERANCE, what + " " + i + ": " + got[i] + ", PyTorch " + w);
            exact += Float.floatToRawIntBits(got[i]) == want.get(i).asInt() ? 1 : 0;
        }
        return exact;
    }

    /** The harness's input, {@code x} of its io file. */
    private static float[] input(JsonNode io) {
        float[] x = new float[io.get("x").size()];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) io.get("x").get(i).asDouble();
        }
        return x;
    }

    private static void assertBits(JsonNode want, float[] got, String what) {
        assertEquals(want.size(), got.length, what);
        for (int i = 0; i < got.length; i++) {
            assertEquals(want.get(i).asInt(), Float.floatToRawIntBits(got[i]), what + " " + i + ": " + got[i]);
        }
    }

    @Test
    void pytorchExportLoadsAndComputesPyTorchsOutput(@TempDir Path tmp) throws Exception {
        runHarness("make_model.py", tmp);

        Net net = new Net();
        net.loadStateDict(StateDicts.load(tmp.resolve("float.safetensors")));
        net.eval();
        Fuser.fuseModules(net, List.of(List.of("conv", "relu")), true);
        Module int8 = Quantize.convertFromState(net, StateDicts.load(tmp.resolve("int8.safetensors"))).model();
        JsonNode io = new ObjectMapper().readTree(Files.readString(tmp.resolve("io.json")));
        float[] x = input(io);
        String before = QuantEngine.get();
        QuantEngine.set("qnnpack");
        try {
            assertBits(io.get("y_bits"), int8.forward(Tensor.of(x, 2, 1, 6, 6)).toFloatArray(), "output");
        } finally {
            QuantEngine.set(before);
        }
    }
}
