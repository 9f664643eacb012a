/**
 * The {@code "qnnpack"} engine: {@link dev.vquant.arm.ArmBackend}, the
 * {@link dev.vquant.engine.spi.KernelBackend} that {@link java.util.ServiceLoader} finds, with
 * QNNPACK's numerics and 128-bit (NEON-width) kernels; the default engine on aarch64. The kernel
 * families live in the sub-packages; {@code tools/test-arm.sh} runs their tests on an arm64 JVM.
 */
package dev.vquant.arm;
