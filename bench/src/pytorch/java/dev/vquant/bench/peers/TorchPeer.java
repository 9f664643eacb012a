package dev.vquant.bench.peers;

import dev.vquant.engine.QuantEngine;
import dev.vquant.engine.spi.KernelBackend;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Dispatcher;
import org.bytedeco.pytorch.GenericList;
import org.bytedeco.pytorch.IValue;
import org.bytedeco.pytorch.IValueVector;
import org.bytedeco.pytorch.IntType;
import org.bytedeco.pytorch.OperatorHandle;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorOptional;
import org.bytedeco.pytorch.TensorOptions;
import org.bytedeco.pytorch.Type;
import org.bytedeco.pytorch.global.torch.MemoryFormat;
import org.bytedeco.pytorch.global.torch.QEngine;
import org.bytedeco.pytorch.global.torch.ScalarType;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

import static org.bytedeco.pytorch.global.torch.from_blob;
import static org.bytedeco.pytorch.global.torch.globalContext;
import static org.bytedeco.pytorch.global.torch.quantize_per_tensor;
import static org.bytedeco.pytorch.global.torch.set_num_threads;

/**
 * PyTorch's own CPU kernels in this JVM through the JavaCPP build ({@code org.bytedeco:pytorch},
 * Maven profile {@code with-pytorch}): float {@code linear} / {@code conv2d} (channels-last), and for
 * each quantized engine PyTorch offers here (fbgemm, x86, qnnpack) the boxed
 * {@code quantized::linear}, {@code quantized::linear_dynamic} (reduce_range off) and
 * {@code quantized::conv2d} on weights prepacked once. vquant runs the same job on its engine of
 * the same numerics (fbgemm for fbgemm and x86, qnnpack for qnnpack), so the quantized outputs
 * should be the same integers. Each call runs inside a {@link PointerScope}, so its native
 * results are freed at once instead of waiting for the garbage collector. Threads:
 * {@code at::set_num_threads} before each comparison.
 */
public final class TorchPeer implements Peer {
    private static final String[] QENGINES = {"FBGEMM", "X86", "QNNPACK"};

    private final Dispatcher dispatcher = Dispatcher.singleton();
    private final OperatorHandle linearPrepack = dispatcher.findSchemaOrThrow("quantized::linear_prepack", "");
    private final OperatorHandle linear = dispatcher.findSchemaOrThrow("quantized::linear", "");
    private final OperatorHandle linearDynamic = dispatcher.findSchemaOrThrow("quantized::linear_dynamic", "");
    private final OperatorHandle convPrepack = dispatcher.findSchemaOrThrow("quantized::conv2d_prepack", "");
    private final OperatorHandle conv = dispatcher.findSchemaOrThrow("quantized::conv2d", "new");

    /**
     * The peer, created by {@link java.util.ServiceLoader}: loads libtorch and looks up the quantized
     * operators' schemas in its dispatcher (failing when the build lacks one).
     */
    public TorchPeer() {
    }

    @Override
    public String name() {
        return "torch";
    }

    @Override
    public String description() {
        return "PyTorch (org.bytedeco:pytorch) quantized engines " + supported();
    }

    private static List<String> supported() {
        List<String> out = new ArrayList<>();
        var v = org.bytedeco.pytorch.Context.supportedQEngines();
        for (long i = 0; i < v.size(); i++) {
            out.add(String.valueOf(v.get(i)));
        }
        return out;
    }

    @Override
    public List<Comparison.Factory> comparisons(PeerShape shape, int threads, KernelBackend engine) {
        List<Comparison.Factory> out = new ArrayList<>();
        if (shape instanceof PeerShape.Linear s) {
            out.add(() -> floatLinear(s, threads, engine));
            for (String q : QENGINES) {
                out.add(() -> staticLinear(s, threads, q));
                out.add(() -> dynamicLinear(s, threads, q));
            }
        } else if (shape instanceof PeerShape.Conv c) {
            out.add(() -> floatConv(c, threads, engine));
            for (String q : QENGINES) {
                out.add(() -> quantizedConv(c, threads, q));
            }
        }
        return out;
    }

