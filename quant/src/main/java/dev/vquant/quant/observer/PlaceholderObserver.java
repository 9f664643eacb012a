package dev.vquant.quant.observer;

import dev.vquant.engine.DType;
import dev.vquant.engine.FloatTensor;
import dev.vquant.engine.QParams;

import java.util.Optional;

/**
 * PyTorch's {@code PlaceholderObserver}: records nothing and carries a configuration to the
 * conversion step, for what needs no range: dynamic quantization (the activation's
 * {@code dtype}/{@code compute_dtype} quint8: quantized per batch at run time) or staying float
 * (no dtype: PyTorch's default {@code torch.float32}). {@link #calculateQParams()} throws, as in
 * PyTorch. Immutable.
 */
public final class PlaceholderObserver implements Observer {
    private final DType dtype;
    private final DType computeDtype;

    private PlaceholderObserver(Builder b) {
        this.dtype = b.dtype;
        this.computeDtype = b.computeDtype;
    }

    /** {@return a builder with PyTorch's defaults (float32: no quantized dtype, no compute dtype)} */
    public static Builder builder() {
        return new Builder();
    }

    /** Returns {@code x}; records nothing. */
    @Override
    public FloatTensor forward(FloatTensor x) {
        if (x == null) {
            throw new IllegalArgumentException("PlaceholderObserver.forward: input tensor must not be null");
        }
        return x;
    }

    /** @throws IllegalStateException always: a placeholder has no statistics (PyTorch raises too) */
    @Override
    public QParams calculateQParams() {
        throw new IllegalStateException("calculateQParams should not be called for PlaceholderObserver");
    }

    /** {@return the quantized dtype it stands for; empty for PyTorch's default {@code torch.float32}} */
    public Optional<DType> dtype() {
        return Optional.ofNullable(dtype);
    }

    /**
     * {@code compute_dtype}: present when the target op quantizes its input dynamically (per batch)
     * to this type.
     *
     * @return the dynamic quantization type, or empty
     */
    public Optional<DType> computeDtype() {
        return Optional.ofNullable(computeDtype);
    }

    @Override
    public String toString() {
        return "PlaceholderObserver(dtype=" + (dtype == null ? "float32" : dtype) + ", compute_dtype="
                + (computeDtype == null ? "None" : computeDtype) + ")";
    }

    /** Builds {@link PlaceholderObserver}s. */
    public static final class Builder {
        private DType dtype;
        private DType computeDtype;

        Builder() {
        }

        /**
         * {@code dtype}: a quantized type, or null for float32 (the default).
         *
         * @param dtype the quantized type, or null
         * @return this builder
         */
        public Builder dtype(DType dtype) {
            this.dtype = dtype;
            return this;
        }

        /**
         * {@code compute_dtype}: the dynamic quantization type, or null (the default).
         *
         * @param computeDtype the dynamic quantization type, or null
         * @return this builder
         */
        public Builder computeDtype(DType computeDtype) {
            this.computeDtype = computeDtype;
            return this;
        }

        /** {@return a new placeholder with these arguments} */
        public PlaceholderObserver build() {
            return new PlaceholderObserver(this);
        }

        /**
         * PyTorch's {@code with_args}: a factory of placeholders with the arguments as they are now.
         *
         * @return a factory of new placeholders
         */
        public ObserverFactory factory() {
            PlaceholderObserver frozen = build();
            return () -> new PlaceholderObserver(frozen);
        }
    }

    private PlaceholderObserver(PlaceholderObserver prototype) {
        this.dtype = prototype.dtype;
        this.computeDtype = prototype.computeDtype;
    }
}
