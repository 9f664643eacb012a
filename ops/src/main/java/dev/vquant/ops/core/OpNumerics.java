package dev.vquant.ops.core;

import dev.vquant.engine.spi.KernelBackend;

/**
 * Which PyTorch kernels an engine's operators reproduce where PyTorch's engines compute
 * differently (golden/NUMERICS.md): {@link #QNNPACK} on the "qnnpack" engine (PyTorch's QNNPACK
 * operators: int-bias requantization, fixed-point add, lookup-table activations, its average
 * pooling), {@link #ATEN} on "fbgemm" and "reference" (ATen's own x86 kernels, which PyTorch's
 * fbgemm, x86 and onednn engines run). This is the one place an engine name selects arithmetic;
 * a later issue moves these numerics behind the kernel SPI.
 */
public enum OpNumerics {
    /** ATen's vectorized CPU kernels (PyTorch's fbgemm / x86 / onednn engines). */
    ATEN,
    /** PyTorch's QNNPACK operators. */
    QNNPACK;

    /** The numerics {@code engine}'s operators follow. */
    public static OpNumerics of(KernelBackend engine) {
        return "qnnpack".equals(engine.name()) ? QNNPACK : ATEN;
    }
}
