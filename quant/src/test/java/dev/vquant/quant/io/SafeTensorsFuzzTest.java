package dev.vquant.quant.io;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.SplittableRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Fuzzing the reader: valid files cut short, bytes flipped, header lengths and JSON tokens replaced by
 * lies (2^62-byte offsets, overflowing shapes, wrong JSON types), ranges made to overlap or leave
 * gaps, data added or removed, and plain random bytes. Every file either reads (and then its tensors
 * tile the data section) or fails with an {@link IOException} or {@link IllegalArgumentException}
 * carrying a message; anything else fails the property. Each read must also allocate no more than a
 * bound set by the file's real size, whatever its header claims (measured on this thread when the JVM
 * can count allocation).
 *
 * <p>The seed is fixed so every run feeds the same files.
 */
class SafeTensorsFuzzTest {
    private static final int KINDS = 10;
    /** Fixed allowance for the parser's own objects; a lying header's claims start well above it. */
    private static final long ALLOCATION_ALLOWANCE = 24L << 20;

    private static Path dir;
    private static final List<byte[]> VALID = new ArrayList<>();
    private static com.sun.management.ThreadMXBean threads;

    @BeforeContainer
    static void setUp() throws IOException {
        dir = SafeTensorsTestData.createDirectory("vquant-safetensors-fuzz");
        SplittableRandom r = new SplittableRandom(2026);
        for (int i = 0; i < 40; i++) {
            Path p = dir.resolve("valid" + i);
            SafeTensors.write(p, SafeTensorsTestData.randomTensors(r), SafeTensorsTestData.randomMetadata(r));
            VALID.add(Files.readAllBytes(p));
            SafeTensors.read(p); // warms up the classes, so their one-time allocation is not counted below
            Files.delete(p);
        }
        if (ManagementFactory.getThreadMXBean() instanceof com.sun.management.ThreadMXBean t
                && t.isThreadAllocatedMemorySupported() && t.isThreadAllocatedMemoryEnabled()) {
            threads = t;
        }
    }

    @AfterContainer
    static void tearDown() throws IOException {
        SafeTensorsTestData.deleteRecursively(dir);
    }

    @Property(tries = 4000, seed = "20261203")
    void malformedFilesFailWithAMessage(@ForAll @IntRange(min = 0, max = KINDS - 1) int kind, @ForAll long seed)
            throws IOException {
        SplittableRandom r = new SplittableRandom(seed);
        byte[] base = VALID.get(r.nextInt(VALID.size()));
        byte[] contents = mutate(kind, base, r);
        Path p = dir.resolve("fuzz-" + kind + "-" + Long.toHexString(seed));
        Files.write(p, contents);
        String input = "kind " + kind + ", " + contents.length + " bytes: "
                + HexFormat.of().formatHex(contents, 0, Math.min(contents.length, 256));
        long before = allocatedBytes();
        long covered = -1;
        try {
            SafeTensorsFile f = SafeTensors.read(p);
            covered = 0;
            for (StoredTensor t : f.tensors().values()) {
                covered += t.toBytes().length;
            }
        } catch (IOException | IllegalArgumentException e) {
            if (e.getMessage() == null || e.getMessage().isBlank()) {
                fail("no message: " + e + "; " + input, e);
            }
        } catch (RuntimeException | Error e) {
            fail("not an IOException: " + e + "; " + input, e);
        }
        long allocated = allocatedBytes() - before;
        if (covered >= 0) {
            long headerLength = ByteBuffer.wrap(contents).order(ByteOrder.LITTLE_ENDIAN).getLong(0);
            assertEquals(contents.length - 8 - headerLength, covered, "a file that reads is tiled by its tensors; " + input);
        }
        assertTrue(allocated < ALLOCATION_ALLOWANCE + 8L * contents.length,
                "allocated " + allocated + " bytes reading " + input);
        Files.delete(p);
    }

    private static long allocatedBytes() {
        return threads == null ? 0 : threads.getCurrentThreadAllocatedBytes();
    }

    private static final Pattern NUMBER = Pattern.compile("-?\\d+");
    private static final Pattern STRING_VALUE = Pattern.compile(":\"([^\"\\\\]*)\"");
    private static final String[] NUMBER_LIES = {"-1", "4611686018427387904", "9223372036854775807",
            "18446744073709551616", "99999999999999999999999999", "1.5", "1e400", "4294967296", "\"7\"", "null", "[]",
            "{}", "0", "99999999"};
    private static final String[] STRING_LIES = {"F8_E8M0", "f32", "", "I4", "F32\\u0000", "BOOL", "U64", "F16"};
    private static final String[] WRONG_JSON = {"[]", "1", "\"s\"", "null", "true", "{\"a\":1}", "{\"a\":null}",
            "{\"a\":{\"dtype\":\"F32\",\"shape\":[4294967296,4294967296,4294967296],\"data_offsets\":[0,4611686018427387904]}}",
            "{\"a\":{\"dtype\":\"F32\",\"shape\":[],\"data_offsets\":[0]}}", "{\"__metadata__\":\"x\"}",
            "{\"a\":{\"dtype\":[\"F32\"],\"shape\":{},\"data_offsets\":\"0,4\"}}", "[".repeat(3000), "{\"a\":" .repeat(600),
            "{\"a\":{\"dtype\":\"F32\",\"shape\":[" + "1,".repeat(5000) + "1],\"data_offsets\":[0,4]}}", "{", "}", ""};

