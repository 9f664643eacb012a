package dev.vquant.quant;

import dev.vquant.quant.nn.BatchNorm;
import dev.vquant.quant.nn.BatchNorm1d;
import dev.vquant.quant.nn.BatchNorm2d;
import dev.vquant.quant.nn.Conv2d;
import dev.vquant.quant.nn.Identity;
import dev.vquant.quant.nn.Linear;
import dev.vquant.quant.nn.Module;
import dev.vquant.quant.nn.ReLU;
import dev.vquant.quant.nn.intrinsic.BNReLU2d;
import dev.vquant.quant.nn.intrinsic.ConvBn2d;
import dev.vquant.quant.nn.intrinsic.ConvBnReLU2d;
import dev.vquant.quant.nn.intrinsic.ConvReLU2d;
import dev.vquant.quant.nn.intrinsic.LinearBn1d;
import dev.vquant.quant.nn.intrinsic.LinearReLU;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Module fusion, PyTorch 1.13's {@code torch.ao.quantization.fuse_modules} and
 * {@code fuse_modules_qat}: each group of dotted names is replaced by one fused module in the first
 * slot and {@link Identity} in the others. The patterns and what they become:
 * <table>
 * <caption>fusion patterns</caption>
 * <tr><th>pattern</th><th>{@link #fuseModules} (eval)</th><th>{@link #fuseModulesQat} (training)</th></tr>
 * <tr><td>Conv2d, BatchNorm2d</td><td>Conv2d with the BN folded in</td><td>{@link ConvBn2d}</td></tr>
 * <tr><td>Conv2d, BatchNorm2d, ReLU</td><td>{@link ConvReLU2d} over the folded Conv2d</td><td>{@link ConvBnReLU2d}</td></tr>
 * <tr><td>Conv2d, ReLU</td><td>{@link ConvReLU2d}</td><td>{@link ConvReLU2d}</td></tr>
 * <tr><td>Linear, ReLU</td><td>{@link LinearReLU}</td><td>{@link LinearReLU}</td></tr>
 * <tr><td>Linear, BatchNorm1d</td><td>Linear with the BN folded in</td><td>{@link LinearBn1d}</td></tr>
 * <tr><td>BatchNorm2d, ReLU</td><td>{@link BNReLU2d}</td><td>{@link BNReLU2d}</td></tr>
 * </table>
 * Folding is PyTorch's {@code fuse_conv_bn_weights} / {@code fuse_linear_bn_weights} in float32 in
 * the same operation order, so the fused weights and biases equal PyTorch's bit for bit.
 */
public final class Fuser {
    private static final String SUPPORTED = "(Conv2d, BatchNorm2d), (Conv2d, BatchNorm2d, ReLU), (Conv2d, ReLU), "
            + "(Linear, ReLU), (Linear, BatchNorm1d), (BatchNorm2d, ReLU)";

    private Fuser() {
    }

    /**
     * Folded weight and bias of a convolution or linear layer and the batch norm after it.
     *
     * @param weight the folded weight, same layout as the layer's ({@code [out, ...]} row-major)
     * @param bias   the folded bias, {@code [out]}
     */
    public record Folded(float[] weight, float[] bias) {
    }

    /**
     * {@code fuseModules(model, groups, false)}: fuses a {@link Module#deepCopy() copy}, the model is unchanged.
     *
     * @param model  the float model in eval mode
     * @param groups the submodule paths to fuse together, e.g. {@code [["conv1", "bn1", "relu1"]]}
     * @return the fused copy; each group's first slot holds the fused module, the others {@link Identity}
     * @throws IllegalArgumentException as {@link #fuseModules(Module, List, boolean)}
     */
    public static Module fuseModules(Module model, List<List<String>> groups) {
        return fuseModules(model, groups, false);
    }

    /**
     * Fuses each group of {@code groups} for inference (PyTorch's {@code fuse_modules}): batch
     * norms are folded into the preceding convolution or linear layer, so every module of a
     * group with a batch norm must be in eval mode.
     *
     * @param model  the float model
     * @param groups the submodule paths to fuse together, e.g. {@code [["conv1", "bn1", "relu1"]]}
     * @return the fused model ({@code model} itself when {@code inplace}); each group's first slot holds the fused module, the others {@link Identity}
     * @param inplace fuse {@code model} itself (and return it) rather than a copy
     * @throws IllegalArgumentException naming the group for an unknown name, an unsupported
     *                                  pattern (listing the supported ones), modules in different
     *                                  modes, or a batch norm in training mode
     */
    public static Module fuseModules(Module model, List<List<String>> groups, boolean inplace) {
        return fuse(model, groups, inplace, false);
    }

    /**
     * {@code fuseModulesQat(model, groups, false)}.
     *
     * @param model  the float model, usually in training mode
     * @param groups the submodule paths to fuse together, e.g. {@code [["conv1", "bn1", "relu1"]]}
     * @return the fused copy
     * @throws IllegalArgumentException as {@link #fuseModules(Module, List, boolean)}
     */
    public static Module fuseModulesQat(Module model, List<List<String>> groups) {
        return fuseModulesQat(model, groups, false);
    }

    /**
     * Fuses each group for quantization-aware training (PyTorch's {@code fuse_modules_qat}): conv
     * or linear and batch norm stay apart inside {@link ConvBn2d}, {@link ConvBnReLU2d},
     * {@link LinearBn1d}; the other patterns fuse as in {@link #fuseModules}.
     *
     * @param model   the float model, usually in training mode
     * @param groups  the submodule paths to fuse together, e.g. {@code [["conv1", "bn1", "relu1"]]}
     * @param inplace fuse {@code model} itself (and return it) rather than a copy
     * @return the fused model ({@code model} itself when {@code inplace})
     * @throws IllegalArgumentException as {@link #fuseModules(Module, List, boolean)}
     */
    public static Module fuseModulesQat(Module model, List<List<String>> groups, boolean inplace) {
        return fuse(model, groups, inplace, true);
    }

    private static Module fuse(Module model, List<List<String>> groups, boolean inplace, boolean qat) {
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(groups, "groups");
        Module target = inplace ? model : model.deepCopy();
        for (List<String> group : groups) {
            Objects.requireNonNull(group, "group");
            List<Module> mods = new ArrayList<>();
            for (String name : group) {
                try {
                    mods.add(target.getSubmodule(name));
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException("cannot fuse " + group + ": no module named '" + name + "' (" + e.getMessage() + ")", e);
                }
            }
            List<Module> fused;
            try {
                fused = fuseKnownModules(mods, qat);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("cannot fuse " + group + ": " + e.getMessage(), e);
            }
            for (int i = 0; i < group.size(); i++) {
                target.setSubmodule(group.get(i), fused.get(i));
            }
        }
        return target;
    }

    /**
     * PyTorch's {@code fuse_known_modules}: the fused module followed by an {@link Identity} (in
     * the first module's mode) for every other slot.
     *
     * @param mods the modules of one group, in order (e.g. Conv2d, BatchNorm2d, ReLU)
     * @param qat  fuse for QAT (batch norm kept apart) rather than folding it for inference
     * @return as many modules as {@code mods}: the fused one, then Identities
     * @throws IllegalArgumentException for an unsupported pattern (listing the supported ones),
     *                                  modules in different modes, or a batch norm to fold in
     *                                  training mode
     */
    public static List<Module> fuseKnownModules(List<Module> mods, boolean qat) {
        Module fused = fusePattern(mods, qat);
        List<Module> out = new ArrayList<>();
        out.add(fused);
        for (int i = 1; i < mods.size(); i++) {
            Identity id = new Identity();
            id.train(mods.get(0).isTraining());
            out.add(id);
        }
        return out;
    }

    private static Module fusePattern(List<Module> m, boolean qat) {
        List<Class<?>> types = m.stream().<Class<?>>map(Object::getClass).toList();
        if (types.equals(List.of(Conv2d.class, BatchNorm2d.class))) {
            Conv2d conv = (Conv2d) m.get(0);
            BatchNorm2d bn = sameMode("Conv", conv, bn(m.get(1)));
            return qat ? new ConvBn2d(conv, bn) : foldConv(conv, bn);
        }
        if (types.equals(List.of(Conv2d.class, BatchNorm2d.class, ReLU.class))) {
            Conv2d conv = (Conv2d) m.get(0);
            BatchNorm2d bn = sameMode("Conv", conv, bn(m.get(1)));
            return qat ? new ConvBnReLU2d(conv, bn, (ReLU) m.get(2)) : new ConvReLU2d(foldConv(conv, bn), (ReLU) m.get(2));
        }
        if (types.equals(List.of(Conv2d.class, ReLU.class))) {
            return new ConvReLU2d((Conv2d) m.get(0), (ReLU) m.get(1));
        }
        if (types.equals(List.of(Linear.class, ReLU.class))) {
            return new LinearReLU((Linear) m.get(0), (ReLU) m.get(1));
        }
        if (types.equals(List.of(Linear.class, BatchNorm1d.class))) {
            Linear linear = (Linear) m.get(0);
            BatchNorm1d bn = sameMode("Linear", linear, bn(m.get(1)));
            return qat ? new LinearBn1d(linear, bn) : foldLinear(linear, bn);
        }
        if (types.equals(List.of(BatchNorm2d.class, ReLU.class))) {
            return new BNReLU2d((BatchNorm2d) m.get(0), (ReLU) m.get(1));
        }
        throw new IllegalArgumentException("cannot fuse modules " + types.stream().map(Class::getSimpleName).toList()
                + "; supported patterns: " + SUPPORTED);
    }

    private static <B extends BatchNorm> B bn(Module m) {
        @SuppressWarnings("unchecked") B bn = (B) m;
        if (!bn.isAffine() || !bn.tracksRunningStats()) {
            throw new IllegalArgumentException("only a batch norm with affine=True and track_running_stats=True can be fused, got " + bn);
        }
        return bn;
    }

    private static <B extends BatchNorm> B sameMode(String what, Module layer, B bn) {
        if (layer.isTraining() != bn.isTraining()) {
            throw new IllegalArgumentException(what + " and BN both must be in the same mode (train or eval)");
        }
        return bn;
    }

    private static void checkEval(Module layer, BatchNorm bn) {
        if (layer.isTraining() || bn.isTraining()) {
            throw new IllegalArgumentException("folding a batch norm is for eval mode only: call eval() first, "
                    + "or use fuseModulesQat to keep it apart for quantization-aware training");
        }
        if (bn.numFeatures() != (layer instanceof Conv2d c ? c.outChannels() : ((Linear) layer).outFeatures())) {
            throw new IllegalArgumentException("the batch norm's " + bn.numFeatures() + " features do not match the outputs of " + layer);
        }
    }

    private static Conv2d foldConv(Conv2d conv, BatchNorm2d bn) {
        checkEval(conv, bn);
        Folded f = foldConvBnWeights(conv.weight().data(), conv.bias() == null ? null : conv.bias().data(), conv.outChannels(),
                bn.runningMean().data(), bn.runningVar().data(), bn.eps(), bn.weight().data(), bn.bias().data());
        Conv2d fused = conv.toBuilder().bias(true).seed(0).build();
        fused.weight().copyFrom(f.weight());
        fused.bias().copyFrom(f.bias());
        fused.train(conv.isTraining());
        return fused;
    }

    private static Linear foldLinear(Linear linear, BatchNorm1d bn) {
        checkEval(linear, bn);
        Folded f = foldLinearBnWeights(linear.weight().data(), linear.bias() == null ? null : linear.bias().data(),
                linear.outFeatures(), bn.runningMean().data(), bn.runningVar().data(), bn.eps(), bn.weight().data(), bn.bias().data());
        Linear fused = new Linear(linear.inFeatures(), linear.outFeatures(), true, 0);
        fused.weight().copyFrom(f.weight());
        fused.bias().copyFrom(f.bias());
        fused.train(linear.isTraining());
        return fused;
    }

    /**
     * PyTorch's {@code fuse_conv_bn_weights} in float32, its operation order kept:
     * {@code rsqrt = 1 / sqrt(var + (float) eps)}, {@code w' = w * (gamma * rsqrt)} per output
     * channel, {@code b' = ((b - mean) * rsqrt) * gamma + beta} (b = 0 when absent).
     *
     * @param bias   {@code [out]}, or null for a convolution without bias
     * @param out    the number of output channels
     * @param mean   the batch norm's running mean, {@code [out]}
     * @param var    the batch norm's running variance, {@code [out]}
     * @param eps    the batch norm's epsilon
     * @param gamma  the batch norm's weight, {@code [out]}
     * @param beta   the batch norm's bias, {@code [out]}
     * @return new arrays; the inputs are not modified
     * @param weight {@code [out, ...]} row-major, {@code out} rows
     */
    public static Folded foldConvBnWeights(float[] weight, float[] bias, int out, float[] mean, float[] var, double eps,
                                           float[] gamma, float[] beta) {
        float[] rsqrt = rsqrt(var, eps, out);
        float[] b = new float[out];
        for (int c = 0; c < out; c++) {
            b[c] = ((bias == null ? 0f : bias[c]) - mean[c]) * rsqrt[c] * gamma[c] + beta[c];
        }
        return new Folded(scaleRows(weight, out, gamma, rsqrt), b);
    }

    /**
     * PyTorch's {@code fuse_linear_bn_weights} in float32, its operation order kept:
     * {@code scale = gamma * (1 / sqrt(var + (float) eps))}, {@code w' = w * scale} per output row,
     * {@code b' = (b - mean) * scale + beta} (b = 0 when absent).
     *
     * @param weight {@code [out, in]} row-major
     * @param bias   {@code [out]}, or null for a layer without bias
     * @param out    the number of output features
     * @param mean   the batch norm's running mean, {@code [out]}
     * @param var    the batch norm's running variance, {@code [out]}
     * @param eps    the batch norm's epsilon
     * @param gamma  the batch norm's weight, {@code [out]}
     * @param beta   the batch norm's bias, {@code [out]}
     * @return new arrays; the inputs are not modified
     */
    public static Folded foldLinearBnWeights(float[] weight, float[] bias, int out, float[] mean, float[] var, double eps,
                                             float[] gamma, float[] beta) {
        float[] rsqrt = rsqrt(var, eps, out);
        float[] b = new float[out];
        for (int c = 0; c < out; c++) {
            float scale = gamma[c] * rsqrt[c];
            b[c] = ((bias == null ? 0f : bias[c]) - mean[c]) * scale + beta[c];
        }
        return new Folded(scaleRows(weight, out, gamma, rsqrt), b);
    }

    /** {@code torch.rsqrt(var + eps)} in float32: the sum rounded to float, then 1 / sqrt, each rounded. */
    private static float[] rsqrt(float[] var, double eps, int out) {
        if (var.length != out) {
            throw new IllegalArgumentException("batch norm of " + var.length + " features after a layer of " + out + " outputs");
        }
        float e = (float) eps;
        float[] r = new float[out];
        for (int c = 0; c < out; c++) {
            r[c] = 1f / (float) Math.sqrt(var[c] + e);
        }
        return r;
    }

    /** {@code w * (gamma * rsqrt)} broadcast over each output channel's row. */
    private static float[] scaleRows(float[] weight, int out, float[] gamma, float[] rsqrt) {
        if (weight.length % out != 0) {
            throw new IllegalArgumentException("weight of " + weight.length + " values does not split into " + out + " output rows");
        }
        int row = weight.length / out;
        float[] w = new float[weight.length];
        for (int c = 0; c < out; c++) {
            float s = gamma[c] * rsqrt[c];
            for (int i = c * row; i < (c + 1) * row; i++) {
                w[i] = weight[i] * s;
            }
        }
        return w;
    }
}