    private Comparison floatLinear(PeerShape.Linear s, int threads, KernelBackend e) {
        set_num_threads(threads);
        PeerData d = new PeerData(1);
        float[] w = PeerData.dequantized(d.int8(s.n() * s.k()));
        float[] bias = d.floats(s.n(), -0.5, 0.5);
        float[] x = d.floats(s.m() * s.k(), -2, 2);
        Tensor tw = floats(w, s.n(), s.k());
        Tensor tb = floats(bias, s.n());
        Tensor tx = floats(x, s.m(), s.k());
        TensorOptional ob = new TensorOptional(tb);
        Supplier<Tensor> call = () -> org.bytedeco.pytorch.global.torch.linear(tx, tw, ob);
        return comparison("linear(float)", "FloatLinear", VquantSide.floatLinear(e, threads, s, w, bias, x), call,
                TorchPeer::floatsOf, Agreement::floats);
    }

    private Comparison staticLinear(PeerShape.Linear s, int threads, String qengine) {
        KernelBackend e = vquantEngine(qengine);
        useEngine(qengine, threads);
        PeerData d = new PeerData(3);
        byte[] w = d.int8(s.n() * s.k());
        byte[] x = d.uint8(s.m() * s.k());
        float[] bias = d.floats(s.n(), -0.5, 0.5);
        double ys = PeerData.outScale(s.k());
        IValue packed = call1(linearPrepack, new IValue(weight(w, s.n(), s.k())), new IValue(floats(bias, s.n())));
        IValue xi = new IValue(activation(x, s.m(), s.k()));
        IValue sc = new IValue(ys);
        IValue zp = new IValue((long) PeerData.Y_ZERO_POINT);
        Supplier<Tensor> call = () -> call1(linear, xi, packed, sc, zp).toTensor();
        return comparison(qengine.toLowerCase() + " linear", "QLinear",
                VquantSide.qLinear(e, threads, s, w, bias, x, ys), call, TorchPeer::bytesOf, Agreement::uint8);
    }

    private Comparison dynamicLinear(PeerShape.Linear s, int threads, String qengine) {
        KernelBackend e = vquantEngine(qengine);
        useEngine(qengine, threads);
        PeerData d = new PeerData(4);
        byte[] w = d.int8(s.n() * s.k());
        float[] bias = d.floats(s.n(), -0.5, 0.5);
        float[] x = d.floats(s.m() * s.k(), -2, 2);
        IValue packed = call1(linearPrepack, new IValue(weight(w, s.n(), s.k())), new IValue(floats(bias, s.n())));
        IValue xi = new IValue(floats(x, s.m(), s.k()));
        IValue reduceRange = new IValue(false);
        Supplier<Tensor> call = () -> call1(linearDynamic, xi, packed, reduceRange).toTensor();
        return comparison(qengine.toLowerCase() + " linear_dynamic", "DynamicQLinear",
                VquantSide.dynamicQLinear(e, threads, s, w, bias, x), call, TorchPeer::floatsOf, Agreement::floats);
    }

    private Comparison floatConv(PeerShape.Conv c, int threads, KernelBackend e) {
        set_num_threads(threads);
        PeerData d = new PeerData(5);
        float[] w = PeerData.dequantized(d.int8(c.channelsOut() * c.reduction()));
        float[] bias = d.floats(c.channelsOut(), -0.5, 0.5);
        float[] x = d.floats(c.size() * c.size() * c.channelsIn(), -2, 2);
        Tensor tw = floats(w, c.channelsOut(), c.channelsIn() / c.groups(), c.kernel(), c.kernel())
                .contiguous(MemoryFormat.ChannelsLast);
        TensorOptional ob = new TensorOptional(floats(bias, c.channelsOut()));
        Tensor tx = nchwView(floats(x, 1, c.size(), c.size(), c.channelsIn()));
        long[] stride = {c.stride(), c.stride()};
        long[] pad = {c.kernel() / 2, c.kernel() / 2};
        long[] dilation = {1, 1};
        Supplier<Tensor> call = () -> org.bytedeco.pytorch.global.torch.conv2d(tx, tw, ob, stride, pad, dilation, c.groups());
        return comparison("conv2d(float,NHWC)", "FloatConv2d", VquantSide.floatConv(e, threads, c, w, bias, x),
                call, t -> floatsOf(nhwc(t)), Agreement::floats);
    }

