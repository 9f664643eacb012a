package dev.vquant.quant.io;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The JSON header of a safetensors file: parsing with every offset, length and shape checked against
 * the data section, and writing in the reference implementation's byte layout.
 *
 * <p>Format: {@code {"<name>": {"dtype": "F32", "shape": [2, 3], "data_offsets": [begin, end]}, ...,
 * "__metadata__": {"<key>": "<value>", ...}}}, offsets relative to the start of the data section,
 * which the tensors must cover contiguously, without gaps or overlaps, to its last byte.
 */
final class SafeTensorsHeader {
    /** The reference implementation's cap on the header length (100 MB). */
    static final long MAX_HEADER_BYTES = 100_000_000L;
    /** The reserved key of the string-to-string metadata. */
    static final String METADATA_KEY = "__metadata__";

    /** Parser: duplicate keys and trailing tokens rejected, names and strings up to the header cap, no shared symbol table. */
    private static final ObjectMapper READER = new ObjectMapper(JsonFactory.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .disable(JsonFactory.Feature.CANONICALIZE_FIELD_NAMES)
            .streamReadConstraints(StreamReadConstraints.builder()
                    .maxStringLength((int) MAX_HEADER_BYTES)
                    .maxNameLength((int) MAX_HEADER_BYTES)
                    .build())
            .build())
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY);

    /**
     * Writer: compact, as serde_json (the reference) writes: characters outside the BMP as 4-byte
     * UTF-8 (not escaped surrogate pairs), lower-case hex digits in the escapes of control characters.
     */
    private static final JsonFactory WRITER = JsonFactory.builder()
            .enable(JsonWriteFeature.COMBINE_UNICODE_SURROGATES_IN_UTF8)
            .disable(JsonWriteFeature.WRITE_HEX_UPPER_CASE)
            .build();

    /** One tensor's entry. */
    record Entry(String name, SafeTensorsDType dtype, long[] shape, long begin, long end) {
    }

    /** A header ready to write: its padded bytes and the tensors in the order their data follows it. */
    record Encoded(byte[] bytes, List<Map.Entry<String, StoredTensor>> dataOrder) {
    }

    private final List<Entry> entries;
    private final Map<String, String> metadata;

    private SafeTensorsHeader(List<Entry> entries, Map<String, String> metadata) {
        this.entries = entries;
        this.metadata = metadata;
    }

    /** The tensor entries in header order. */
    List<Entry> entries() {
        return entries;
    }

    /** The metadata in header order (empty when there is none). */
    Map<String, String> metadata() {
        return metadata;
    }

    // ---------------------------------------------------------------- reading

    /**
     * Parses and validates a header.
     *
     * @param json       the header bytes (UTF-8 JSON, possibly padded with spaces)
     * @param dataLength bytes in the data section that follows the header
     * @param source     what the messages call the file
     * @throws IOException naming the tensor and the problem, for anything malformed
     */
    static SafeTensorsHeader parse(byte[] json, long dataLength, String source) throws IOException {
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(json)).toString();
        } catch (CharacterCodingException e) {
            throw new IOException(source + ": the header is not valid UTF-8");
        }
        JsonNode root;
        try {
            root = READER.readTree(text);
        } catch (JacksonException e) {
            JsonLocation at = e.getLocation();
            throw new IOException(source + ": the header is not valid JSON: " + e.getOriginalMessage()
                    + (at == null ? "" : " (line " + at.getLineNr() + ", column " + at.getColumnNr() + ")"));
        }
        if (root == null || root.isMissingNode()) {
            throw new IOException(source + ": the header is empty (expected a JSON object)");
        }
        if (!root.isObject()) {
            throw new IOException(source + ": the header is a JSON " + root.getNodeType().name().toLowerCase()
                    + ", expected an object of tensor entries");
        }
        List<Entry> entries = new ArrayList<>();
        Map<String, String> metadata = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> property : root.properties()) {
            if (property.getKey().equals(METADATA_KEY)) {
                readMetadata(property.getValue(), metadata, source);
            } else {
                entries.add(readEntry(property.getKey(), property.getValue(), dataLength, source));
            }
        }
        checkCoverage(entries, dataLength, source);
        return new SafeTensorsHeader(List.copyOf(entries), metadata);
    }

    private static void readMetadata(JsonNode node, Map<String, String> into, String source) throws IOException {
        if (node.isNull()) {
            return; // the reference implementation reads null as "no metadata"
        }
        if (!node.isObject()) {
            throw new IOException(source + ": " + METADATA_KEY + " is a JSON " + kind(node)
                    + ", expected an object of strings");
        }
        for (Map.Entry<String, JsonNode> e : node.properties()) {
            if (!e.getValue().isTextual()) {
                throw new IOException(source + ": " + METADATA_KEY + " entry '" + e.getKey() + "' is a JSON "
                        + kind(e.getValue()) + ", expected a string");
            }
            into.put(e.getKey(), e.getValue().textValue());
        }
    }

    private static Entry readEntry(String name, JsonNode node, long dataLength, String source) throws IOException {
        String where = source + ": tensor '" + name + "'";
        if (!node.isObject()) {
            throw new IOException(where + ": the entry is a JSON " + kind(node)
                    + ", expected {\"dtype\", \"shape\", \"data_offsets\"}");
        }
        JsonNode dtypeNode = node.get("dtype");
        if (dtypeNode == null || !dtypeNode.isTextual()) {
            throw new IOException(where + ": \"dtype\" is " + (dtypeNode == null ? "missing" : "a JSON " + kind(dtypeNode))
                    + ", expected a string such as \"F32\"");
        }
        SafeTensorsDType dtype;
        try {
            dtype = SafeTensorsDType.fromHeaderName(dtypeNode.textValue());
        } catch (IllegalArgumentException e) {
            throw new IOException(where + ": " + e.getMessage());
        }
        long[] shape = readNaturals(node.get("shape"), "shape", -1, where);
        long[] offsets = readNaturals(node.get("data_offsets"), "data_offsets", 2, where);
        long begin = offsets[0];
        long end = offsets[1];
        if (end < begin) {
            throw new IOException(where + ": data_offsets [" + begin + ", " + end + "] end before they begin");
        }
        if (end > dataLength) {
            throw new IOException(where + ": data_offsets [" + begin + ", " + end + "] run past the end of the "
                    + dataLength + "-byte data section");
        }
        long bytes;
        try {
            bytes = StoredTensor.byteLength(shape, dtype);
        } catch (ArithmeticException e) {
            throw new IOException(where + ": shape " + Arrays.toString(shape) + " of " + dtype
                    + " overflows a 64-bit byte count");
        }
        if (bytes != end - begin) {
            throw new IOException(where + ": shape " + Arrays.toString(shape) + " of " + dtype + " needs " + bytes
                    + " bytes but data_offsets [" + begin + ", " + end + "] hold " + (end - begin));
        }
        return new Entry(name, dtype, shape, begin, end);
    }

    /** A JSON array of non-negative 64-bit integers ({@code length} of them, or any number when -1). */
    private static long[] readNaturals(JsonNode node, String field, int length, String where) throws IOException {
        if (node == null || !node.isArray()) {
            throw new IOException(where + ": \"" + field + "\" is " + (node == null ? "missing" : "a JSON " + kind(node))
                    + ", expected an array of non-negative integers");
        }
        if (length >= 0 && node.size() != length) {
            throw new IOException(where + ": \"" + field + "\" has " + node.size() + " elements, expected " + length);
        }
        long[] out = new long[node.size()];
        for (int i = 0; i < out.length; i++) {
            JsonNode v = node.get(i);
            if (!v.isIntegralNumber() || !v.canConvertToLong() || v.longValue() < 0) {
                throw new IOException(where + ": \"" + field + "\" element " + i + " is " + describeValue(v)
                        + ", expected an integer in [0, 2^63-1]");
            }
            out[i] = v.longValue();
        }
        return out;
    }

    /** Tensors sorted by offsets must tile the data section exactly: no gap, no overlap, nothing left over. */
    private static void checkCoverage(List<Entry> entries, long dataLength, String source) throws IOException {
        List<Entry> byOffset = new ArrayList<>(entries);
        byOffset.sort(Comparator.comparingLong(Entry::begin).thenComparingLong(Entry::end));
        long covered = 0;
        String previous = null;
        for (Entry e : byOffset) {
            if (e.begin() > covered) {
                throw new IOException(source + ": tensor '" + e.name() + "' starts at data offset " + e.begin()
                        + " but the tensors before it end at " + covered
                        + "; the tensors must cover the data section without gaps");
            }
            if (e.begin() < covered) {
                throw new IOException(source + ": tensor '" + e.name() + "' (data_offsets [" + e.begin() + ", "
                        + e.end() + "]) overlaps tensor '" + previous + "', which ends at " + covered);
            }
            covered = e.end();
            previous = e.name();
        }
        if (covered != dataLength) {
            throw new IOException(source + ": the tensors cover " + covered + " of the " + dataLength
                    + " data bytes; the last " + (dataLength - covered) + " belong to no tensor");
        }
    }

    private static String kind(JsonNode node) {
        return node.getNodeType().name().toLowerCase();
    }

    private static String describeValue(JsonNode v) {
        String text = v.toString();
        return text.length() > 40 ? "a JSON " + kind(v) + " (" + text.substring(0, 40) + "...)" : text;
    }

    // ---------------------------------------------------------------- writing

    /**
     * The header for these tensors laid out as the reference implementation lays them out: by
     * descending dtype (its enum order, so larger elements first and every tensor aligned), then by
     * name in UTF-8 byte order; {@code __metadata__} first, its keys sorted the same way (the
     * reference writes a hash map's order, which is not reproducible); compact JSON padded with
     * spaces to a multiple of 8 bytes.
     *
     * @throws IllegalArgumentException for a reserved or unencodable name, or a header over 100 MB
     */
    static Encoded encode(Map<String, StoredTensor> tensors, Map<String, String> metadata) {
        List<Map.Entry<String, StoredTensor>> sorted = new ArrayList<>(tensors.entrySet());
        sorted.sort(Comparator.<Map.Entry<String, StoredTensor>>comparingInt(e -> -e.getValue().dtype().ordinal())
                .thenComparing(Map.Entry::getKey, SafeTensorsHeader::compareUtf8));
        List<String> metadataKeys = new ArrayList<>(metadata.keySet());
        metadataKeys.sort(SafeTensorsHeader::compareUtf8);

        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (JsonGenerator g = WRITER.createGenerator(out)) {
            g.writeStartObject();
            if (!metadata.isEmpty()) {
                g.writeObjectFieldStart(METADATA_KEY);
                for (String key : metadataKeys) {
                    g.writeStringField(requireEncodable(key, "metadata key"),
                            requireEncodable(metadata.get(key), "metadata value of '" + key + "'"));
                }
                g.writeEndObject();
            }
            long offset = 0;
            for (Map.Entry<String, StoredTensor> e : sorted) {
                String name = requireEncodable(e.getKey(), "tensor name");
                if (name.equals(METADATA_KEY)) {
                    throw new IllegalArgumentException("'" + METADATA_KEY + "' is reserved and cannot name a tensor");
                }
                StoredTensor t = e.getValue();
                g.writeObjectFieldStart(name);
                g.writeStringField("dtype", t.dtype().headerName());
                g.writeArrayFieldStart("shape");
                for (long d : t.shape()) {
                    g.writeNumber(d);
                }
                g.writeEndArray();
                g.writeArrayFieldStart("data_offsets");
                g.writeNumber(offset);
                offset = Math.addExact(offset, t.byteSize());
                g.writeNumber(offset);
                g.writeEndArray();
                g.writeEndObject();
            }
            g.writeEndObject();
        } catch (IOException e) {
            throw new IllegalStateException("writing JSON to memory failed", e); // a ByteArrayOutputStream does not fail
        }
        int pad = (8 - out.size() % 8) % 8;
        for (int i = 0; i < pad; i++) {
            out.write(' ');
        }
        if (out.size() > MAX_HEADER_BYTES) {
            throw new IllegalArgumentException("the header would take " + out.size() + " bytes, over the format's "
                    + MAX_HEADER_BYTES + "-byte limit (too many or too long names and metadata)");
        }
        return new Encoded(out.toByteArray(), List.copyOf(sorted));
    }

    /** Order of UTF-8 bytes, which is code point order (String.compareTo orders UTF-16 units instead). */
    static int compareUtf8(String a, String b) {
        int i = 0;
        int j = 0;
        while (i < a.length() && j < b.length()) {
            int ca = a.codePointAt(i);
            int cb = b.codePointAt(j);
            if (ca != cb) {
                return Integer.compare(ca, cb);
            }
            i += Character.charCount(ca);
            j += Character.charCount(cb);
        }
        return Integer.compare(a.length() - i, b.length() - j);
    }

    /** Null and unpaired surrogates have no UTF-8 encoding, hence no place in a header. */
    private static String requireEncodable(String s, String what) {
        if (s == null) {
            throw new IllegalArgumentException(what + " must not be null");
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                throw new IllegalArgumentException(what + " '" + s + "' has an unpaired surrogate at index " + i
                        + " and cannot be written as UTF-8");
            }
        }
        return s;
    }
}
