package dev.vquant.quant.nn;

import dev.vquant.quant.Tensor;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Module bookkeeping: names, state dicts, load reports, swapping children, train/eval. */
class ModuleTest {

    /** y = x * scale + shift, elementwise; a buffer counts calls. */
    static final class Affine extends Module {
        final Parameter scale = registerParameter("scale", Parameter.of(new float[]{2f}, 1));
        final Parameter shift;
        final Parameter calls = registerBuffer("calls", Parameter.buffer(new float[1], 1));

        Affine(boolean withShift) {
            shift = registerParameter("shift", withShift ? Parameter.of(new float[]{1f}, 1) : null);
        }

        @Override
        public Tensor forward(Tensor x) {
            float[] in = x.toFloatArray();
            float[] out = new float[in.length];
            for (int i = 0; i < in.length; i++) {
                out[i] = in[i] * scale.data()[0] + (shift == null ? 0f : shift.data()[0]);
            }
            calls.data()[0]++;
            return Tensor.of(out, x.shape());
        }
    }

    static final class Net extends Module {
        final Child body = registerModule("body", new Sequential(new Affine(true), new Affine(false)));
        final Child head = registerModule("head", new Affine(true));

        @Override
        public Tensor forward(Tensor x) {
            return head.forward(body.forward(x));
        }
    }

    @Test
    void namesFollowPyTorch() {
        Net net = new Net();
        assertEquals(List.of("", "body", "body.0", "body.1", "head"), List.copyOf(net.namedModules().keySet()));
        assertEquals(List.of("body.0.scale", "body.0.shift", "body.1.scale", "head.scale", "head.shift"),
                List.copyOf(net.namedParameters().keySet()));
        assertEquals(List.of("body.0.scale", "body.0.shift", "body.0.calls", "body.1.scale", "body.1.calls", "head.scale",
                "head.shift", "head.calls"), List.copyOf(net.stateDict().keySet()));
        assertEquals(List.of("body.0.calls", "body.1.calls", "head.calls"), List.copyOf(net.namedBuffers().keySet()));
    }

    @Test
    void forwardAndStateRoundTrip() {
        Net net = new Net();
        // ((x*2+1)*2)*2+1
        assertArrayEquals(new float[]{5f, 13f}, net.forward(Tensor.of(new float[]{0f, 1f}, 2)).toFloatArray());
        Map<String, Tensor> state = new LinkedHashMap<>(net.stateDict());
        state.put("head.shift", Tensor.of(new float[]{-1f}, 1));
        Net other = new Net();
        assertTrue(other.loadStateDict(state).isClean());
        assertArrayEquals(new float[]{3f, 11f}, other.forward(Tensor.of(new float[]{0f, 1f}, 2)).toFloatArray());
        assertEquals(2f, other.stateDict().get("head.calls").toFloatArray()[0], "1 call loaded from net, 1 of its own");
    }

    @Test
    void loadReportsEveryProblemByName() {
        Net net = new Net();
        Map<String, Tensor> state = new LinkedHashMap<>(new Net().stateDict());
        state.remove("body.1.scale");
        state.put("head.bias", Tensor.of(new float[]{0f}, 1));
        state.put("head.scale", Tensor.of(new float[]{1f, 2f}, 2));
        LoadResult r = net.loadStateDict(state, false);
        assertEquals(List.of("body.1.scale"), r.missingKeys());
        assertEquals(List.of("head.bias"), r.unexpectedKeys());
        assertEquals(1, r.mismatches().size());
        assertTrue(r.mismatches().get(0).startsWith("head.scale: shape [2]"), r.mismatches().toString());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> net.loadStateDict(state));
        assertTrue(e.getMessage().contains("missing keys [body.1.scale]") && e.getMessage().contains("unexpected keys [head.bias]"),
                e.getMessage());
    }

    @Test
    void swappedChildIsWhatForwardCalls() {
        Net net = new Net();
        Module old = net.getSubmodule("body.1");
        Affine replacement = new Affine(true);
        net.setSubmodule("body.1", replacement);
        assertSame(replacement, net.getSubmodule("body.1"));
        assertSame(replacement, ((Sequential) net.getSubmodule("body")).get(1));
        net.forward(Tensor.of(new float[]{0f}, 1));
        assertEquals(1f, replacement.calls.data()[0]);
        assertEquals(0f, ((Affine) old).calls.data()[0]);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> net.getSubmodule("body.7"));
        assertTrue(e.getMessage().contains("'7'") && e.getMessage().contains("[0, 1]"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> net.setSubmodule("nope", replacement));
    }

    @Test
    void trainAndEvalReachEveryModule() {
        Net net = new Net();
        assertTrue(net.getSubmodule("body.0").isTraining());
        net.eval();
        for (Module m : net.namedModules().values()) {
            assertFalse(m.isTraining());
        }
    }

    @Test
    void badRegistrationsAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> new Module() {
            {
                registerModule("a.b", new Sequential());
            }

            @Override
            public Tensor forward(Tensor x) {
                return x;
            }
        });
        assertThrows(IllegalArgumentException.class, () -> new Module() {
            {
                registerParameter("w", Parameter.zeros(1));
                registerBuffer("w", Parameter.buffer(new float[1], 1));
            }

            @Override
            public Tensor forward(Tensor x) {
                return x;
            }
        });
    }

    @Test
    void tensorLayouts() {
        float[] nchw = new float[2 * 3 * 2 * 2];
        for (int i = 0; i < nchw.length; i++) {
            nchw[i] = i;
        }
        Tensor t = Tensor.of(nchw, 2, 3, 2, 2);
        Tensor cl = t.toChannelsLast();
        assertEquals(Tensor.MemoryFormat.CHANNELS_LAST, cl.memoryFormat());
        assertArrayEquals(new int[]{2, 3, 2, 2}, cl.shape());
        assertArrayEquals(new int[]{2, 2, 2, 3}, cl.engineFloat("test").shape());
        assertArrayEquals(nchw, cl.toFloatArray());
        assertArrayEquals(nchw, Tensor.fromEngine(cl.engineFloat("test")).contiguous().toFloatArray());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> t.engineQuantized("Conv2d"));
        assertTrue(e.getMessage().contains("insert a QuantStub before Conv2d"), e.getMessage());
    }
}
