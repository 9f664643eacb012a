package dev.vquant.quant.models.vision;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vquant.quant.Tensor;
import dev.vquant.quant.nn.Module;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * golden/torchvision_models.json (tools/golden/torchvision_models.py, torchvision 0.14.1 on
 * PyTorch 1.13): state-dict names and shapes of the three models (plain, fused for inference,
 * fused for QAT), and float logits for weights given by the script's closed-form rule, which
 * {@link #fillDeterministic} regenerates here.
 */
final class TorchvisionGolden {
    private static JsonNode root;

    private TorchvisionGolden() {
    }

    static synchronized JsonNode model(String name) {
        if (root == null) {
            try (InputStream in = TorchvisionGolden.class.getResourceAsStream("/golden/torchvision_models.json")) {
                root = new ObjectMapper().readTree(in);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return root.get(name);
    }

    /** {@code "name [d0, d1, ...]"} per entry, in order, from a golden key list. */
    static List<String> keys(JsonNode list) {
        List<String> out = new ArrayList<>();
        for (JsonNode e : list) {
            int[] s = new int[e.get(1).size()];
            for (int i = 0; i < s.length; i++) {
                s[i] = e.get(1).get(i).asInt();
            }
            out.add(e.get(0).asText() + " " + Arrays.toString(s));
        }
        return out;
    }

    /** The same listing of a Java model's state dict. */
    static List<String> keys(Module model) {
        List<String> out = new ArrayList<>();
        model.stateDict().forEach((n, t) -> out.add(n + " " + Arrays.toString(t.shape())));
        return out;
    }

    static float[] floats(JsonNode bits) {
        float[] f = new float[bits.size()];
        for (int i = 0; i < f.length; i++) {
            f[i] = Float.intBitsToFloat(bits.get(i).asInt());
        }
        return f;
    }

    /** The script's input: x[i] = sin(0.3 i), [1, 3, size, size]. */
    static Tensor input(int size) {
        float[] x = new float[3 * size * size];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) Math.sin(i * 0.3);
        }
        return Tensor.of(x, 1, 3, size, size);
    }

    /** Loads the script's closed-form weights into {@code model} (see the script's docstring). */
    static void fillDeterministic(Module model) {
        Map<String, Tensor> filled = new LinkedHashMap<>();
        int k = 0;
        for (Map.Entry<String, Tensor> e : model.stateDict().entrySet()) {
            String name = e.getKey();
            Tensor t = e.getValue();
            String leaf = name.substring(name.lastIndexOf('.') + 1);
            int entry = k++;
            if (leaf.equals("num_batches_tracked")) {
                filled.put(name, t);
                continue;
            }
            int[] shape = t.shape();
            float[] v = new float[t.numel()];
            double fanScale = shape.length >= 2 ? Math.sqrt(3.0 / (v.length / shape[0])) : 0;
            for (int i = 0; i < v.length; i++) {
                double s = Math.sin(i * 0.7 + entry);
                double value = switch (leaf) {
                    case "running_var" -> 1 + 0.25 * (1 + s);
                    case "running_mean", "bias" -> 0.1 * s;
                    default -> shape.length == 1 ? 1 + 0.2 * s : fanScale * s;
                };
                v[i] = (float) value;
            }
            filled.put(name, Tensor.of(v, shape));
        }
        model.loadStateDict(filled);
    }

    /** max |a - b| / max |b|. */
    static double relativeMaxError(float[] a, float[] b) {
        double err = 0;
        double scale = 0;
        for (int i = 0; i < b.length; i++) {
            err = Math.max(err, Math.abs(a[i] - b[i]));
            scale = Math.max(scale, Math.abs(b[i]));
        }
        return err / scale;
    }
}
