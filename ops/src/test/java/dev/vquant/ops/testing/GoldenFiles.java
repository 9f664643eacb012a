package dev.vquant.ops.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vquant.engine.DType;
import dev.vquant.engine.QParams;
import dev.vquant.engine.QTensor;
import dev.vquant.ops.convert.Layout;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/** Reads the PyTorch golden files copied into the test resources (format: golden/FORMAT.md). */
public final class GoldenFiles {
    private GoldenFiles() {
    }

    public static JsonNode load(String name) {
        try (InputStream in = GoldenFiles.class.getResourceAsStream("/golden/" + name + ".json")) {
            if (in == null) {
                throw new IllegalStateException("missing test resource /golden/" + name + ".json");
            }
            return new ObjectMapper().readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static int[] ints(JsonNode node) {
        JsonNode a = node.isArray() ? node : node.get("int_repr");
        int[] v = new int[a.size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = a.get(i).asInt();
        }
        return v;
    }

    public static byte[] bytes(int[] v) {
        byte[] b = new byte[v.length];
        for (int i = 0; i < v.length; i++) {
            b[i] = (byte) v[i];
        }
        return b;
    }

    /** float32 from a tensor's {@code bits}. */
    public static float[] floats(JsonNode tensor) {
        int[] bits = ints(tensor.get("bits"));
        float[] f = new float[bits.length];
        for (int i = 0; i < f.length; i++) {
            f[i] = Float.intBitsToFloat(bits[i]);
        }
        return f;
    }

    /** A per-tensor quint8 activation; 4-D ones are moved to NHWC when {@code nhwc}. */
    public static QTensor activation(JsonNode t, boolean nhwc) {
        int[] shape = ints(t.get("shape"));
        byte[] data = bytes(ints(t));
        if (nhwc) {
            data = Layout.nchwToNhwc(data, shape[0], shape[1], shape[2], shape[3]);
            shape = new int[]{shape[0], shape[2], shape[3], shape[1]};
        }
        return QTensor.of(data, shape, QParams.perTensor(t.get("scale").asDouble(), t.get("zero_point").asInt(), DType.QUINT8));
    }

    /** A qint8 weight, per tensor or per channel, in PyTorch's order. */
    public static QTensor weight(JsonNode t) {
        QParams q;
        if (t.has("scales")) {
            double[] s = new double[t.get("scales").size()];
            for (int i = 0; i < s.length; i++) {
                s[i] = t.get("scales").get(i).asDouble();
            }
            q = QParams.perChannel(s, ints(t.get("zero_points")), t.path("axis").asInt(0), DType.QINT8);
        } else {
            q = QParams.perTensor(t.get("scale").asDouble(), t.get("zero_point").asInt(), DType.QINT8);
        }
        return QTensor.of(bytes(ints(t)), ints(t.get("shape")), q);
    }

    /** Stored integers of a quantized tensor. */
    public static int[] ints(QTensor t) {
        int[] v = new int[t.numel()];
        for (int i = 0; i < v.length; i++) {
            v[i] = t.intAt(i);
        }
        return v;
    }
}
