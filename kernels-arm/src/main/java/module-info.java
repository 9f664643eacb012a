/**
 * The {@code "qnnpack"} engine: 128-bit (NEON-width) kernels on the Vector API, offered to the
 * engine as a {@link dev.vquant.engine.spi.KernelBackend} service. Exports nothing: operators
 * reach the kernels through the SPI.
 *
 * @provides dev.vquant.engine.spi.KernelBackend the {@code "qnnpack"} engine
 */
module dev.vquant.kernels.arm {
    requires dev.vquant.engine;
    requires jdk.incubator.vector;

    provides dev.vquant.engine.spi.KernelBackend with dev.vquant.arm.ArmBackend;
}
