package dev.vquant.bench.accuracy;

import dev.vquant.bench.Parsed;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The options of {@code vquant accuracy}, parsed without evaluating anything. */
class AccuracyCommandTest {
    private static AccuracyCommand parse(String... args) {
        return Parsed.command(AccuracyCommand::new, args);
    }

    @Test
    void defaultsAreTheBundledDataOnTheVectorEngines() {
        AccuracyCommand c = parse();
        assertNull(c.data);
        assertNull(c.pytorchFile);
        assertFalse(c.csv || c.qat);
        assertEquals(AccuracyTable.defaultEngines(), c.engines());
    }

    @Test
    void optionsAndRepeatedEngines() {
        AccuracyCommand c = parse("--data", "mnist", "--pytorch", "p.json", "--engine", "reference", "--engine", "reference",
                "--csv", "--qat");
        assertEquals(Path.of("mnist"), c.data);
        assertEquals(Path.of("p.json"), c.pytorchFile);
        assertEquals(List.of("reference", "reference"), c.engines());
        assertTrue(c.csv && c.qat);
    }

    @Test
    void badArgumentsAreParameterErrorsNamingThem() {
        assertTrue(assertThrows(CommandLine.UnmatchedArgumentException.class, () -> parse("--fast")).getMessage()
                .contains("'--fast'"));
        assertTrue(assertThrows(CommandLine.MissingParameterException.class, () -> parse("--data")).getMessage()
                .contains("'--data'"));
        assertTrue(assertThrows(CommandLine.ParameterException.class, () -> parse("--engine", "tpu")).getMessage()
                .contains("unknown engine 'tpu'"));
    }
}
