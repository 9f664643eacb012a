package dev.vquant.ops.fuzz;

import dev.vquant.engine.testing.FuzzCase;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.GenerationMode;
import net.jqwik.api.Label;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.ShrinkingMode;
import net.jqwik.api.lifecycle.AfterContainer;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Fuzzes the public constructors, builders and {@code forward} methods of every operator with
 * inputs that are bad by construction (wrong ranks and shapes, empty dimensions where none is
 * allowed, outputs whose element count overflows an int, NaN/infinite/non-positive/subnormal
 * scales, zero points outside quint8, per-channel qparams where per-tensor ones belong, operands
 * of different dtype or shape, NaN where it cannot be quantized, null everywhere, negative thread
 * counts): each must end in an IllegalArgumentException or NullPointerException naming the
 * operator and the offending value, never an index error, a negative array size, an
 * OutOfMemoryError, an arithmetic exception or a hang ({@link FuzzCase}). A last property feeds
 * inputs at the edge of validity and checks each engine against the reference kernels.
 *
 * <p>Seeds are fixed so every run tries the same inputs (a failure prints the seed and the case);
 * to explore further, change a seed locally and run
 * {@code mvn -pl ops -am verify -Dtest='OperatorFuzzTest' -Dsurefire.failIfNoSpecifiedTests=false}.
 */
class OperatorFuzzTest {
    static final int LINEAR_CONV = 3000;
    static final int ELEMENTWISE = 2500;
    static final int POOL_CONVERT = 2500;
    static final int LSTM = 1000;
    static final int VALID = 600;

    @Property(tries = LINEAR_CONV, seed = "8041", generation = GenerationMode.RANDOMIZED, shrinking = ShrinkingMode.OFF)
    @Label("3000 bad inputs to Linear (static, dynamic, float) and Conv2d (grouped, depthwise, float) each end in a documented exception")
    void linearAndConv(@ForAll("linearConv") FuzzCase c) {
        c.run();
    }

    @Property(tries = ELEMENTWISE, seed = "8042", generation = GenerationMode.RANDOMIZED, shrinking = ShrinkingMode.OFF)
    @Label("2500 bad inputs to add, mul (+relu), cat, relu, relu6, hardswish, sigmoid and the float twins each end in a documented exception")
    void elementwise(@ForAll("elementwiseCases") FuzzCase c) {
        c.run();
    }

    @Property(tries = POOL_CONVERT, seed = "8043", generation = GenerationMode.RANDOMIZED, shrinking = ShrinkingMode.OFF)
    @Label("2500 bad inputs to max, avg and adaptive-avg pooling, Flatten, Quantize and DeQuantize each end in a documented exception")
    void poolingAndConversion(@ForAll("poolConvert") FuzzCase c) {
        c.run();
    }

    @Property(tries = LSTM, seed = "8044", generation = GenerationMode.RANDOMIZED, shrinking = ShrinkingMode.OFF)
    @Label("1000 bad inputs to the dynamic and float LSTM each end in a documented exception")
    void lstm(@ForAll("lstmCases") FuzzCase c) {
        c.run();
    }

    @Property(tries = VALID, seed = "8045", generation = GenerationMode.RANDOMIZED, shrinking = ShrinkingMode.OFF)
    @Label("600 valid edge inputs (empty batches, wide padding, NaN/infinity in float ops, mixed qparams) equal the reference engine")
    void validEdges(@ForAll("validCases") FuzzCase c) {
        c.run();
    }

    /** The labels above state how many bad inputs ran: this holds them to it. */
    @AfterContainer
    static void everyTryRan() {
        assertTrue(FuzzCase.badTried() >= LINEAR_CONV + ELEMENTWISE + POOL_CONVERT + LSTM, "bad inputs tried: " + FuzzCase.badTried());
        assertTrue(FuzzCase.validTried() >= VALID, "valid inputs tried: " + FuzzCase.validTried());
    }

    @Provide
    Arbitrary<FuzzCase> linearConv() {
        return Arbitraries.randomValue(LinearConvCases::any);
    }

    @Provide
    Arbitrary<FuzzCase> elementwiseCases() {
        return Arbitraries.randomValue(ElementwiseCases::any);
    }

    @Provide
    Arbitrary<FuzzCase> poolConvert() {
        return Arbitraries.randomValue(PoolConvertCases::any);
    }

    @Provide
    Arbitrary<FuzzCase> lstmCases() {
        return Arbitraries.randomValue(LstmCases::any);
    }

    @Provide
    Arbitrary<FuzzCase> validCases() {
        return Arbitraries.randomValue(ValidCases::any);
    }
}
