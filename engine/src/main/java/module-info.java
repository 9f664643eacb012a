/**
 * vquant's engine: tensors, quantization parameters, the engine switch and the kernel SPI that
 * backends implement ({@link dev.vquant.engine.spi.KernelBackend}, found with
 * {@link java.util.ServiceLoader}), with the scalar reference backend. Needs no incubator module.
 *
 * @uses dev.vquant.engine.spi.KernelBackend
 * @provides dev.vquant.engine.spi.KernelBackend the scalar {@code "reference"} engine
 */
module dev.vquant.engine {
    requires java.logging;

    exports dev.vquant.engine;
    exports dev.vquant.engine.spi;
    exports dev.vquant.engine.reference;

    uses dev.vquant.engine.spi.KernelBackend;

    provides dev.vquant.engine.spi.KernelBackend with dev.vquant.engine.reference.ReferenceBackend;
}
