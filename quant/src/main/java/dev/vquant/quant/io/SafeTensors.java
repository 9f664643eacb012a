package dev.vquant.quant.io;

import java.io.EOFException;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Reads and writes safetensors files, the format of Hugging Face's {@code safetensors} library
 * ({@code safetensors.torch.save_file} / {@code load_file}): an 8-byte little-endian header length,
 * a UTF-8 JSON header, then the tensors' little-endian bytes.
 *
 * <pre>{@code
 * SafeTensorsFile f = SafeTensors.read(Path.of("cnn_float.safetensors"));
 * float[] w = f.get("stem1.0.weight").toFloatArray();     // PyTorch's names, shapes and element order
 * SafeTensors.write(Path.of("out.safetensors"), Map.of("fc.weight", StoredTensor.ofFloat(shape, w)),
 *         Map.of("format", "pt"));
 * }</pre>
 *
 * <p>Reading checks the whole header before touching the data: header length against the file size
 * and the format's 100 MB cap, JSON syntax, unique names, known dtypes, non-negative shapes and
 * offsets, {@code product(shape) * dtype size} (overflow-checked) equal to each tensor's byte range,
 * and the ranges tiling the data section exactly. A malformed file ends in an {@link IOException}
 * naming the file, the tensor and the problem; nothing is allocated in proportion to what a header
 * claims, only to the file's real size. The data section is memory-mapped read-only.
 *
 * <p>Writing is deterministic and byte-identical to the reference implementation's for the same
 * tensors (metadata keys sorted; see {@link #write(Path, Map, Map)}).
 */
public final class SafeTensors {
    /** Largest slice handed to one channel write (ByteBuffers are int-indexed). */
    private static final long WRITE_CHUNK = 1L << 30;

    private SafeTensors() {
    }

    /**
     * Reads a safetensors file.
     *
     * <p>The returned tensors view the file through a read-only memory mapping that lives as long as
     * any of them is reachable; the file must not be truncated meanwhile (writing a new version with
     * {@link #write} is safe: it replaces the file rather than overwriting it).
     *
     * @param path the file to read
     * @return the tensors in header order and the metadata
     * @throws IOException              for an unreadable or malformed file, naming the tensor and problem
     * @throws IllegalArgumentException for a null path
     */
    public static SafeTensorsFile read(Path path) throws IOException {
        if (path == null) {
            throw new IllegalArgumentException("path must not be null");
        }
        try (FileChannel channel = FileChannel.open(path, StandardOpenOption.READ)) {
            long size = channel.size();
            if (size < 8) {
                throw new IOException(path + ": " + size + " bytes, too short for a safetensors file"
                        + " (it starts with an 8-byte header length)");
            }
            ByteBuffer lengthBytes = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
            readFully(channel, lengthBytes, 0, path);
            long headerLength = lengthBytes.getLong(0);
            if (headerLength < 0 || headerLength > SafeTensorsHeader.MAX_HEADER_BYTES) {
                throw new IOException(path + ": header length " + Long.toUnsignedString(headerLength)
                        + " exceeds the format's limit of " + SafeTensorsHeader.MAX_HEADER_BYTES + " bytes");
            }
            if (headerLength > size - 8) {
                throw new IOException(path + ": header length " + headerLength + " runs past the end of the "
                        + size + "-byte file");
            }
            byte[] header = new byte[(int) headerLength]; // bounded by the file's real size and the 100 MB cap
            readFully(channel, ByteBuffer.wrap(header), 8, path);
            long dataStart = 8 + headerLength;
            long dataLength = size - dataStart;
            SafeTensorsHeader parsed = SafeTensorsHeader.parse(header, dataLength, path.toString());
            MemorySegment data = dataLength == 0
                    ? MemorySegment.ofArray(new byte[0]).asReadOnly()
                    : channel.map(FileChannel.MapMode.READ_ONLY, dataStart, dataLength, Arena.ofAuto());
            Map<String, StoredTensor> tensors = new LinkedHashMap<>();
            for (SafeTensorsHeader.Entry e : parsed.entries()) {
                tensors.put(e.name(), new StoredTensor(e.dtype(), e.shape(), data.asSlice(e.begin(), e.end() - e.begin())));
            }
            return new SafeTensorsFile(tensors, parsed.metadata());
        }
    }

    /**
     * Writes tensors without metadata; see {@link #write(Path, Map, Map)}.
     *
     * @param path    the file to write (replaced when present)
     * @param tensors the tensors by name
     * @throws IOException as {@link #write(Path, Map, Map)}
     */
    public static void write(Path path, Map<String, StoredTensor> tensors) throws IOException {
        write(path, tensors, Map.of());
    }

    /**
     * Writes the tensors and metadata of {@code file}; see {@link #write(Path, Map, Map)}.
     *
     * @param path the file to write (replaced when present)
     * @param file the tensors and metadata
     * @throws IOException as {@link #write(Path, Map, Map)}
     */
    public static void write(Path path, SafeTensorsFile file) throws IOException {
        if (file == null) {
            throw new IllegalArgumentException("file must not be null");
        }
        write(path, file.tensors(), file.metadata());
    }

    /**
     * Writes a safetensors file as {@code safetensors.torch.save_file(tensors, path, metadata)} does:
     * tensors laid out by descending dtype (the reference implementation's order: U64, I64, F64, F32,
     * U32, I32, BF16, F16, U16, I16, F8, I8, U8, BOOL) then by name, {@code __metadata__} first in the
     * header (omitted when empty, keys sorted), the header padded with spaces to a multiple of 8 bytes.
     * The same arguments always give the same bytes.
     *
     * <p>The file is written beside {@code path} under a temporary name and then moved over it, so a
     * reader (or a mapping of the old file) never sees a half-written file.
     *
     * @param path     the file to write (replaced when present)
     * @param tensors  the tensors by name
     * @param metadata string-to-string metadata, e.g. {@code {"format": "pt"}}; null or empty for none
     * @throws IllegalArgumentException for a null argument, name, tensor, key or value, a name
     *                                  {@code __metadata__}, or a header over 100 MB
     * @throws IOException              when the file cannot be written
     */
    public static void write(Path path, Map<String, StoredTensor> tensors, Map<String, String> metadata)
            throws IOException {
        if (path == null) {
            throw new IllegalArgumentException("path must not be null");
        }
        SafeTensorsFile checked = new SafeTensorsFile(tensors, metadata); // null checks, a stable copy
        SafeTensorsHeader.Encoded header = SafeTensorsHeader.encode(checked.tensors(), checked.metadata());

        Path target = path.toAbsolutePath();
        if (Files.isDirectory(target)) {
            throw new IOException(target + " is a directory");
        }
        Path temporary = target.resolveSibling("." + target.getFileName() + "."
                + Long.toHexString(ThreadLocalRandom.current().nextLong()) + ".tmp");
        boolean moved = false;
        try {
            try (FileChannel channel = FileChannel.open(temporary, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                ByteBuffer length = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(0, header.bytes().length);
                writeFully(channel, length);
                writeFully(channel, ByteBuffer.wrap(header.bytes()));
                for (Map.Entry<String, StoredTensor> e : header.dataOrder()) {
                    MemorySegment data = e.getValue().data();
                    for (long at = 0; at < data.byteSize(); at += WRITE_CHUNK) {
                        writeFully(channel, data.asSlice(at, Math.min(WRITE_CHUNK, data.byteSize() - at)).asByteBuffer());
                    }
                }
            }
            try {
                Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temporary, target, StandardCopyOption.REPLACE_EXISTING);
            }
            moved = true;
        } finally {
            if (!moved) {
                Files.deleteIfExists(temporary);
            }
        }
    }

    private static void readFully(FileChannel channel, ByteBuffer into, long position, Path path) throws IOException {
        long at = position;
        while (into.hasRemaining()) {
            int n = channel.read(into, at);
            if (n < 0) {
                throw new EOFException(path + ": the file ended at byte " + at + " while reading (was it truncated?)");
            }
            at += n;
        }
    }

    private static void writeFully(FileChannel channel, ByteBuffer from) throws IOException {
        while (from.hasRemaining()) {
            channel.write(from);
        }
    }
}
