package dev.vquant.engine;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * {@code -Dvquant.engine} chooses the starting engine (an alias works). Runs in its own surefire
 * execution, whose JVM starts with {@code -Dvquant.engine=2nd} (engine/pom.xml), so no test sets a
 * system property while others run.
 */
class StartingEnginePropertyTest {

    @Test
    void thePropertyChoosesTheStartingEngine(@TempDir Path tmp) throws Exception {
        assertEquals("2nd", System.getProperty(QuantEngine.PROPERTY), "run by the engine-property execution only");
        try (QuantEngineTest.IsolatedSwitch sw = QuantEngineTest.IsolatedSwitch.create(tmp)) {
            assertEquals("second", sw.call("get"));
        }
    }
}
