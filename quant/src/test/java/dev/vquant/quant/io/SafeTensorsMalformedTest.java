package dev.vquant.quant.io;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import static dev.vquant.quant.io.SafeTensorsTestData.file;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/** Each way a file can be malformed ends in an IOException whose message names the tensor and the problem. */
class SafeTensorsMalformedTest {
    @TempDir
    Path dir;

    private static final String W = "{\"w\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}";

    /** Reads {@code contents} from a file and checks the IOException's message has every fragment. */
    private void refused(byte[] contents, String... fragments) {
        Path p = SafeTensorsTestData.write(dir, "bad.safetensors", contents);
        IOException e = assertThrows(IOException.class, () -> SafeTensors.read(p));
        String m = e.getMessage();
        assertTrue(m != null && m.startsWith(p.toString()), "message names the file: " + m);
        for (String f : fragments) {
            if (!m.contains(f)) {
                fail("message lacks '" + f + "': " + m);
            }
        }
    }

    private void refused(String json, int dataBytes, String... fragments) {
        refused(file(json, dataBytes), fragments);
    }

    @Test
    void sizeAndHeaderLength() {
        refused(new byte[0], "0 bytes, too short");
        refused(new byte[7], "7 bytes, too short");
        byte[] h = "{}".getBytes(StandardCharsets.US_ASCII);
        refused(file(1L << 62, h, new byte[0]), "header length 4611686018427387904 exceeds the format's limit of 100000000");
        refused(file(-1L, h, new byte[0]), "header length 18446744073709551615 exceeds");
        refused(file(99_999_999L, h, new byte[0]), "header length 99999999 runs past the end of the 10-byte file");
        refused(file(3, h, new byte[0]), "header length 3 runs past the end");
        refused(file(0, new byte[0], new byte[0]), "the header is empty");
    }

    @Test
    void headerSyntax() {
        refused(file(2, new byte[]{'{', (byte) 0xC3}, new byte[0]), "not valid UTF-8");
        refused("not json", 0, "not valid JSON");
        refused("{\"w\":", 0, "not valid JSON");
        refused("[1,2]", 0, "the header is a JSON array, expected an object");
        refused("\"x\"", 0, "the header is a JSON string");
        refused("{} {}", 0, "not valid JSON");
        refused("{}\u0000", 0, "not valid JSON");
        refused(W + ",\"w\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[8,16]}}", 16, "not valid JSON", "Duplicate", "'w'");
        refused("[".repeat(5000) + "]".repeat(5000), 0, "not valid JSON");
        refused("{\"w\":{\"dtype\":\"F32\",\"shape\":[1" + "0".repeat(2000) + "],\"data_offsets\":[0,4]}}", 4, "not valid JSON");
    }

    @Test
    void entryFields() {
        refused("{\"w\":[1]}", 0, "tensor 'w'", "the entry is a JSON array");
        refused("{\"w\":{\"shape\":[1],\"data_offsets\":[0,4]}}", 4, "tensor 'w'", "\"dtype\" is missing");
        refused("{\"w\":{\"dtype\":4,\"shape\":[1],\"data_offsets\":[0,4]}}", 4, "tensor 'w'", "\"dtype\" is a JSON number");
        refused("{\"w\":{\"dtype\":\"F8_E8M0\",\"shape\":[1],\"data_offsets\":[0,1]}}", 1, "tensor 'w'",
                "unknown safetensors dtype 'F8_E8M0'", "known: BOOL, U8");
        refused("{\"w\":{\"dtype\":\"f32\",\"shape\":[1],\"data_offsets\":[0,4]}}", 4, "unknown safetensors dtype 'f32'");
        refused("{\"w\":{\"dtype\":\"F32\",\"data_offsets\":[0,4]}}", 4, "tensor 'w'", "\"shape\" is missing");
        refused("{\"w\":{\"dtype\":\"F32\",\"shape\":\"1\",\"data_offsets\":[0,4]}}", 4, "\"shape\" is a JSON string");
        refused("{\"w\":{\"dtype\":\"F32\",\"shape\":[-1],\"data_offsets\":[0,4]}}", 4, "tensor 'w'", "\"shape\" element 0 is -1");
        refused("{\"w\":{\"dtype\":\"F32\",\"shape\":[1.0],\"data_offsets\":[0,4]}}", 4, "\"shape\" element 0 is 1.0");
        refused("{\"w\":{\"dtype\":\"F32\",\"shape\":[null],\"data_offsets\":[0,4]}}", 4, "\"shape\" element 0 is null");
        refused("{\"w\":{\"dtype\":\"F32\",\"shape\":[18446744073709551616],\"data_offsets\":[0,4]}}", 4,
                "\"shape\" element 0 is 18446744073709551616");
        refused("{\"w\":{\"dtype\":\"F32\",\"shape\":[1]}}", 4, "\"data_offsets\" is missing");
        refused("{\"w\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4,8]}}", 8, "\"data_offsets\" has 3 elements, expected 2");
        refused("{\"w\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4,0]}}", 4, "tensor 'w'", "[4, 0] end before they begin");
        refused("{\"__metadata__\":[],\"w\":{}}", 0, "__metadata__ is a JSON array");
        refused("{\"__metadata__\":{\"a\":1}}", 0, "__metadata__ entry 'a' is a JSON number, expected a string");
    }