    /** One malformation of {@code base} (some of them leave it valid, which is fine). */
    private static byte[] mutate(int kind, byte[] base, SplittableRandom r) {
        int headerLength = (int) ByteBuffer.wrap(base).order(ByteOrder.LITTLE_ENDIAN).getLong(0);
        String header = new String(base, 8, headerLength, StandardCharsets.UTF_8);
        byte[] data = Arrays.copyOfRange(base, 8 + headerLength, base.length);
        switch (kind) {
            case 0 -> { // truncated
                return Arrays.copyOf(base, r.nextInt(base.length));
            }
            case 1 -> { // random bytes, sometimes behind a plausible header length
                byte[] b = new byte[r.nextInt(300)];
                r.nextBytes(b);
                if (b.length >= 8 && r.nextBoolean()) {
                    ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).putLong(0, r.nextInt(b.length));
                }
                return b;
            }
            case 2 -> { // a lying header length
                long[] lies = {1L << 62, Long.MAX_VALUE, -1L, 99_999_999L, 100_000_001L, base.length - 8,
                        headerLength + r.nextInt(-9, 10), r.nextLong(), r.nextInt(1 << 20)};
                byte[] b = base.clone();
                ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).putLong(0, lies[r.nextInt(lies.length)]);
                return b;
            }
            case 3 -> { // flipped bytes, mostly in the header
                byte[] b = base.clone();
                for (int i = r.nextInt(1, 5); i > 0; i--) {
                    int at = r.nextInt(4) != 0 && headerLength > 0 ? 8 + r.nextInt(headerLength) : r.nextInt(b.length);
                    b[at] ^= (byte) r.nextInt(1, 256);
                }
                return b;
            }
            case 4 -> { // a number (shape, offset) replaced by a lie
                return withHeader(replaceRandom(NUMBER, header, NUMBER_LIES[r.nextInt(NUMBER_LIES.length)], r), data);
            }
            case 5 -> { // a string value (dtype, metadata) replaced
                return withHeader(replaceRandom(STRING_VALUE, header, ":\"" + STRING_LIES[r.nextInt(STRING_LIES.length)] + "\"", r),
                        data);
            }
            case 6 -> { // data added or removed at the end
                int delta = r.nextInt(1, 17);
                return r.nextBoolean() || data.length < delta
                        ? withHeader(header, Arrays.copyOf(data, data.length + delta))
                        : withHeader(header, Arrays.copyOf(data, data.length - delta));
            }
            case 7 -> { // a header of the wrong shape entirely
                return withHeader(WRONG_JSON[r.nextInt(WRONG_JSON.length)], new byte[r.nextInt(65)]);
            }
            case 8 -> { // one tensor's offsets moved: overlaps, gaps, end before begin
                Matcher m = Pattern.compile("\"data_offsets\":\\[(\\d+),(\\d+)]").matcher(header);
                List<int[]> spans = new ArrayList<>();
                while (m.find()) {
                    spans.add(new int[]{m.start(), m.end(), Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2))});
                }
                if (spans.isEmpty()) {
                    return withHeader(header.replaceFirst("\\{", "{\"x\":{\"dtype\":\"I8\",\"shape\":[1],\"data_offsets\":[0,1]},"), data);
                }
                int[] s = spans.get(r.nextInt(spans.size()));
                long begin = Math.max(0, s[2] + r.nextInt(-8, 9));
                long end = r.nextInt(3) == 0 ? begin + (s[3] - s[2]) : s[3] + r.nextInt(-8, 9);
                return withHeader(header.substring(0, s[0]) + "\"data_offsets\":[" + begin + "," + end + "]"
                        + header.substring(s[1]), data);
            }
            default -> { // junk after the JSON inside the header: NULs, letters, a second object, or spaces
                String[] tails = {"\u0000\u0000", "x", "{}", "   ", "\n", ",", "]"};
                return withHeader(header.stripTrailing() + tails[r.nextInt(tails.length)], data);
            }
        }
    }

    private static String replaceRandom(Pattern p, String text, String replacement, SplittableRandom r) {
        Matcher m = p.matcher(text);
        List<int[]> found = new ArrayList<>();
        while (m.find()) {
            found.add(new int[]{m.start(), m.end()});
        }
        if (found.isEmpty()) {
            return text + replacement;
        }
        int[] at = found.get(r.nextInt(found.size()));
        return text.substring(0, at[0]) + replacement + text.substring(at[1]);
    }

    private static byte[] withHeader(String header, byte[] data) {
        byte[] h = header.getBytes(StandardCharsets.UTF_8);
        return SafeTensorsTestData.file(h.length, h, data);
    }
}
