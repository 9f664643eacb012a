package dev.vquant.ops.core;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

import java.util.concurrent.atomic.AtomicIntegerArray;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The shared pool: every element covered exactly once, aligned boundaries, nesting, exceptions. */
class ParallelTest {

    @Property(tries = 200)
    void forRangeCoversEachElementOnceOnGrainBoundaries(@ForAll @IntRange(min = 0, max = 5000) int n,
                                                         @ForAll @IntRange(min = 1, max = 9) int threads,
                                                         @ForAll @IntRange(min = 1, max = 70) int grain) {
        AtomicIntegerArray hits = new AtomicIntegerArray(Math.max(n, 1));
        Parallel.forRange(n, threads, grain, (s, e) -> {
            assertTrue(s % grain == 0, "range start " + s + " is not a multiple of " + grain);
            assertTrue(e == n || e % grain == 0, "range end " + e + " is not a multiple of " + grain);
            assertTrue(e - s >= Math.min(grain, n), "range [" + s + ", " + e + ") is shorter than the grain " + grain);
            for (int i = s; i < e; i++) {
                hits.incrementAndGet(i);
            }
        });
        for (int i = 0; i < n; i++) {
            assertEquals(1, hits.get(i), "element " + i);
        }
    }

    @Test
    void nestedCallsFinish() {
        AtomicIntegerArray hits = new AtomicIntegerArray(64);
        Parallel.run(8, outer -> Parallel.run(8, inner -> hits.incrementAndGet(outer * 8 + inner)));
        for (int i = 0; i < 64; i++) {
            assertEquals(1, hits.get(i));
        }
    }

    @Test
    void firstFailureReachesTheCaller() {
        IllegalStateException boom = new IllegalStateException("boom");
        IllegalStateException thrown = assertThrows(IllegalStateException.class, () -> Parallel.run(4, i -> {
            if (i == 2) {
                throw boom;
            }
        }));
        assertSame(boom, thrown);
    }
}
