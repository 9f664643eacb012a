package dev.vquant.quant.io;

import dev.vquant.engine.DType;
import dev.vquant.engine.QParams;
import dev.vquant.engine.QTensor;
import dev.vquant.quant.Tensor;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * State dicts ({@code Map<String, Tensor>}, PyTorch's names) to and from safetensors files, in the
 * flattened layout PyTorch-converted models are exported in (and that {@code tools/export_int8.py}
 * writes): a quantized tensor {@code X} is stored as its integers {@code X} (I8 for qint8, U8 for
 * quint8, PyTorch's shape and order), {@code X_scale} (F64, one per channel or one) and
 * {@code X_zero_point} (I64); per-channel qparams are along axis 0. Entries named {@code scale}
 * are written as F64 and {@code zero_point} as I64, as PyTorch's quantized modules save them;
 * every other float entry as F32. On reading, every numeric dtype becomes float32 (exactly for
 * the integers a state dict holds, e.g. {@code num_batches_tracked}), and an I8/U8 entry with its
 * {@code _scale} and {@code _zero_point} companions becomes one quantized tensor.
 */
public final class StateDicts {
    private static final String SCALE = "_scale";
    private static final String ZERO_POINT = "_zero_point";

    private StateDicts() {
    }

    /**
     * Reads a state dict from a safetensors file.
     *
     * @param path the safetensors file
     * @return the state dict, PyTorch's names to tensors (quantized entries as quantized tensors)
     * @throws IOException when the file cannot be read or is malformed, or a quantized entry's
     *                     companions do not fit it (naming the entry)
     */
    public static Map<String, Tensor> load(Path path) throws IOException {
        return fromFile(SafeTensors.read(path), path.toString());
    }

    /**
     * The state dict a read file holds (see the class comment for the mapping).
     *
     * @param file   the file's tensors and metadata
     * @param source where the file came from, named in exception messages
     * @return the state dict, PyTorch's names to tensors
     * @throws IOException naming {@code source} and the entry when a quantized entry is inconsistent
     */
    public static Map<String, Tensor> fromFile(SafeTensorsFile file, String source) throws IOException {
        Objects.requireNonNull(file, "file");
        Map<String, Tensor> out = new LinkedHashMap<>();
        for (Map.Entry<String, StoredTensor> e : file.tensors().entrySet()) {
            String name = e.getKey();
            StoredTensor t = e.getValue();
            if (isCompanion(file, name)) {
                continue;
            }
            boolean integerBytes = t.dtype() == SafeTensorsDType.I8 || t.dtype() == SafeTensorsDType.U8;
            if (integerBytes && file.contains(name + SCALE) && file.contains(name + ZERO_POINT)) {
                out.put(name, quantized(name, t, file.get(name + SCALE), file.get(name + ZERO_POINT), source));
            } else {
                out.put(name, Tensor.of(t.toFloatArray(), t.intShape()));
            }
        }
        return out;
    }

    private static boolean isCompanion(SafeTensorsFile file, String name) {
        for (String suffix : new String[]{SCALE, ZERO_POINT}) {
            if (name.endsWith(suffix)) {
                String base = name.substring(0, name.length() - suffix.length());
                if (file.contains(base)) {
                    SafeTensorsDType d = file.get(base).dtype();
                    if (d == SafeTensorsDType.I8 || d == SafeTensorsDType.U8) {
                        return true;
                    }
                }
            }
        }
        return false;
    }

    private static Tensor quantized(String name, StoredTensor ints, StoredTensor scales, StoredTensor zeroPoints, String source)
            throws IOException {
        DType dtype = ints.dtype() == SafeTensorsDType.I8 ? DType.QINT8 : DType.QUINT8;
        int[] shape = ints.intShape();
        double[] s = scales.toDoubleArray();
        long[] z = zeroPoints.toLongArray();
        if (s.length != z.length || (s.length != 1 && (shape.length == 0 || s.length != shape[0]))) {
            throw new IOException(source + ": quantized entry '" + name + "' of shape " + Arrays.toString(shape) + " has "
                    + s.length + " scales and " + z.length + " zero points; expected 1 each, or one per index of axis 0");
        }
        int[] zp = new int[z.length];
        for (int i = 0; i < z.length; i++) {
            if (z[i] < dtype.min() || z[i] > dtype.max()) {
                throw new IOException(source + ": quantized entry '" + name + "' has zero point " + z[i] + " outside " + dtype);
            }
            zp[i] = (int) z[i];
        }
        try {
            // one pair is per tensor (per channel over a single channel computes the same)
            QParams q = s.length == 1 ? QParams.perTensor(s[0], zp[0], dtype) : QParams.perChannel(s, zp, 0, dtype);
            return Tensor.ofQuantized(QTensor.of(ints.toByteArray(), shape, q));
        } catch (IllegalArgumentException e) {
            throw new IOException(source + ": quantized entry '" + name + "': " + e.getMessage(), e);
        }
    }

    /**
     * Writes a state dict (see the class comment for the mapping), with optional metadata.
     *
     * @param path     the file to write (replaced when present)
     * @param state    the state dict, e.g. {@code model.stateDict()}
     * @param metadata string-to-string metadata; empty for none
     * @throws IOException              when the file cannot be written
     * @throws IllegalArgumentException when an entry cannot be stored (a qint32 tensor, or a name
     *                                  that collides with a quantized entry's companion)
     */
    public static void save(Path path, Map<String, Tensor> state, Map<String, String> metadata) throws IOException {
        SafeTensors.write(path, toStored(state), metadata == null ? Map.of() : metadata);
    }

    /**
     * {@code save(path, state, Map.of())}.
     *
     * @param path  the file to write (replaced when present)
     * @param state the state dict, e.g. {@code model.stateDict()}
     * @throws IOException as {@link #save(Path, Map, Map)}
     */
    public static void save(Path path, Map<String, Tensor> state) throws IOException {
        save(path, state, Map.of());
    }

    /**
     * The safetensors entries of a state dict.
     *
     * @param state the state dict
     * @return the entries a file of it holds, in order
     */
    public static Map<String, StoredTensor> toStored(Map<String, Tensor> state) {
        Objects.requireNonNull(state, "state");
        Map<String, StoredTensor> out = new LinkedHashMap<>();
        for (Map.Entry<String, Tensor> e : state.entrySet()) {
            String name = e.getKey();
            Tensor t = e.getValue();
            long[] shape = Arrays.stream(t.shape()).asLongStream().toArray();
            if (t.isQuantized()) {
                QTensor q = t.toQuantizedContiguous();
                if (q.bytes() == null) {
                    throw new IllegalArgumentException(name + ": qint32 tensors have no safetensors form here");
                }
                QParams qp = q.qparams();
                if (qp instanceof QParams.PerChannel pc && pc.axis() != 0) {
                    throw new IllegalArgumentException(name + ": per-channel qparams must be along axis 0 to be saved, got axis "
                            + pc.axis());
                }
                double[] scales = new double[qp.count()];
                long[] zeroPoints = new long[qp.count()];
                for (int c = 0; c < scales.length; c++) {
                    scales[c] = qp.scale(c);
                    zeroPoints[c] = qp.zeroPoint(c);
                }
                put(out, name, q.dtype() == DType.QINT8 ? StoredTensor.ofByte(shape, q.bytes()) : StoredTensor.ofUnsignedByte(shape, q.bytes()));
                put(out, name + SCALE, StoredTensor.ofDouble(new long[]{scales.length}, scales));
                put(out, name + ZERO_POINT, StoredTensor.ofLong(new long[]{zeroPoints.length}, zeroPoints));
            } else if (name.equals("scale") || name.endsWith(".scale")) {
                float[] v = t.toFloatArray();
                double[] d = new double[v.length];
                for (int i = 0; i < v.length; i++) {
                    d[i] = v[i];
                }
                put(out, name, StoredTensor.ofDouble(shape, d));
            } else if (name.equals("zero_point") || name.endsWith(".zero_point")) {
                float[] v = t.toFloatArray();
                long[] l = new long[v.length];
                for (int i = 0; i < v.length; i++) {
                    l[i] = (long) v[i];
                }
                put(out, name, StoredTensor.ofLong(shape, l));
            } else {
                put(out, name, StoredTensor.ofFloat(shape, t.toFloatArray()));
            }
        }
        return out;
    }

    private static void put(Map<String, StoredTensor> out, String name, StoredTensor t) {
        if (out.putIfAbsent(name, t) != null) {
            throw new IllegalArgumentException("state dict entry '" + name + "' collides with a quantized entry's companion");
        }
    }
}
