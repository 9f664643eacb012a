package dev.vquant.ops.core;

import dev.vquant.engine.QTensor;
import dev.vquant.engine.spi.ConvGeometry;
import dev.vquant.engine.spi.KernelBackend;
import dev.vquant.ops.conv.QConv2d;
import dev.vquant.ops.linear.QLinear;
import dev.vquant.ops.testing.Engines;
import dev.vquant.ops.testing.Rand;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * An operator packed for one engine runs under another by repacking once from its original
 * weights, giving what an operator built for that engine gives; the cache holds one packing per
 * engine.
 */
class RepackTest {

    @TestFactory
    List<DynamicNode> runsOnAnotherEngine() {
        return Engines.perEngine(e -> DynamicTest.dynamicTest("reference-packed operators on " + e.name(), () -> check(e)));
    }

    private static void check(KernelBackend e) {
        Rand r = new Rand(3);
        QTensor w = r.weight(new int[]{33, 21}, true);
        QTensor x = r.activation(new int[]{4, 21});
        QLinear packedForReference = QLinear.builder(w).output(0.05, 7).engine(Engines.reference()).build();
        QLinear packedForE = QLinear.builder(w).output(0.05, 7).engine(e).build();
        assertArrayEquals(packedForE.forward(x, e).bytes(), packedForReference.forward(x, e).bytes());
        assertArrayEquals(packedForE.forward(x, e).bytes(), packedForReference.forward(x, e).bytes());
        assertEquals(e.name().equals("reference") ? 1 : 2, packedForReference.packedEngines(), "repacked once, then cached");
        QTensor img = r.activation(new int[]{1, 5, 6, 4});
        QTensor dw = r.weight(new int[]{4, 1, 3, 3}, false);
        QConv2d packedForReferenceConv = QConv2d.builder(dw, ConvGeometry.square(3, 2, 1)).groups(4)
                .output(0.1, 3).engine(Engines.reference()).build();
        QConv2d packedForEConv = QConv2d.builder(dw, ConvGeometry.square(3, 2, 1)).groups(4)
                .output(0.1, 3).engine(e).build();
        assertEquals("DEPTHWISE", packedForReferenceConv.path());
        byte[] direct = packedForEConv.forward(img, e).bytes();
        assertArrayEquals(direct, packedForReferenceConv.forward(img, e).bytes(), "repacked depthwise differs from one built for " + e.name());
        assertArrayEquals(direct, packedForReferenceConv.forward(img, e).bytes(), "cached repack differs");
        PerEngine<String> cache = new PerEngine<>(Engines.reference(), b -> b.name());
        cache.get(e);
        cache.get(e);
        assertEquals(e.name().equals("reference") ? 1 : 2, cache.packedCount());
    }
}
