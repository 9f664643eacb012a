/**
 * The {@code "fbgemm"} engine (alias {@code "x86"}): {@link dev.vquant.x86.X86Backend}, the
 * {@link dev.vquant.engine.spi.KernelBackend} that {@link java.util.ServiceLoader} finds, with
 * FBGEMM's numerics and 512-bit (AVX-512) or 256-bit (AVX2) kernels chosen once per JVM
 * ({@code -Dvquant.width=V256|V512} forces one). The kernel families live in the sub-packages;
 * each V256/V512 twin is generated from one template ({@code src/template/java}).
 *
 * <p>Loop-carried vectors and C2. At a loop head C2 types a vector local (an accumulator) as its
 * abstract class ({@code IntVector}), not the species' own class. A final method of that class
 * called on it ({@code add}, {@code mul(int)}, {@code intoArray}) binds its inner virtual calls by
 * the type profile of the shared {@code IntVector} bytecode, which every vector width in the JVM
 * writes into; once another width has run there (the other engine's kernels, a half-width path),
 * C2 inlines two classes, merges them in a Phi, the intrinsic gives up and the kernel runs boxed
 * (measured 3-10x slower, depending on what ran before the compile). So the kernels never make a
 * loop-carried vector the receiver of such a call: inside loops the fresh value is the receiver
 * and the accumulator the argument ({@code s = p.add(s)}; the concrete method casts its argument,
 * which needs no profile), and after a loop the accumulator goes through a cast to the species'
 * class held in a static final {@code EXACT} field (an intrinsic with a constant class: the type
 * becomes exact). Not a helper method: past C2's node-count cutoff a big kernel stops inlining
 * ordinary calls, and a vector passed to a call that is not inlined is boxed.
 */
package dev.vquant.x86;
