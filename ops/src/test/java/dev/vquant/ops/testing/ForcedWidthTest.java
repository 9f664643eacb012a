package dev.vquant.ops.testing;

import dev.vquant.engine.QuantEngine;
import dev.vquant.engine.spi.VectorWidth;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The build runs the ops suite twice, the second time with {@code -Dvquant.width=V256}: this
 * test proves each run's fbgemm engine has the width it claims, so the V256 run cannot silently
 * test V512 kernels again.
 */
class ForcedWidthTest {

    @Test
    void fbgemmRunsAtTheForcedWidth() {
        VectorWidth forced = VectorWidth.forced();
        if (forced == null || !QuantEngine.supported().contains("fbgemm")) {
            return; // the default run: the width follows the CPU, checked by kernels-x86's own tests
        }
        assertEquals(forced, QuantEngine.backend("fbgemm").width());
    }
}
