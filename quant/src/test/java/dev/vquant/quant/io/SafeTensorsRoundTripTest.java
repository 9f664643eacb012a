package dev.vquant.quant.io;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

import java.io.IOException;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Write then read gives back every tensor (dtype, shape, bytes) and the metadata, for every dtype and
 * random shapes including scalars and empty tensors; the written layout is the format's (aligned,
 * contiguous, sorted as the reference implementation sorts); the typed factories and converters
 * round-trip values bit for bit.
 *
 * <p>jqwik runs no JUnit extensions, so the files go to a directory made for this class and deleted
 * after it (the JUnit tests use {@code @TempDir}).
 */
class SafeTensorsRoundTripTest {
    private static Path dir;

    @BeforeContainer
    static void makeDirectory() {
        dir = SafeTensorsTestData.createDirectory("vquant-safetensors-roundtrip");
    }

    @AfterContainer
    static void removeDirectory() throws IOException {
        SafeTensorsTestData.deleteRecursively(dir);
    }

    @Property(tries = 300)
    void everyDtypeRoundTrips(@ForAll long seed) throws IOException {
        SplittableRandom r = new SplittableRandom(seed);
        Map<String, StoredTensor> tensors = SafeTensorsTestData.randomTensors(r);
        Map<String, String> metadata = SafeTensorsTestData.randomMetadata(r);
        Path p = dir.resolve("rt-" + Long.toHexString(seed) + ".safetensors");
        SafeTensors.write(p, tensors, metadata);
        SafeTensorsFile back = SafeTensors.read(p);
        assertEquals(tensors, back.tensors());
        assertEquals(metadata, back.metadata());
        for (Map.Entry<String, StoredTensor> e : tensors.entrySet()) {
            StoredTensor b = back.get(e.getKey());
            assertArrayEquals(e.getValue().toBytes(), b.toBytes(), e.getKey());
            assertArrayEquals(e.getValue().shape(), b.shape(), e.getKey());
        }
        checkLayout(Files.readAllBytes(p));
        // writing what was read (from the mapping) gives the same bytes again
        Path again = dir.resolve("rt2-" + Long.toHexString(seed) + ".safetensors");
        SafeTensors.write(again, back);
        assertArrayEquals(Files.readAllBytes(p), Files.readAllBytes(again));
        Files.delete(p);
        Files.delete(again);
    }

    /**
     * Checked on the JSON itself: header padded to 8 with spaces, {@code __metadata__} first, tensors in
     * descending dtype order then UTF-8 name order, contiguous from offset 0 to the end of the file,
     * each starting at a multiple of its element size in the file.
     */
    private static void checkLayout(byte[] file) throws IOException {
        long n = ByteBuffer.wrap(file).order(ByteOrder.LITTLE_ENDIAN).getLong(0);
        assertEquals(0, n % 8, "header length is a multiple of 8");
        String json = new String(file, 8, (int) n, StandardCharsets.UTF_8);
        String body = json.replaceAll(" +$", "");
        assertTrue(body.endsWith("}") && json.length() - body.length() < 8, "padded with fewer than 8 spaces: " + json);
        JsonNode header = new ObjectMapper().readTree(json);
        long expectedBegin = 0;
        byte[] previousName = null;
        SafeTensorsDType previousDtype = null;
        int index = 0;
        for (Map.Entry<String, JsonNode> e : header.properties()) {
            if (e.getKey().equals("__metadata__")) {
                assertEquals(0, index, "__metadata__ comes first");
                index++;
                continue;
            }
            index++;
            SafeTensorsDType dtype = SafeTensorsDType.valueOf(e.getValue().get("dtype").textValue());
            byte[] name = e.getKey().getBytes(StandardCharsets.UTF_8);
            long begin = e.getValue().get("data_offsets").get(0).longValue();
            long end = e.getValue().get("data_offsets").get(1).longValue();
            assertEquals(expectedBegin, begin, e.getKey() + " starts where the previous tensor ends");
            assertEquals(0, (8 + n + begin) % dtype.byteSize(), e.getKey() + " is aligned");
            if (previousDtype != null) {
                assertTrue(previousDtype.ordinal() > dtype.ordinal()
                                || (previousDtype == dtype && Arrays.compareUnsigned(previousName, name) < 0),
                        "order: " + previousDtype + " before " + dtype + " " + e.getKey());
            }
            expectedBegin = end;
            previousName = name;
            previousDtype = dtype;
        }
        assertEquals(file.length, 8 + n + expectedBegin, "the tensors end where the file ends");
    }

