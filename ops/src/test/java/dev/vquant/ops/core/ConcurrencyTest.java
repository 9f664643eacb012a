package dev.vquant.ops.core;

import dev.vquant.engine.FloatTensor;
import dev.vquant.engine.QTensor;
import dev.vquant.engine.spi.ConvGeometry;
import dev.vquant.engine.spi.KernelBackend;
import dev.vquant.ops.conv.QConv2d;
import dev.vquant.ops.elementwise.QAdd;
import dev.vquant.ops.linear.DynamicQLinear;
import dev.vquant.ops.linear.QLinear;
import dev.vquant.ops.testing.Engines;
import dev.vquant.ops.testing.Rand;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Shared operators under concurrent use: 4 caller threads x 1000 calls each (operators themselves
 * using 2 pool threads) must reproduce the serial results exactly, on every installed engine.
 */
class ConcurrencyTest {
    private static final int CALLERS = 4;
    private static final int CALLS = 1000;

    @TestFactory
    List<DynamicNode> sharedOperatorsGiveSerialResults() {
        return Engines.perEngine(e -> DynamicTest.dynamicTest(e.name() + ": 4 threads x 1000 calls", () -> run(e)));
    }

    private static void run(KernelBackend e) throws Exception {
        Rand r = new Rand(42);
        QTensor w = r.weight(new int[]{70, 40}, true);
        QLinear linear = QLinear.builder(w).bias(r.floats(70, -1, 1)).output(0.1, 120).relu(true).threads(2).engine(e).build();
        DynamicQLinear dynamic = DynamicQLinear.builder(w).bias(r.floats(70, -1, 1)).threads(2).engine(e).build();
        QConv2d conv = QConv2d.builder(r.weight(new int[]{6, 3, 3, 3}, false), ConvGeometry.square(3, 1, 1)).output(0.2, 100)
                .threads(2).engine(e).build();
        QAdd add = QAdd.builder().output(0.05, 128).threads(2).build();
        QTensor[] xs = new QTensor[3];
        QTensor[] imgs = new QTensor[3];
        FloatTensor[] fs = new FloatTensor[3];
        for (int i = 0; i < 3; i++) {
            xs[i] = r.activation(new int[]{5, 40});
            imgs[i] = r.activation(new int[]{1, 6, 7, 3});
            fs[i] = FloatTensor.of(r.floats(5 * 40, -2, 2), 5, 40);
        }
        byte[][] lin = new byte[3][];
        float[][] dyn = new float[3][];
        byte[][] cv = new byte[3][];
        byte[][] ad = new byte[3][];
        for (int i = 0; i < 3; i++) {
            lin[i] = linear.forward(xs[i], e).bytes();
            dyn[i] = dynamic.forward(fs[i], e).data();
            cv[i] = conv.forward(imgs[i], e).bytes();
            ad[i] = add.forward(xs[i], xs[(i + 1) % 3], e).bytes();
        }
        ExecutorService pool = Executors.newFixedThreadPool(CALLERS);
        try {
            List<Future<Integer>> futures = new ArrayList<>();
            for (int t = 0; t < CALLERS; t++) {
                int offset = t;
                Callable<Integer> job = () -> {
                    for (int call = 0; call < CALLS; call++) {
                        int i = (call + offset) % 3;
                        switch (call % 4) {
                            case 0 -> assertArrayEquals(lin[i], linear.forward(xs[i], e).bytes());
                            case 1 -> assertArrayEquals(dyn[i], dynamic.forward(fs[i], e).data());
                            case 2 -> assertArrayEquals(cv[i], conv.forward(imgs[i], e).bytes());
                            default -> assertArrayEquals(ad[i], add.forward(xs[i], xs[(i + 1) % 3], e).bytes());
                        }
                    }
                    return CALLS;
                };
                futures.add(pool.submit(job));
            }
            int done = 0;
            for (Future<Integer> f : futures) {
                done += f.get();
            }
            assertEquals(CALLERS * CALLS, done);
        } finally {
            pool.shutdownNow();
        }
    }
}
