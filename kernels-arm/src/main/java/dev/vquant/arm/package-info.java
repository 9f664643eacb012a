/**
 * The {@code "qnnpack"} engine: {@link dev.vquant.arm.ArmBackend}, the
 * {@link dev.vquant.engine.spi.KernelBackend} that {@link java.util.ServiceLoader} finds, with
 * QNNPACK's numerics and 128-bit (NEON-width) kernels; the default engine on aarch64. The kernel
 * families live in the sub-packages; {@code tools/test-arm.sh} runs their tests on an arm64 JVM.
 *
 * <p>C2 types an accumulator carried around a loop as the abstract vector class, and a final method
 * called on it binds its inner calls by a type profile every vector width in the JVM shares: after
 * the fbgemm engine's wider kernels have run, that profile can send a kernel to the boxed fallback.
 * The kernels therefore add fresh values to accumulators with the fresh value as the receiver
 * ({@code s = u.add(s)}) and store accumulators through a cast to the species' class kept in a
 * static final {@code EXACT} field, which makes their type exact.
 */
package dev.vquant.arm;
