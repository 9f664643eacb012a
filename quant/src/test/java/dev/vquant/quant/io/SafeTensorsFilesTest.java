package dev.vquant.quant.io;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Real files: a PyTorch-quantized model exported from PyTorch 1.13 (values checked against what
 * Python read from the same file), the bytes Hugging Face's safetensors 0.8.0 writes for a set of
 * tensors of every dtype it can take from numpy (vquant's writer must reproduce them exactly), and
 * the writer's file handling.
 */
class SafeTensorsFilesTest {
    @TempDir
    Path dir;

    private Path resource(String name) throws IOException {
        try (InputStream in = SafeTensorsFilesTest.class.getResourceAsStream("/safetensors/" + name)) {
            if (in == null) {
                throw new IOException("missing test resource " + name);
            }
            Path p = dir.resolve(name);
            Files.copy(in, p);
            return p;
        }
    }

    /** int8/cnn_micro_ptq_qnnpack.safetensors from ../shared/mnist, values as Python (st_io.load) printed them. */
    @Test
    void readsPyTorchQuantizedModel() throws IOException {
        SafeTensorsFile f = SafeTensors.read(resource("cnn_micro_ptq_qnnpack.safetensors"));
        assertEquals(46, f.size());
        List<String> names = new ArrayList<>(f.names());
        assertEquals(List.of("quant.scale", "quant.zero_point", "stem1.0.weight_scale"), names.subList(0, 3));
        assertEquals(List.of("dw.0.weight", "pw.0.weight", "fc.weight"), names.subList(43, 46));
        assertEquals(Map.of("model", "cnn_micro", "scheme", "static_ptq", "qconfig", "qnnpack", "torch", "1.13.0a0"),
                f.metadata());
        assertEquals(List.of("model", "scheme", "qconfig", "torch"), new ArrayList<>(f.metadata().keySet()));

        StoredTensor scale = f.get("quant.scale");
        assertEquals(SafeTensorsDType.F64, scale.dtype());
        assertArrayEquals(new long[]{1}, scale.shape());
        assertEquals(0x3f700e0e00000000L, Double.doubleToRawLongBits(scale.toDoubleArray()[0]));
        assertEquals(0x3f9b0be380000000L, Double.doubleToRawLongBits(f.get("fc.weight_scale").toDoubleArray()[0]));
        assertArrayEquals(new long[]{0}, f.get("quant.zero_point").toLongArray());
        assertArrayEquals(new long[]{162}, f.get("res.conv2.0.zero_point").toLongArray());
        assertArrayEquals(new int[]{155}, f.get("fc.zero_point").toIntArray());

        StoredTensor stem = f.get("stem1.0.weight");
        assertEquals(SafeTensorsDType.I8, stem.dtype());
        assertArrayEquals(new long[]{2, 1, 3, 3}, stem.shape());
        assertArrayEquals(new byte[]{4, 31, 0, 27, 15, 13, 42, 38, 38, -6, -18, -128, -17, -44, 40, -85, -67, 13},
                stem.toByteArray());
        byte[] fcWeight = f.get("fc.weight").toByteArray();
        assertArrayEquals(new byte[]{3, -73, -1, -10, -21, 48, -15, 58}, java.util.Arrays.copyOfRange(fcWeight, 72, 80));

        float[] bias = f.get("fc.bias").toFloatArray();
        int[] expectedBits = {0xbe8e6c9e, 0xbeebcd3f, 0xbeba24c9, 0xbf368ad8, 0xbcbc3092, 0xbdeb90de, 0x3e7b098c,
                0xbec705dd, 0x3f83f47f, 0x3f7a8278};
        for (int i = 0; i < 10; i++) {
            assertEquals(expectedBits[i], Float.floatToRawIntBits(bias[i]), "fc.bias[" + i + "]");
        }
        assertArrayEquals(new int[]{10}, f.get("fc.bias").toFloatTensor().shape());
    }

    /** The reference library's bytes (make_reference.py beside the resource made them) are what vquant writes. */
    @Test
    void writesTheReferenceImplementationsBytes() throws IOException {
        Path reference = resource("reference_0.8.0.safetensors");
        Object[][] specs = {
                {"model.embed.weight", SafeTensorsDType.F32, new long[]{3, 4}}, {"scale", SafeTensorsDType.F64, new long[]{2}},
                {"half", SafeTensorsDType.F16, new long[]{2, 3}}, {"steps", SafeTensorsDType.I64, new long[]{}},
                {"idx", SafeTensorsDType.I32, new long[]{5}}, {"s16", SafeTensorsDType.I16, new long[]{3}},
                {"u16", SafeTensorsDType.U16, new long[]{2}}, {"u32", SafeTensorsDType.U32, new long[]{1}},
                {"u64", SafeTensorsDType.U64, new long[]{2}}, {"q.weight", SafeTensorsDType.I8, new long[]{2, 2, 1, 1}},
                {"pixels", SafeTensorsDType.U8, new long[]{7}}, {"mask", SafeTensorsDType.BOOL, new long[]{3}},
                {"empty", SafeTensorsDType.F32, new long[]{0, 3}},
                {"c\n\u00e9\u0001\uD83D\uDE00", SafeTensorsDType.U8, new long[]{1}},
                {"\uffff", SafeTensorsDType.U8, new long[]{1}}, {"\uD83D\uDE00", SafeTensorsDType.U8, new long[]{1}},
                {"quote\"back\\slash/", SafeTensorsDType.I8, new long[]{1}},
        };
        Map<String, StoredTensor> tensors = new LinkedHashMap<>();
        for (int k = 0; k < specs.length; k++) {
            SafeTensorsDType dtype = (SafeTensorsDType) specs[k][1];
            long[] shape = (long[]) specs[k][2];
            byte[] bytes = new byte[(int) StoredTensor.numel(shape) * dtype.byteSize()];
            for (int j = 0; j < bytes.length; j++) {
                bytes[j] = (byte) (dtype == SafeTensorsDType.BOOL ? j % 2 : 31 * k + 7 * j + 3);
            }
            tensors.put((String) specs[k][0], StoredTensor.of(dtype, shape, bytes));
        }
        Map<String, String> metadata = Map.of("format", "pt\t\u007f\"\\/\u00e9");
        Path mine = dir.resolve("mine.safetensors");
        SafeTensors.write(mine, tensors, metadata);
        assertArrayEquals(Files.readAllBytes(reference), Files.readAllBytes(mine));

        SafeTensorsFile read = SafeTensors.read(reference);
        assertEquals(tensors, read.tensors());
        assertEquals(metadata, read.metadata());
    }

    @Test
    void outputDoesNotDependOnInsertionOrder() throws IOException {
        Map<String, StoredTensor> a = new LinkedHashMap<>();
        a.put("b", StoredTensor.ofFloat(new long[]{1}, new float[]{1}));
        a.put("a", StoredTensor.ofFloat(new long[]{1}, new float[]{2}));
        a.put("n", StoredTensor.ofLong(new long[]{}, new long[]{3}));
        a.put("m", StoredTensor.ofBoolean(new long[]{2}, new boolean[]{true, false}));
        Map<String, StoredTensor> b = new LinkedHashMap<>();
        new ArrayList<>(a.keySet()).reversed().forEach(k -> b.put(k, a.get(k)));
        Map<String, String> m1 = new LinkedHashMap<>();
        m1.put("x", "1");
        m1.put("format", "pt");
        Map<String, String> m2 = new LinkedHashMap<>();
        m2.put("format", "pt");
        m2.put("x", "1");
        SafeTensors.write(dir.resolve("a"), a, m1);
        SafeTensors.write(dir.resolve("b"), b, m2);
        assertArrayEquals(Files.readAllBytes(dir.resolve("a")), Files.readAllBytes(dir.resolve("b")));
        assertEquals(List.of("n", "a", "b", "m"), new ArrayList<>(SafeTensors.read(dir.resolve("a")).names()));
    }

    @Test
    void emptyFileOfNoTensors() throws IOException {
        Path p = dir.resolve("empty.safetensors");
        SafeTensors.write(p, Map.of());
        assertArrayEquals(new byte[]{8, 0, 0, 0, 0, 0, 0, 0, '{', '}', ' ', ' ', ' ', ' ', ' ', ' '}, Files.readAllBytes(p));
        SafeTensorsFile f = SafeTensors.read(p);
        assertEquals(0, f.size());
        assertTrue(f.metadata().isEmpty());
    }

    /** Rewriting the file a read came from is safe: the old file stays mapped, the new one replaces it whole. */
    @Test
    void rewritingTheFileThatWasReadIsSafe() throws IOException {
        Path p = dir.resolve("model.safetensors");
        float[] w = new float[1000];
        for (int i = 0; i < w.length; i++) {
            w[i] = i;
        }
        SafeTensors.write(p, Map.of("w", StoredTensor.ofFloat(new long[]{1000}, w)), Map.of("v", "1"));
        SafeTensorsFile first = SafeTensors.read(p);
        SafeTensors.write(p, Map.of("small", StoredTensor.ofFloat(new long[]{1}, new float[]{7})), Map.of("v", "2"));
        assertEquals(Map.of("v", "2"), SafeTensors.read(p).metadata());
        assertArrayEquals(w, first.get("w").toFloatArray(), "the old mapping still reads the old data");
        SafeTensors.write(p, first); // from the (replaced) mapping back to the same path
        assertEquals(first, SafeTensors.read(p));
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(List.of(p), files.toList(), "no temporary file left behind");
        }
    }

    @Test
    void writeRefusesBadArguments() {
        Path p = dir.resolve("x.safetensors");
        StoredTensor t = StoredTensor.ofFloat(new long[]{1}, new float[]{1});
        Map<String, StoredTensor> nullName = new LinkedHashMap<>();
        nullName.put(null, t);
        Map<String, StoredTensor> nullTensor = new LinkedHashMap<>();
        nullTensor.put("w", null);
        Map<String, String> nullValue = new LinkedHashMap<>();
        nullValue.put("k", null);
        assertThrows(IllegalArgumentException.class, () -> SafeTensors.write(null, Map.of("w", t)));
        assertThrows(IllegalArgumentException.class, () -> SafeTensors.write(p, (Map<String, StoredTensor>) null));
        assertThrows(IllegalArgumentException.class, () -> SafeTensors.write(p, nullName));
        assertThrows(IllegalArgumentException.class, () -> SafeTensors.write(p, nullTensor));
        assertThrows(IllegalArgumentException.class, () -> SafeTensors.write(p, Map.of("w", t), nullValue));
        IllegalArgumentException reserved = assertThrows(IllegalArgumentException.class,
                () -> SafeTensors.write(p, Map.of("__metadata__", t)));
        assertTrue(reserved.getMessage().contains("reserved"), reserved.getMessage());
        IllegalArgumentException surrogate = assertThrows(IllegalArgumentException.class,
                () -> SafeTensors.write(p, Map.of("bad\uD800name", t)));
        assertTrue(surrogate.getMessage().contains("unpaired surrogate"), surrogate.getMessage());
        assertThrows(IllegalArgumentException.class, () -> SafeTensors.read(null));
        assertThrows(IOException.class, () -> SafeTensors.write(dir, Map.of("w", t)), "a directory");
        assertFalse(Files.exists(p), "nothing written on refusal");
    }

    /** Every file of ../shared/mnist when it is present (CI has it; a user's clone need not). */
    @Test
    void readsAndRewritesEverySharedMnistFile() throws IOException {
        Path root = Path.of("").toAbsolutePath().resolve("../../shared/mnist").normalize(); // from quant/
        assumeTrue(Files.isDirectory(root), "../shared/mnist not present");
        List<Path> files;
        try (Stream<Path> s = Files.walk(root)) {
            files = s.filter(x -> x.toString().endsWith(".safetensors")).sorted().toList();
        }
        assertTrue(files.size() >= 5, "found " + files);
        for (Path file : files) {
            SafeTensorsFile f = SafeTensors.read(file);
            assertFalse(f.tensors().isEmpty(), file.toString());
            f.tensors().forEach((name, t) -> {
                switch (t.dtype()) {
                    case F32, F64 -> assertEquals(t.numel(), t.toFloatArray().length, name);
                    case I64 -> assertEquals(t.numel(), t.toLongArray().length, name);
                    case I8, U8 -> assertEquals(t.numel(), t.toByteArray().length, name);
                    default -> throw new AssertionError(file + " " + name + ": unexpected " + t.dtype());
                }
            });
            Path copy = dir.resolve(file.getFileName());
            SafeTensors.write(copy, f);
            assertEquals(f, SafeTensors.read(copy), file.toString());
        }
    }
}
