package dev.vquant.bench.peers;

import dev.vquant.bench.Parsed;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The options of {@code vquant peers}, parsed without starting a peer. */
class PeersCliTest {
    private static PeersCli parse(String... args) {
        return Parsed.command(PeersCli::new, args);
    }

    @Test
    void defaultsAreEveryCaseOnThreadsOneAndTwo() {
        PeersCli c = parse();
        assertFalse(c.csv || c.quick || c.withPytorch);
        assertNull(c.filter);
        assertEquals(List.of(1, 2), c.threads());
    }

    @Test
    void optionsAndRepeatedThreads() {
        PeersCli c = parse("--case", "^dot_", "--csv", "--with-pytorch", "--quick", "--threads", "1", "--threads", "4");
        assertTrue(c.csv && c.quick && c.withPytorch);
        assertEquals("^dot_", c.filter);
        assertEquals(List.of(1, 4), c.threads());
    }

    @Test
    void badArgumentsAreParameterErrorsNamingThem() {
        assertTrue(assertThrows(CommandLine.ParameterException.class, () -> parse("--threads", "0")).getMessage()
                .contains("got '0'"));
        assertTrue(assertThrows(CommandLine.UnmatchedArgumentException.class, () -> parse("--fast")).getMessage()
                .contains("'--fast'"));
    }
}