    @Property(tries = 200)
    void floatFactoriesAndConvertersRoundTrip(@ForAll long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        int count = r.nextInt(20);
        long[] shape = {count};
        float[] f = new float[count];
        double[] d = new double[count];
        for (int i = 0; i < count; i++) {
            f[i] = Float.intBitsToFloat(r.nextInt());
            d[i] = Double.longBitsToDouble(r.nextLong());
        }
        assertArrayEquals(bits(f), bits(StoredTensor.ofFloat(shape, f).toFloatArray()));
        double[] dBack = StoredTensor.ofDouble(shape, d).toDoubleArray();
        for (int i = 0; i < count; i++) {
            assertEquals(Double.doubleToRawLongBits(d[i]), Double.doubleToRawLongBits(dBack[i]));
            assertEquals(Float.floatToRawIntBits((float) d[i]),
                    Float.floatToRawIntBits(StoredTensor.ofDouble(shape, d).toFloatArray()[i]), "F64 -> float is a cast");
        }
        // values already representable in F16 / BF16 survive the narrowing factories unchanged
        float[] halves = new float[count];
        float[] bhalves = new float[count];
        for (int i = 0; i < count; i++) {
            halves[i] = Float.float16ToFloat((short) r.nextInt(0x7C00)); // finite, non-negative
            bhalves[i] = Float.intBitsToFloat(r.nextInt() & 0xFFFF_0000);
            if (Float.isNaN(bhalves[i])) {
                bhalves[i] = 1f;
            }
        }
        assertArrayEquals(bits(halves), bits(StoredTensor.ofHalf(shape, halves).toFloatArray()));
        assertArrayEquals(bits(bhalves), bits(StoredTensor.ofBFloat16(shape, bhalves).toFloatArray()));
    }

    @Property(tries = 200)
    void integerFactoriesAndConvertersRoundTrip(@ForAll long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        int count = r.nextInt(20);
        long[] shape = {1, count};
        long[] l = r.longs(count).toArray();
        int[] in = r.ints(count).toArray();
        byte[] b = new byte[count];
        r.nextBytes(b);
        boolean[] z = new boolean[count];
        for (int i = 0; i < count; i++) {
            z[i] = r.nextBoolean();
        }
        assertArrayEquals(l, StoredTensor.ofLong(shape, l).toLongArray());
        assertArrayEquals(in, StoredTensor.ofInt(shape, in).toIntArray());
        assertArrayEquals(in, StoredTensor.ofLong(shape, toLongs(in)).toIntArray(), "I64 in int range -> int");
        assertArrayEquals(b, StoredTensor.ofByte(shape, b).toByteArray());
        assertArrayEquals(b, StoredTensor.ofUnsignedByte(shape, b).toByteArray());
        assertArrayEquals(z, StoredTensor.ofBoolean(shape, z).toBooleanArray());
        long[] unsigned = StoredTensor.ofUnsignedByte(shape, b).toLongArray();
        long[] signed = StoredTensor.ofByte(shape, b).toLongArray();
        for (int i = 0; i < count; i++) {
            assertEquals(b[i] & 0xFF, unsigned[i]);
            assertEquals(b[i], signed[i]);
            assertEquals((float) l[i], StoredTensor.ofLong(shape, l).toFloatArray()[i]);
            assertEquals(z[i] ? 1 : 0, StoredTensor.ofBoolean(shape, z).toIntArray()[i]);
        }
        // the stored bytes are little-endian whatever the platform
        StoredTensor t = StoredTensor.ofInt(shape, in);
        for (int i = 0; i < count; i++) {
            assertEquals((byte) in[i], t.data().get(ValueLayout.JAVA_BYTE, 4L * i));
        }
    }

    private static long[] toLongs(int[] a) {
        long[] out = new long[a.length];
        for (int i = 0; i < a.length; i++) {
            out[i] = a[i];
        }
        return out;
    }

    private static int[] bits(float[] f) {
        int[] out = new int[f.length];
        for (int i = 0; i < f.length; i++) {
            out[i] = Float.floatToRawIntBits(f[i]);
        }
        return out;
    }
}
