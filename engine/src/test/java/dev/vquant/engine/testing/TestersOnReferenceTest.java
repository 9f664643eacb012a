package dev.vquant.engine.testing;

import dev.vquant.engine.DType;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import java.util.stream.Stream;

/**
 * Sanity of the testers: driven like the kernel modules drive them, they pass on the reference
 * itself (the reference must agree with itself, canaries must survive, every stage must run).
 * {@link TestersCatchWrongKernelsTest} shows the other half: they fail on wrong kernels.
 */
class TestersOnReferenceTest {

    @Property(tries = 40)
    void qgemm(@ForAll @IntRange(min = 1, max = 9) int m, @ForAll @IntRange(min = 1, max = 40) int n,
               @ForAll @IntRange(min = 1, max = 70) int k, @ForAll @IntRange(max = 5) int ldaPad,
               @ForAll @IntRange(max = 5) int ldcPad, @ForAll boolean perChannel, @ForAll Extremes extremes,
               @ForAll boolean sevenBit, @ForAll long seed) {
        int nStart = (int) Math.floorMod(seed, n);
        new QGemmKernelTester().m(m).n(n).k(k).lda(k + ldaPad).ldc(n + ldcPad).aOffset(ldaPad).cOffset(ldcPad)
                .nRange(nStart, n).perChannel(perChannel).extremes(extremes).activationMax(sevenBit ? 127 : 255)
                .seed(seed).test(TestBackends.reference().qgemm());
    }

    @Property(tries = 30)
    void depthwise(@ForAll @IntRange(min = 1, max = 20) int channels, @ForAll @IntRange(min = 1, max = 2) int batch,
                   @ForAll @IntRange(min = 1, max = 9) int h, @ForAll @IntRange(min = 1, max = 9) int w,
                   @ForAll @IntRange(min = 1, max = 5) int kernel, @ForAll @IntRange(min = 1, max = 3) int stride,
                   @ForAll @IntRange(max = 2) int pad, @ForAll @IntRange(min = 1, max = 2) int dilation,
                   @ForAll boolean perChannel, @ForAll Extremes extremes, @ForAll long seed) {
        DepthwiseKernelTester t = new DepthwiseKernelTester().channels(channels).batch(batch).size(h, w).kernel(kernel)
                .stride(stride).pad(pad).dilation(dilation).perChannel(perChannel).extremes(extremes).seed(seed);
        t.fitKernel();
        t.test(TestBackends.reference().depthwise());
    }

    @Property(tries = 30)
    void quantize(@ForAll @IntRange(max = 70) int length, @ForAll @IntRange(max = 9) int xOffset,
                  @ForAll @IntRange(max = 9) int qOffset, @ForAll boolean signed, @ForAll long seed) {
        new QuantizeKernelTester().length(length).xOffset(xOffset).qOffset(qOffset)
                .dtype(signed ? DType.QINT8 : DType.QUINT8).perChannelShape(2, 3, length % 7).seed(seed)
                .test(TestBackends.reference().quantize());
    }

    @Property(tries = 30)
    void floatGemm(@ForAll @IntRange(min = 1, max = 9) int m, @ForAll @IntRange(min = 1, max = 40) int n,
                   @ForAll @IntRange(min = 1, max = 70) int k, @ForAll @IntRange(max = 5) int pad, @ForAll long seed) {
        new FloatGemmKernelTester().m(m).n(n).k(k).lda(k + pad).ldc(n + pad).cOffset(pad).nRange(0, n - pad / 2 * (n > 3 ? 1 : 0))
                .seed(seed).test(TestBackends.reference().floatGemm());
    }

    @Property(tries = 30)
    void floatDepthwise(@ForAll @IntRange(min = 1, max = 20) int channels, @ForAll @IntRange(min = 1, max = 9) int h,
                        @ForAll @IntRange(min = 1, max = 9) int w, @ForAll @IntRange(min = 1, max = 5) int kernel,
                        @ForAll @IntRange(min = 1, max = 2) int stride, @ForAll @IntRange(max = 2) int pad,
                        @ForAll long seed) {
        FloatDepthwiseKernelTester t = new FloatDepthwiseKernelTester().channels(channels).batch(2).size(h, w)
                .kernel(kernel).stride(stride).pad(pad).seed(seed);
        t.fitKernel();
        t.rows(1, 2 * t.outH() - 1 > 1 ? 2 * t.outH() - 1 : 2 * t.outH()).test(TestBackends.reference().floatDepthwise());
    }

    @Test
    void largeExtremeShapesRun() {
        new QGemmKernelTester().m(3).n(17).k(1025).extremes(Extremes.ONLY).seed(7).test(TestBackends.reference().qgemm());
        new DepthwiseKernelTester().channels(33).size(12, 10).kernel(7).pad(3).extremes(Extremes.ONLY).perChannel(true)
                .seed(8).test(TestBackends.reference().depthwise());
        new QuantizeKernelTester().length(4099).xOffset(1).qOffset(2).perChannelShape(3, 17, 31).seed(9)
                .test(TestBackends.reference().quantize());
    }

    @Test
    void referenceRejectsBadArguments() {
        BadArgumentsTester.testQGemm(TestBackends.reference().qgemm());
        BadArgumentsTester.testDepthwise(TestBackends.reference().depthwise());
        BadArgumentsTester.testQuantize(TestBackends.reference().quantize());
        BadArgumentsTester.testFloatGemm(TestBackends.reference().floatGemm());
        BadArgumentsTester.testFloatDepthwise(TestBackends.reference().floatDepthwise());
    }

    @TestFactory
    Stream<DynamicTest> qgemmEdgeCasesOnTheReference() {
        return KernelCases.dynamicTests(KernelCases.qgemm(4, 8, 4), t -> t.test(TestBackends.reference().qgemm()));
    }

    @TestFactory
    Stream<DynamicTest> floatGemmEdgeCasesOnTheReference() {
        return KernelCases.dynamicTests(KernelCases.floatGemm(4, 16, 1), t -> t.test(TestBackends.reference().floatGemm()));
    }

    @TestFactory
    Stream<DynamicTest> depthwiseEdgeCasesOnTheReference() {
        return KernelCases.dynamicTests(KernelCases.depthwise(16), t -> t.test(TestBackends.reference().depthwise()));
    }

    @TestFactory
    Stream<DynamicTest> floatDepthwiseEdgeCasesOnTheReference() {
        return KernelCases.dynamicTests(KernelCases.floatDepthwise(16), t -> t.test(TestBackends.reference().floatDepthwise()));
    }

    @TestFactory
    Stream<DynamicTest> quantizeEdgeCasesOnTheReference() {
        return KernelCases.dynamicTests(KernelCases.quantize(16), t -> t.test(TestBackends.reference().quantize()));
    }
}
