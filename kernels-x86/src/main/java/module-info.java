/**
 * The {@code "fbgemm"} engine: x86-64 kernels at 512-bit or 256-bit width on the Vector API,
 * offered to the engine as a {@link dev.vquant.engine.spi.KernelBackend} service. Exports nothing:
 * operators reach the kernels through the SPI.
 *
 * @provides dev.vquant.engine.spi.KernelBackend the {@code "fbgemm"} engine (alias {@code "x86"})
 */
module dev.vquant.kernels.x86 {
    requires dev.vquant.engine;
    requires jdk.incubator.vector;
    requires java.logging;

    provides dev.vquant.engine.spi.KernelBackend with dev.vquant.x86.X86Backend;
}