    private Comparison quantizedConv(PeerShape.Conv c, int threads, String qengine) {
        KernelBackend e = vquantEngine(qengine);
        useEngine(qengine, threads);
        PeerData d = new PeerData(6);
        byte[] w = d.int8(c.channelsOut() * c.reduction());
        byte[] x = d.uint8(c.size() * c.size() * c.channelsIn());
        float[] bias = d.floats(c.channelsOut(), -0.5, 0.5);
        double ys = PeerData.outScale(c.reduction());
        IValue packed = call1(convPrepack, new IValue(weight(w, c.channelsOut(), c.channelsIn() / c.groups(), c.kernel(),
                c.kernel())), new IValue(floats(bias, c.channelsOut())), intList(c.stride(), c.stride()),
                intList(c.kernel() / 2, c.kernel() / 2), intList(1, 1), new IValue((long) c.groups()));
        IValue xi = new IValue(nchwView(activation(x, 1, c.size(), c.size(), c.channelsIn())));
        IValue sc = new IValue(ys);
        IValue zp = new IValue((long) PeerData.Y_ZERO_POINT);
        Supplier<Tensor> call = () -> call1(conv, xi, packed, sc, zp).toTensor();
        return comparison(qengine.toLowerCase() + " conv2d", "QConv2d",
                VquantSide.qConv(e, threads, c, w, bias, x, ys), call, t -> bytesOf(nhwc(t)), Agreement::uint8);
    }

    /** fbgemm and x86 share fbgemm's numerics; qnnpack has its own. */
    private static KernelBackend vquantEngine(String qengine) {
        return QuantEngine.backend(qengine.equals("QNNPACK") ? "qnnpack" : "fbgemm");
    }

    private static void useEngine(String qengine, int threads) {
        set_num_threads(threads);
        globalContext().setQEngine(QEngine.valueOf(qengine));
    }

    private interface Read<T> {
        T from(Tensor t);
    }

    /**
     * Times the call inside a pointer scope; the agreement runs it once more and reads its output
     * (within a scope too), so timed calls copy nothing out.
     */
    private <T> Comparison comparison(String op, String vquantOp, VquantSide.Run<T> v, Supplier<Tensor> call, Read<T> read,
                                      java.util.function.BiFunction<T, T, Agreement> agree) {
        Runnable peer = () -> {
            try (PointerScope ps = new PointerScope()) {
                call.get();
            }
        };
        Supplier<Agreement> agreement = () -> {
            T out;
            try (PointerScope ps = new PointerScope()) {
                out = read.from(call.get());
            }
            return agree.apply(v.output().get(), out);
        };
        return new Comparison("torch:" + op, vquantOp, v.call(), peer, agreement, null);
    }

    // ---- tensors

    private static Tensor floats(float[] v, long... shape) {
        return from_blob(new FloatPointer(v), shape, new TensorOptions(ScalarType.Float)).clone();
    }

    /** qint8 weights {@code q * W_SCALE} quantized back: the same integers. */
    private static Tensor weight(byte[] w, long... shape) {
        return quantize_per_tensor(floats(PeerData.dequantized(w), shape), PeerData.W_SCALE, 0, ScalarType.QInt8);
    }

    /** quint8 activations {@code (q - zp) * X_SCALE} quantized back: the same integers. */
    private static Tensor activation(byte[] x, long... shape) {
        float[] f = new float[x.length];
        for (int i = 0; i < x.length; i++) {
            f[i] = (float) (((x[i] & 0xff) - PeerData.X_ZERO_POINT) * PeerData.X_SCALE);
        }
        return quantize_per_tensor(floats(f, shape), PeerData.X_SCALE, PeerData.X_ZERO_POINT, ScalarType.QUInt8);
    }

    /** An NHWC tensor seen as NCHW in channels-last memory, PyTorch's form of vquant's layout. */
    private static Tensor nchwView(Tensor nhwc) {
        return nhwc.permute(0, 3, 1, 2).contiguous(MemoryFormat.ChannelsLast);
    }

    private static Tensor nhwc(Tensor nchw) {
        return nchw.permute(0, 2, 3, 1).contiguous();
    }

    private static float[] floatsOf(Tensor t) {
        Tensor c = t.contiguous();
        float[] out = new float[(int) c.numel()];
        c.data_ptr_float().get(out);
        return out;
    }

    private static byte[] bytesOf(Tensor t) {
        Tensor c = t.int_repr().contiguous();
        byte[] out = new byte[(int) c.numel()];
        BytePointer p = c.data_ptr_byte();
        p.get(out);
        return out;
    }

    /** An {@code int[]} argument of a boxed call: a list whose element type is int. */
    private static IValue intList(long... v) {
        GenericList l = new GenericList(new Type.TypePtr(IntType.getIntTypePtr().get()));
        for (long x : v) {
            l.push_back(new IValue(x));
        }
        return new IValue(l);
    }

    /** A boxed call with one result (it replaces the arguments on the stack; copied out before the stack goes). */
    private static IValue call1(OperatorHandle op, IValue... args) {
        IValueVector stack = new IValueVector(args);
        op.callBoxed(stack);
        return new IValue(stack.get(0));
    }
}
