package dev.vquant.bench.report;

/**
 * One measured row: a model on one engine and thread count, batch 1, median milliseconds of the
 * float and int8 models (interleaved in one JVM), and the bytes of their saved weights.
 *
 * @param model      the registry's name
 * @param engine     the vquant engine (float kernels and int8 kernels both run on it)
 * @param isa        the engine's vector width ({@code V512}, {@code V128}, {@code REFERENCE}...)
 * @param threads    operator threads ({@code Threads.set})
 * @param floatMs    median ms per float forward
 * @param int8Ms     median ms per int8 forward
 * @param floatBytes bytes of the float model's state dict as safetensors entries
 * @param int8Bytes  bytes of the int8 model's state dict as safetensors entries (int8 weights, their qparams, float biases)
 */
public record ModelRow(String model, String engine, String isa, int threads, double floatMs, double int8Ms, long floatBytes,
                       long int8Bytes) {

    /** {@return float time / int8 time} */
    public double speedup() {
        return floatMs / int8Ms;
    }

    /** {@return float bytes / int8 bytes} */
    public double sizeRatio() {
        return (double) floatBytes / int8Bytes;
    }
}
