package dev.vquant.bench.conformance;

import java.util.List;

/** Every golden file kind the runner knows, with the suite that checks it. */
final class Suites {
    private Suites() {
    }

    static List<CaseSuite> all() {
        return List.of(
                new QuantizePerTensorSuite(),
                new QuantizePerChannelSuite(),
                new QLinearStaticSuite(),
                new QLinearDynamicSuite(),
                new QConv2dStaticSuite(),
                new ObserversSuite(),
                new QElementwiseSuite(),
                new QLstmDynamicSuite(),
                new FuseConvBnReluSuite(),
                new FakeQuantizeSuite());
    }
}
