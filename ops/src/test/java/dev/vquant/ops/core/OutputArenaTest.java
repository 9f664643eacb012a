package dev.vquant.ops.core;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The arena's contract: reuse by call order, poison, thread confinement, misuse errors. */
class OutputArenaTest {

    @Test
    void withoutScopeEveryRequestIsANewZeroedArray() {
        assertFalse(OutputArena.active());
        byte[] a = OutputArena.bytes(8);
        byte[] b = OutputArena.bytes(8);
        assertNotSame(a, b);
        assertArrayEquals(new byte[8], a);
        assertArrayEquals(new float[3], OutputArena.floats(3));
        assertArrayEquals(new int[5], OutputArena.ints(5));
    }

    @Test
    void secondScopeHandsOutTheSameArraysInTheSameOrder() {
        OutputArena arena = new OutputArena();
        Object[] first = requests(arena);
        long allocated = arena.allocations();
        assertEquals(first.length, allocated);
        Object[] second = requests(arena);
        for (int i = 0; i < first.length; i++) {
            assertSame(first[i], second[i], "request " + i);
        }
        assertEquals(allocated, arena.allocations(), "steady state allocates nothing");
        // within one scope every request is a distinct array
        for (int i = 0; i < first.length; i++) {
            for (int j = i + 1; j < first.length; j++) {
                assertNotSame(first[i], first[j]);
            }
        }
    }

    private static Object[] requests(OutputArena arena) {
        try (OutputArena.Scope s = arena.enter()) {
            assertTrue(OutputArena.active());
            return new Object[]{OutputArena.bytes(10), OutputArena.floats(4), OutputArena.bytes(10),
                    OutputArena.ints(7), OutputArena.bytes(3), OutputArena.floats(4)};
        }
    }

    @Property(tries = 50)
    void anyOrderOfLengthsGetsArraysOfExactlyThatLength(
            @ForAll @Size(min = 1, max = 40) List<@IntRange(min = 0, max = 64) Integer> first,
            @ForAll @Size(min = 1, max = 40) List<@IntRange(min = 0, max = 64) Integer> second) {
        OutputArena arena = OutputArena.poisoning();
        for (List<Integer> lengths : List.of(first, second, first)) {
            try (OutputArena.Scope s = arena.enter()) {
                List<Object> seen = new ArrayList<>();
                for (int i = 0; i < lengths.size(); i++) {
                    int n = lengths.get(i);
                    Object a = switch (i % 3) {
                        case 0 -> OutputArena.bytes(n);
                        case 1 -> OutputArena.floats(n);
                        default -> OutputArena.ints(n);
                    };
                    assertEquals(n, java.lang.reflect.Array.getLength(a), "request " + i + " of " + lengths);
                    for (Object o : seen) {
                        assertNotSame(o, a, "two requests of one scope share an array: " + lengths);
                    }
                    seen.add(a);
                }
            }
        }
    }

    @Test
    void aChangedLengthReplacesTheSlot() {
        OutputArena arena = new OutputArena();
        byte[] a;
        try (OutputArena.Scope s = arena.enter()) {
            a = OutputArena.bytes(10);
        }
        try (OutputArena.Scope s = arena.enter()) {
            assertEquals(11, OutputArena.bytes(11).length);
        }
        try (OutputArena.Scope s = arena.enter()) {
            byte[] c = OutputArena.bytes(11);
            assertNotSame(a, c);
            assertEquals(2, arena.allocations());
        }
    }

    @Test
    void poisonChangesFromScopeToScope() {
        OutputArena arena = OutputArena.poisoning();
        byte[] b1;
        int f1;
        int i1;
        try (OutputArena.Scope s = arena.enter()) {
            b1 = OutputArena.bytes(4).clone();
            f1 = Float.floatToRawIntBits(OutputArena.floats(2)[1]);
            i1 = OutputArena.ints(2)[0];
        }
        try (OutputArena.Scope s = arena.enter()) {
            byte[] b2 = OutputArena.bytes(4);
            assertNotEquals(b1[0], b2[0]);
            assertNotEquals(0, b1[0]);
            assertNotEquals(f1, Float.floatToRawIntBits(OutputArena.floats(2)[1]));
            assertTrue(Float.isNaN(Float.intBitsToFloat(f1)));
            assertNotEquals(i1, OutputArena.ints(2)[0]);
        }
    }

    @Test
    void enteringTwiceIsRejected() {
        OutputArena arena = new OutputArena();
        try (OutputArena.Scope s = arena.enter()) {
            IllegalStateException e = assertThrows(IllegalStateException.class, arena::enter);
            assertTrue(e.getMessage().contains("already open"), e.getMessage());
            OutputArena other = new OutputArena();
            e = assertThrows(IllegalStateException.class, other::enter);
            assertTrue(e.getMessage().contains("another arena"), e.getMessage());
        }
        assertFalse(OutputArena.active());
    }

    @Test
    void closingTwiceIsRejected() {
        OutputArena arena = new OutputArena();
        OutputArena.Scope s = arena.enter();
        s.close();
        IllegalStateException e = assertThrows(IllegalStateException.class, s::close);
        assertTrue(e.getMessage().contains("closed twice"), e.getMessage());
        // and the arena is usable again
        try (OutputArena.Scope again = arena.enter()) {
            assertTrue(OutputArena.active());
        }
    }

    @Test
    void anotherThreadCannotEnterOrCloseAnOpenScopeNorUseIt() throws Exception {
        OutputArena arena = new OutputArena();
        ExecutorService other = Executors.newSingleThreadExecutor();
        try (OutputArena.Scope s = arena.enter()) {
            byte[] mine = OutputArena.bytes(5);
            Future<String> enter = other.submit(() -> message(arena::enter));
            assertTrue(enter.get().contains("use one arena per thread"), enter.get());
            Future<String> close = other.submit(() -> message(s::close));
            assertTrue(close.get().contains("cannot be closed on thread"), close.get());
            // the other thread has no scope: it allocates, it does not take this scope's slots
            Future<Boolean> active = other.submit(OutputArena::active);
            assertFalse(active.get());
            Future<byte[]> theirs = other.submit(() -> OutputArena.bytes(5));
            assertNotSame(mine, theirs.get());
        } finally {
            other.shutdown();
        }
        // once closed, another thread may use the arena
        ExecutorService next = Executors.newSingleThreadExecutor();
        try {
            assertTrue(next.submit(() -> {
                try (OutputArena.Scope s = arena.enter()) {
                    return OutputArena.active();
                }
            }).get());
        } finally {
            next.shutdown();
        }
    }

    private static String message(Runnable r) {
        try {
            r.run();
            return "no exception";
        } catch (IllegalStateException e) {
            return e.getMessage();
        }
    }
}