    @Test
    void offsetsAndSizes() {
        refused("{\"w\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4611686018427387904]}}", 4,
                "tensor 'w'", "run past the end of the 4-byte data section");
        refused("{\"w\":{\"dtype\":\"F32\",\"shape\":[4294967296,4294967296,4294967296],\"data_offsets\":[0,4]}}", 4,
                "tensor 'w'", "overflows a 64-bit byte count");
        refused("{\"w\":{\"dtype\":\"F64\",\"shape\":[1152921504606846976],\"data_offsets\":[0,8]}}", 8,
                "tensor 'w'", "overflows a 64-bit byte count");
        refused("{\"w\":{\"dtype\":\"F32\",\"shape\":[3],\"data_offsets\":[0,8]}}", 8,
                "tensor 'w'", "shape [3] of F32 needs 12 bytes but data_offsets [0, 8] hold 8");
        refused(W + ",\"v\":{\"dtype\":\"I8\",\"shape\":[4],\"data_offsets\":[4,8]}}", 8,
                "tensor 'v'", "overlaps tensor 'w', which ends at 8");
        refused(W + ",\"v\":{\"dtype\":\"I8\",\"shape\":[4],\"data_offsets\":[12,16]}}", 16,
                "tensor 'v' starts at data offset 12 but the tensors before it end at 8", "without gaps");
        refused("{\"w\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[4,12]}}", 12, "tensor 'w' starts at data offset 4");
        refused(W + "}", 9, "the tensors cover 8 of the 9 data bytes; the last 1 belong to no tensor");
        refused("{}", 3, "the tensors cover 0 of the 3 data bytes");
        refused(W + "}", 7, "tensor 'w'", "run past the end of the 7-byte data section");
        refused(W + ",\"z\":{\"dtype\":\"F32\",\"shape\":[0],\"data_offsets\":[4,4]}}", 8, "tensor 'z' (data_offsets [4, 4]) overlaps tensor 'w'");
    }

    @Test
    void acceptsWhatTheReferenceAccepts() throws IOException {
        // unknown entry fields ignored, null metadata, padding, zero-size tensors at the end
        byte[] ok = file("{\"__metadata__\":null,\"w\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8],\"extra\":1},"
                + "\"z\":{\"dtype\":\"BOOL\",\"shape\":[0,5],\"data_offsets\":[8,8]}}   ", 8);
        SafeTensorsFile f = SafeTensors.read(SafeTensorsTestData.write(dir, "ok.safetensors", ok));
        assertTrue(f.metadata().isEmpty());
        assertTrue(f.contains("w") && f.contains("z") && f.size() == 2);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> f.get("missing"));
        assertTrue(e.getMessage().contains("no tensor named 'missing'") && e.getMessage().contains("[w, z]"), e.getMessage());
    }
}
