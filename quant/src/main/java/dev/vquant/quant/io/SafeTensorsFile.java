package dev.vquant.quant.io;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The contents of a safetensors file: its tensors by name, in the order of the file's header, and
 * its {@code __metadata__} (string to string, possibly empty). Immutable.
 *
 * <p>The tensors of a file that {@link SafeTensors#read} returned view the memory-mapped file, which
 * stays mapped while any of them is reachable.
 */
public final class SafeTensorsFile {
    private final Map<String, StoredTensor> tensors;
    private final Map<String, String> metadata;

    /**
     * Tensors and metadata (both copied, order kept).
     *
     * @param tensors  the tensors by name
     * @param metadata the {@code __metadata__} entries (string to string)
     * @throws IllegalArgumentException for a null map, name, tensor, key or value
     */
    public SafeTensorsFile(Map<String, StoredTensor> tensors, Map<String, String> metadata) {
        if (tensors == null) {
            throw new IllegalArgumentException("tensors must not be null");
        }
        Map<String, StoredTensor> t = new LinkedHashMap<>();
        tensors.forEach((name, tensor) -> {
            if (name == null || tensor == null) {
                throw new IllegalArgumentException("null tensor name or tensor (" + name + " -> " + tensor + ")");
            }
            t.put(name, tensor);
        });
        Map<String, String> m = new LinkedHashMap<>();
        if (metadata != null) {
            metadata.forEach((key, value) -> {
                if (key == null || value == null) {
                    throw new IllegalArgumentException("null metadata key or value (" + key + " -> " + value + ")");
                }
                m.put(key, value);
            });
        }
        this.tensors = Collections.unmodifiableMap(t);
        this.metadata = Collections.unmodifiableMap(m);
    }

    /** {@return the tensors by name, in file order (unmodifiable)} */
    public Map<String, StoredTensor> tensors() {
        return tensors;
    }

    /** {@return the {@code __metadata__} entries, in file order (unmodifiable; empty when the file has none)} */
    public Map<String, String> metadata() {
        return metadata;
    }

    /** {@return the tensor names, in file order} */
    public Set<String> names() {
        return tensors.keySet();
    }

    /**
     * Whether a tensor of this name is present.
     *
     * @param name a tensor name
     * @return whether the file holds a tensor of this name
     */
    public boolean contains(String name) {
        return tensors.containsKey(name);
    }

    /**
     * The tensor of this name.
     *
     * @param name a tensor name
     * @return the tensor
     * @throws IllegalArgumentException when there is none (the message lists how many there are)
     */
    public StoredTensor get(String name) {
        StoredTensor t = tensors.get(name);
        if (t == null) {
            throw new IllegalArgumentException("no tensor named '" + name + "' (the file has " + tensors.size()
                    + " tensors" + (tensors.size() <= 20 ? ": " + tensors.keySet() : "") + ")");
        }
        return t;
    }

    /** {@return number of tensors} */
    public int size() {
        return tensors.size();
    }

    /** Same tensors under the same names and the same metadata, in any order (as {@link Map#equals}). */
    @Override
    public boolean equals(Object o) {
        return o instanceof SafeTensorsFile f && tensors.equals(f.tensors) && metadata.equals(f.metadata);
    }

    @Override
    public int hashCode() {
        return 31 * tensors.hashCode() + metadata.hashCode();
    }

    @Override
    public String toString() {
        return "SafeTensorsFile(" + tensors.size() + " tensors, metadata " + metadata + ")";
    }
}
