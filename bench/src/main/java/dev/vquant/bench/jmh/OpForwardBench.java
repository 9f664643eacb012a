package dev.vquant.bench.jmh;

import dev.vquant.engine.DType;
import dev.vquant.engine.QParams;
import dev.vquant.engine.QTensor;
import dev.vquant.engine.QuantEngine;
import dev.vquant.engine.Shapes;
import dev.vquant.engine.spi.ConvGeometry;
import dev.vquant.engine.spi.KernelBackend;
import dev.vquant.ops.conv.QConv2d;
import dev.vquant.ops.elementwise.QAdd;
import dev.vquant.ops.linear.QLinear;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * JMH: one steady-state int8 forward of each operator family on one thread, to see what a call
 * allocates besides its output ({@code ./vquant jmh OpForwardBench -prof gc}: {@code gc.alloc.rate.norm}
 * is bytes per call). The outputs are {@link #LINEAR_OUT}, {@link #CONV_OUT}, {@link #DEPTHWISE_OUT}
 * and {@link #ADD_OUT} bytes of data plus the output tensor's object and shape.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector"})
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 3, time = 1)
public class OpForwardBench {

    /** A benchmark state JMH instantiates once per fork, set up by {@link #setUp()}. */
    public OpForwardBench() {
    }
    /** Output bytes of the Linear case: 16 rows x 256 features. */
    public static final int LINEAR_OUT = 16 * 256;
    /** Output bytes of the 3x3 convolution case: 14 x 14 x 64. */
    public static final int CONV_OUT = 14 * 14 * 64;
    /** Output bytes of the depthwise case: 28 x 28 x 96. */
    public static final int DEPTHWISE_OUT = 28 * 28 * 96;
    /** Output bytes of the add case: 28 x 28 x 96. */
    public static final int ADD_OUT = 28 * 28 * 96;

    /** Engine name, or "default" for the automatic choice. */
    @Param({"default"})
    public String engine;

    private KernelBackend backend;
    private QLinear linear;
    private QTensor linearIn;
    private QConv2d conv;
    private QTensor convIn;
    private QConv2d depthwise;
    private QTensor depthwiseIn;
    private QAdd add;

    /** Builds the operators and inputs, seeded. */
    @Setup
    public void setUp() {
        backend = engine.equals("default") ? QuantEngine.current() : QuantEngine.backend(engine);
        SplittableRandom r = new SplittableRandom(7);
        linear = QLinear.builder(weight(r, new int[]{256, 256})).output(0.05, 128).threads(1).engine(backend).build();
        linearIn = activation(r, new int[]{16, 256});
        conv = QConv2d.builder(weight(r, new int[]{64, 64, 3, 3}), ConvGeometry.square(3, 1, 1))
                .output(0.1, 128).threads(1).engine(backend).build();
        convIn = activation(r, new int[]{1, 14, 14, 64});
        depthwise = QConv2d.builder(weight(r, new int[]{96, 1, 3, 3}), ConvGeometry.square(3, 1, 1)).groups(96)
                .output(0.1, 128).threads(1).engine(backend).build();
        depthwiseIn = activation(r, new int[]{1, 28, 28, 96});
        add = QAdd.builder().output(0.08, 120).threads(1).build();
    }

    private static QTensor weight(SplittableRandom r, int[] shape) {
        int n = Shapes.numel(shape);
        byte[] w = new byte[n];
        for (int i = 0; i < n; i++) {
            w[i] = (byte) r.nextInt(-127, 128);
        }
        return QTensor.of(w, shape, QParams.perTensor(0.01, 0, DType.QINT8));
    }

    private static QTensor activation(SplittableRandom r, int[] shape) {
        int n = Shapes.numel(shape);
        byte[] x = new byte[n];
        for (int i = 0; i < n; i++) {
            x[i] = (byte) r.nextInt(256);
        }
        return QTensor.of(x, shape, QParams.perTensor(0.04, 110, DType.QUINT8));
    }

    /**
     * quantized::linear, 16 x 256 by 256 x 256.
     *
     * @return the output, consumed by JMH
     */
    @Benchmark
    public QTensor linear() {
        return linear.forward(linearIn, backend);
    }

    /**
     * quantized::conv2d, 3x3, 64 to 64 channels on 14 x 14 (im2col path).
     *
     * @return the output, consumed by JMH
     */
    @Benchmark
    public QTensor conv3x3() {
        return conv.forward(convIn, backend);
    }

    /**
     * Depthwise 3x3 convolution, 96 channels on 28 x 28.
     *
     * @return the output, consumed by JMH
     */
    @Benchmark
    public QTensor depthwise() {
        return depthwise.forward(depthwiseIn, backend);
    }

    /**
     * quantized::add of two 28 x 28 x 96 tensors.
     *
     * @return the output, consumed by JMH
     */
    @Benchmark
    public QTensor add() {
        return add.forward(depthwiseIn, depthwiseIn, backend);
    }
}
