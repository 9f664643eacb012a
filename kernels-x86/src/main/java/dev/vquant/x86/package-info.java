/**
 * The {@code "fbgemm"} engine (alias {@code "x86"}): {@link dev.vquant.x86.X86Backend}, the
 * {@link dev.vquant.engine.spi.KernelBackend} that {@link java.util.ServiceLoader} finds, with
 * FBGEMM's numerics and 512-bit (AVX-512) or 256-bit (AVX2) kernels chosen once per JVM
 * ({@code -Dvquant.width=V256|V512} forces one). The kernel families live in the sub-packages;
 * each V256/V512 twin is generated from one template ({@code src/template/java}).
 */
package dev.vquant.x86;
