package dev.vquant.quant.io;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.Stream;

/** Builders of safetensors files and random tensors for the tests. */
final class SafeTensorsTestData {
    /** Names the generators pick from: plain, dotted PyTorch-style, escapes, non-ASCII, a supplementary character. */
    static final String[] NAMES = {"w", "fc.weight", "fc.bias", "stem1.0.weight", "bn.num_batches_tracked", "",
            "quote\"and\\back", "tab\tnew\nline\u0001", "\u00e9t\u00e9", "\uffff", "\uD83D\uDE00", "a/b c", "__meta__"};

    private SafeTensorsTestData() {
    }

    /** A file: 8-byte little-endian {@code headerLength} (as claimed), the header bytes, then {@code data}. */
    static byte[] file(long claimedHeaderLength, byte[] header, byte[] data) {
        ByteBuffer b = ByteBuffer.allocate(8 + header.length + data.length).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(claimedHeaderLength).put(header).put(data);
        return b.array();
    }

    /** A file with this JSON header (its true length) and {@code dataBytes} zero bytes of data. */
    static byte[] file(String json, int dataBytes) {
        byte[] h = json.getBytes(StandardCharsets.UTF_8);
        return file(h.length, h, new byte[dataBytes]);
    }

    /** A fresh temporary directory for a jqwik container (jqwik runs no JUnit extensions, so no @TempDir). */
    static Path createDirectory(String prefix) {
        try {
            return Files.createTempDirectory(prefix);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Deletes {@code dir} and everything below it. */
    static void deleteRecursively(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    static Path write(Path dir, String name, byte[] contents) {
        try {
            Path p = dir.resolve(name);
            Files.write(p, contents);
            return p;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A random tensor: rank 0..4, dimensions 0..4 (so empty and scalar tensors occur), random bytes (BOOL: 0/1). */
    static StoredTensor randomTensor(SplittableRandom r, SafeTensorsDType dtype) {
        int rank = r.nextInt(5);
        long[] shape = new long[rank];
        for (int i = 0; i < rank; i++) {
            shape[i] = r.nextInt(r.nextInt(8) == 0 ? 1 : 5); // mostly 0..4, sometimes forced to 0
        }
        long n = StoredTensor.numel(shape);
        byte[] bytes = new byte[(int) n * dtype.byteSize()];
        if (dtype == SafeTensorsDType.BOOL) {
            for (int i = 0; i < bytes.length; i++) {
                bytes[i] = (byte) r.nextInt(2);
            }
        } else {
            r.nextBytes(bytes);
        }
        return StoredTensor.of(dtype, shape, bytes);
    }

    /** 0..6 random tensors of random dtypes under distinct names. */
    static Map<String, StoredTensor> randomTensors(SplittableRandom r) {
        Map<String, StoredTensor> m = new LinkedHashMap<>();
        int count = r.nextInt(7);
        SafeTensorsDType[] dtypes = SafeTensorsDType.values();
        for (int i = 0; i < count; i++) {
            String name = NAMES[r.nextInt(NAMES.length)] + (r.nextBoolean() ? "" : "." + i);
            m.put(name, randomTensor(r, dtypes[r.nextInt(dtypes.length)]));
        }
        return m;
    }

    /** 0..3 metadata entries. */
    static Map<String, String> randomMetadata(SplittableRandom r) {
        Map<String, String> m = new LinkedHashMap<>();
        int count = r.nextInt(4);
        for (int i = 0; i < count; i++) {
            m.put(NAMES[r.nextInt(NAMES.length)], NAMES[r.nextInt(NAMES.length)] + i);
        }
        return m;
    }
}
