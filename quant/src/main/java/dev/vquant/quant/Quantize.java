package dev.vquant.quant;

import dev.vquant.engine.DType;
import dev.vquant.engine.FloatTensor;
import dev.vquant.engine.QParams;
import dev.vquant.engine.QTensor;
import dev.vquant.engine.QuantEngine;
import dev.vquant.engine.Quantization;
import dev.vquant.engine.spi.EngineNumerics;
import dev.vquant.ops.elementwise.QHardswish;
import dev.vquant.ops.elementwise.QRelu;
import dev.vquant.ops.elementwise.QRelu6;
import dev.vquant.ops.elementwise.QSigmoid;
import dev.vquant.ops.pool.QAdaptiveAvgPool2d;
import dev.vquant.ops.pool.QAvgPool2d;
import dev.vquant.ops.pool.QMaxPool2d;
import dev.vquant.quant.nn.AdaptiveAvgPool2d;
import dev.vquant.quant.nn.AvgPool2d;
import dev.vquant.quant.nn.BatchNorm2d;
import dev.vquant.quant.nn.Conv2d;
import dev.vquant.quant.nn.DeQuantStub;
import dev.vquant.quant.nn.Dropout;
import dev.vquant.quant.nn.Flatten;
import dev.vquant.quant.nn.FloatFunctional;
import dev.vquant.quant.nn.Hardswish;
import dev.vquant.quant.nn.Identity;
import dev.vquant.quant.nn.Linear;
import dev.vquant.quant.nn.MaxPool2d;
import dev.vquant.quant.nn.Module;
import dev.vquant.quant.nn.Parameter;
import dev.vquant.quant.nn.QuantStub;
import dev.vquant.quant.nn.ReLU;
import dev.vquant.quant.nn.ReLU6;
import dev.vquant.quant.nn.Sequential;
import dev.vquant.quant.nn.Sigmoid;
import dev.vquant.quant.nn.quantized.DeQuantize;
import dev.vquant.quant.nn.quantized.QFunctional;
import dev.vquant.quant.nn.quantized.QuantizedOperatorModule;
import dev.vquant.quant.observer.Observer;
import dev.vquant.quant.observer.UniformQuantizationObserver;
import dev.vquant.quant.qat.FakeQuantize;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.logging.Logger;

/**
 * PyTorch's eager-mode quantization workflow ({@code torch.ao.quantization}): {@link #prepare}
 * installs observers where a qconfig says so, calibration is a float forward through the prepared
 * model, {@link #convert} swaps observed float modules for quantized ones whose weights are
 * quantized by the qconfig's weight observer and whose output qparams come from the calibrated
 * activation observers, and {@link #quantizeDynamic} swaps Linear layers for dynamically quantized
 * ones. The results run on any engine (weights are packed per engine on first use).
 */
public final class Quantize {
    private static final Logger LOG = Logger.getLogger(Quantize.class.getName());

    private Quantize() {
    }

    /**
     * A converted model and what conversion did to it.
     *
     * @param model  the converted model
     * @param report what conversion did: the modules swapped and those left float
     */
    public record Conversion(Module model, ConvertReport report) {
    }

    /**
     * {@code prepare(model, false)}: observes a deep copy, the original stays untouched.
     *
     * @param model the float model, with qconfigs set where it should be quantized
     * @return the prepared copy, observers installed
     * @throws IllegalArgumentException when no module has a qconfig
     */
    public static Module prepare(Module model) {
        return prepare(model, false);
    }

    /**
     * Propagates qconfigs (a module's own wins, {@code null} keeps a subtree float) and installs an
     * output observer ({@code activation_post_process}) on every QuantStub, Linear, Conv2d, BatchNorm2d, fused
     * module and Hardswish with a qconfig, and inside every FloatFunctional, as PyTorch's
     * {@code prepare}. Logs a warning when the current engine is qnnpack and an activation observer
     * uses reduce_range, as PyTorch does.
     *
     * @param model the float model, with qconfigs set where it should be quantized
     * @return the prepared model: {@code model} itself when {@code inplace}, else its deep copy
     * @param inplace observe {@code model} itself rather than a deep copy
     * @throws IllegalArgumentException when no module has a qconfig (nothing would be quantized)
     */
    public static Module prepare(Module model, boolean inplace) {
        Module m = inplace ? Objects.requireNonNull(model, "model") : model.deepCopy();
        Map<Module, QConfig> effective = propagateAny(m, "prepare", "defaultFor");
        boolean warned = false;
        List<String> fused = new ArrayList<>();
        for (Map.Entry<String, Module> e : new ArrayList<>(m.namedModules().entrySet())) {
            Module mod = e.getValue();
            QConfig q = effective.get(mod);
            mod.setQConfig(q);
            String name = e.getKey();
            if (q == null || !observesOutput(mod) || fused.stream().anyMatch(f -> name.startsWith(f + "."))) {
                continue; // float scopes, unobserved types, and the parts of a fused module (observed as one)
            }
            if (FusedModules.isFused(mod) || QatModules.isQat(mod)) {
                fused.add(name); // its parts (a QAT ConvBn2d's bn too) are observed as the whole
            }
            Observer observer = q.activation().get();
            // a fake-quant (QAT qconfig) is itself the module PyTorch installs; plain observers get a wrapper
            Module post = observer instanceof Module fakeQuant ? fakeQuant : new ObserverModule(observer);
            if (!warned && reducesRangeOnQnnpack(observer)) {
                LOG.warning("prepare: the activation observer of '" + e.getKey() + "' uses reduce_range, but the current "
                        + "engine is qnnpack, which does not need it: activations lose one bit for nothing "
                        + "(use QConfig.defaultFor(\"qnnpack\"))");
                warned = true;
            }
            if (mod instanceof FloatFunctional) {
                m.setSubmodule(qualified(e.getKey(), Module.ACTIVATION_POST_PROCESS), post);
            } else {
                mod.setOutputObserver(post);
            }
        }
        return m;
    }

    /**
     * {@code prepareQat(model, false)}: prepares a deep copy, the original stays untouched.
     *
     * @param model the float model (usually fused for QAT), with QAT qconfigs set
     * @return the prepared copy, QAT modules swapped in and fake-quants installed
     * @throws IllegalArgumentException when no module has a qconfig, or one does not make fake-quants
     */
    public static Module prepareQat(Module model) {
        return prepareQat(model, false);
    }

    /**
     * PyTorch's {@code prepare_qat}: propagates qconfigs, swaps every Linear, Conv2d and fused
     * ConvBn2d, ConvBnReLU2d, ConvReLU2d and LinearReLU with a qconfig for its QAT module
     * ({@code nn.qat} / {@code nn.intrinsic.qat}: weights fake-quantized by the qconfig's weight
     * fake-quant, BN folded into the weight), then installs the qconfig's activation fake-quants as
     * {@link #prepare} installs observers. Use a QAT qconfig ({@link QConfig#defaultQatFor}); the
     * model is usually fused in training mode first ({@code Fuser.fuseModulesQat}).
     *
     * @param model the float model (usually fused for QAT), with QAT qconfigs set
     * @return the prepared model: {@code model} itself when {@code inplace}, else its deep copy
     * @param inplace prepare {@code model} itself rather than a deep copy
     * @throws IllegalArgumentException when no module has a qconfig, or a swapped module's qconfig
     *                                  does not make fake-quants
     */
    public static Module prepareQat(Module model, boolean inplace) {
        Module m = inplace ? Objects.requireNonNull(model, "model") : model.deepCopy();
        Map<Module, QConfig> effective = propagateAny(m, "prepareQat", "defaultQatFor");
        List<String> swapped = new ArrayList<>();
        for (Map.Entry<String, Module> e : new ArrayList<>(m.namedModules().entrySet())) {
            String name = e.getKey();
            QConfig q = effective.get(e.getValue());
            if (name.isEmpty() || q == null || swapped.stream().anyMatch(s -> name.startsWith(s + "."))) {
                continue;
            }
            Module qat = QatModules.qatCounterpart(e.getValue(), q);
            if (qat != null) {
                m.setSubmodule(name, qat);
                swapped.add(name);
            }
        }
        return prepare(m, true);
    }

    private static boolean reducesRangeOnQnnpack(Observer observer) {
        Observer inner = observer instanceof FakeQuantize f ? f.observer() : observer;
        return inner instanceof UniformQuantizationObserver u && u.reduceRange()
                && QuantEngine.current().numerics().family() == EngineNumerics.Family.QNNPACK;
    }

    /** {@link #propagate}, refusing a model in which no module has a qconfig (nothing would be quantized). */
    private static Map<Module, QConfig> propagateAny(Module m, String step, String factory) {
        Map<Module, QConfig> effective = propagate(m);
        if (effective.values().stream().allMatch(Objects::isNull)) {
            throw new IllegalArgumentException(step + ": no module has a qconfig; call model.setQConfig(QConfig." + factory
                    + "(engine)) first");
        }
        return effective;
    }

    /** Every module's effective qconfig: its own when set, else its parent's. */
    private static Map<Module, QConfig> propagate(Module root) {
        Map<Module, QConfig> out = new IdentityHashMap<>();
        propagate(root, null, out);
        return out;
    }

    private static void propagate(Module m, QConfig inherited, Map<Module, QConfig> out) {
        QConfig q = m.hasOwnQConfig() ? m.qconfig() : inherited;
        out.put(m, q);
        for (Module child : m.namedChildren().values()) {
            propagate(child, q, out);
        }
    }

    /** The module types whose output PyTorch's prepare observes (they get their own output qparams). */
    private static boolean observesOutput(Module m) {
        return m instanceof QuantStub || m instanceof Linear || m instanceof Conv2d || m instanceof FloatFunctional
                || m instanceof Hardswish || m instanceof BatchNorm2d || FusedModules.isFused(m) || QatModules.isQat(m);
    }

    /**
     * {@code convert(prepared, false).model()}, logging the report when anything stayed float.
     *
     * @param prepared a model returned by {@link #prepare} or {@link #prepareQat} and calibrated or trained
     * @return the quantized copy
     * @throws IllegalArgumentException when the model was not prepared
     */
    public static Module convert(Module prepared) {
        return convertWithReport(prepared, false).model();
    }

    /**
     * Swaps every observed module for its quantized counterpart (PyTorch's {@code convert}):
     * QuantStub to Quantize, DeQuantStub to DeQuantize, Linear/Conv2d and the fused modules to
     * quantized ones (weights through the qconfig's weight observer, output qparams from the
     * calibrated observer), BatchNorm2d and the fused BNReLU2d to quantized ones (their float
     * statistics kept), FloatFunctional to QFunctional, Hardswish with its qparams; the
     * parameter-free ReLU, ReLU6, Sigmoid and poolings in a qconfig's scope to their quantized
     * operators (which keep the input's qparams, or Sigmoid's fixed 1/256). Flatten, Identity and
     * Dropout pass quantized tensors through unchanged. Everything else with a qconfig stays float
     * and is listed in the report.
     *
     * @param prepared a model returned by {@link #prepare} or {@link #prepareQat} and calibrated or trained
     * @return the quantized model ({@code prepared} itself when {@code inplace}) with the report of what stayed float
     * @param inplace convert {@code prepared} itself rather than a deep copy
     * @throws IllegalStateException naming a module when no observer has seen data (calibrate
     *                               first); an observer calibration never reached gets PyTorch's
     *                               default qparams (scale 1, zero point 0) and a warning
     * @throws IllegalArgumentException when the model was not prepared (no observer anywhere)
     */
    public static Conversion convertWithReport(Module prepared, boolean inplace) {
        Objects.requireNonNull(prepared, "prepared");
        Module m = inplace ? prepared : prepared.deepCopy();
        List<String> converted = new ArrayList<>();
        List<String> leftFloat = new ArrayList<>();
        boolean anyObserver = false;
        boolean calibrated = m.namedModules().values().stream()
                .anyMatch(mod -> (mod instanceof ObserverModule || mod instanceof FakeQuantize) && CalibratedValues.hasSeenData(mod));
        List<String> replaced = new ArrayList<>();
        for (Map.Entry<String, Module> e : new ArrayList<>(m.namedModules().entrySet())) {
            String name = e.getKey();
            Module mod = e.getValue();
            if (name.isEmpty() || mod instanceof ObserverModule || mod.qconfig() == null
                    || replaced.stream().anyMatch(r -> name.startsWith(r + "."))) {
                continue; // the root, observers, float scopes, and the insides of a module already swapped
            }
            if (mod instanceof FakeQuantize) {
                replaced.add(name); // an activation fake-quant (read by its module) and its observer
                continue;
            }
            Module observer = outputObserverOf(mod);
            anyObserver |= observer != null;
            Module replacement = quantizedCounterpart(name, mod, observer == null ? null : new CalibratedValues(mod.qconfig(), observer, calibrated));
            if (replacement == mod) {
                continue; // passes quantized tensors through as it is
            }
            if (replacement == null) {
                if (mod.namedChildren().isEmpty() || mod instanceof FloatFunctional) {
                    leftFloat.add(name + " (" + mod.getClass().getSimpleName() + "): no quantized counterpart");
                }
                continue;
            }
            m.setSubmodule(name, replacement);
            replaced.add(name);
            converted.add(name + ": " + mod.getClass().getSimpleName() + " -> " + replacement.getClass().getSimpleName());
        }
        if (!anyObserver) {
            throw new IllegalArgumentException("convert: the model has no observers; call Quantize.prepare and calibrate first");
        }
        ConvertReport report = new ConvertReport(converted, leftFloat);
        if (!leftFloat.isEmpty()) {
            LOG.warning("convert left modules with a qconfig float: " + leftFloat);
        }
        return new Conversion(m, report);
    }

    /** The module's output observer or activation fake-quant, or null. */
    private static Module outputObserverOf(Module mod) {
        Module post = mod instanceof FloatFunctional ? mod.namedChildren().get(Module.ACTIVATION_POST_PROCESS)
                : mod.outputObserver().orElse(null);
        return post instanceof ObserverModule || post instanceof FakeQuantize ? post : null;
    }

    /**
     * The quantized module for {@code mod}, {@code mod} itself when it passes quantized tensors, or
     * null; {@code values} (null when {@code mod} has none) gives its output qparams and quantized weights.
     */
    static Module quantizedCounterpart(String name, Module mod, QuantizedValues values) {
        if (mod instanceof DeQuantStub) {
            return new DeQuantize();
        }
        if (mod instanceof Flatten || mod instanceof Identity || mod instanceof Dropout || mod instanceof Sequential) {
            return mod;
        }
        if (mod instanceof ReLU) {
            return new QuantizedOperatorModule(new QRelu(0), "");
        }
        if (mod instanceof ReLU6) {
            return new QuantizedOperatorModule(new QRelu6(0), "");
        }
        if (mod instanceof Sigmoid) {
            return new QuantizedOperatorModule(new QSigmoid(0), "output scale 1/256, zero point 0");
        }
        if (mod instanceof MaxPool2d p) {
            return new QuantizedOperatorModule(QMaxPool2d.builder(p.geometry()).ceilMode(p.ceilMode()).build(),
                    p.geometry() + ", ceil_mode=" + p.ceilMode());
        }
        if (mod instanceof AvgPool2d p) {
            return new QuantizedOperatorModule(QAvgPool2d.builder(p.geometry()).ceilMode(p.ceilMode())
                    .countIncludePad(p.countIncludePad()).divisorOverride(p.divisorOverride()).build(),
                    p.geometry() + ", ceil_mode=" + p.ceilMode() + ", count_include_pad=" + p.countIncludePad());
        }
        if (mod instanceof AdaptiveAvgPool2d p) {
            return new QuantizedOperatorModule(QAdaptiveAvgPool2d.builder(p.outputH(), p.outputW()).build(),
                    "output_size=(" + p.outputH() + ", " + p.outputW() + ")");
        }
        if (values == null) {
            return null;
        }
        QParams.PerTensor out = values.output(name);
        if (mod instanceof QuantStub) {
            return new dev.vquant.quant.nn.quantized.Quantize(out.scale(), out.zeroPoint(), out.dtype());
        }
        if (mod instanceof FloatFunctional) {
            return new QFunctional(out.scale(), out.zeroPoint());
        }
        if (mod instanceof Hardswish) {
            return new QuantizedOperatorModule(QHardswish.builder().output(out.scale(), out.zeroPoint()).build(),
                    "scale=" + out.scale() + ", zero_point=" + out.zeroPoint());
        }
        if (mod instanceof Linear l) {
            return quantizedLinear(name, values, l, out, false);
        }
        if (QatModules.isQat(mod)) {
            return QatModules.quantized(name, mod, values, out);
        }
        if (mod instanceof Conv2d c) {
            return quantizedConv(name, values, c, out, false);
        }
        if (mod instanceof BatchNorm2d b) {
            return quantizedBatchNorm(name, values, b, out, false);
        }
        return FusedModules.quantized(name, mod, values, out);
    }

    /** The quantized Conv2d (or ConvReLU2d) for a float convolution and its output qparams. */
    static Module quantizedConv(String name, QuantizedValues values, Conv2d c, QParams.PerTensor out, boolean relu) {
        QTensor w = values.weight(name, c.weight());
        float[] bias = values.bias(name, c.bias());
        var g = c.geometry();
        int[] stride = {g.strideH(), g.strideW()};
        int[] padding = {g.padH(), g.padW()};
        int[] dilation = {g.dilationH(), g.dilationW()};
        return relu
                ? new dev.vquant.quant.nn.quantized.ConvReLU2d(w, bias, stride, padding, dilation, c.groups(),
                out.scale(), out.zeroPoint())
                : new dev.vquant.quant.nn.quantized.Conv2d(w, bias, stride, padding, dilation, c.groups(),
                out.scale(), out.zeroPoint());
    }

    /**
     * The quantized BatchNorm2d (or BNReLU2d) for a float one in eval mode and its output qparams:
     * its running statistics, weight and bias (1 and 0 when not affine) as they are, PyTorch's
     * {@code from_float}.
     *
     * @throws IllegalArgumentException naming the module when it keeps no running statistics
     */
    static Module quantizedBatchNorm(String name, QuantizedValues values, BatchNorm2d b, QParams.PerTensor out, boolean relu) {
        if (!b.tracksRunningStats()) {
            throw new IllegalArgumentException("convert: BatchNorm2d '" + name + "' keeps no running statistics "
                    + "(track_running_stats=False); a quantized BatchNorm2d normalizes with them");
        }
        int c = b.numFeatures();
        float[] ones = new float[c];
        java.util.Arrays.fill(ones, 1f);
        float[] w = values.floats(name, "weight", b.weight() == null ? ones : b.weight().data(), c);
        float[] bias = values.floats(name, "bias", b.bias() == null ? new float[c] : b.bias().data(), c);
        float[] mean = values.floats(name, "running_mean", b.runningMean().data(), c);
        float[] var = values.floats(name, "running_var", b.runningVar().data(), c);
        return relu ? new dev.vquant.quant.nn.quantized.BNReLU2d(w, bias, mean, var, b.eps(), out.scale(), out.zeroPoint())
                : new dev.vquant.quant.nn.quantized.BatchNorm2d(w, bias, mean, var, b.eps(), out.scale(), out.zeroPoint());
    }

    /** The quantized Linear (or LinearReLU) for a float Linear and its output qparams. */
    static Module quantizedLinear(String name, QuantizedValues values, Linear l, QParams.PerTensor out, boolean relu) {
        QTensor w = values.weight(name, l.weight());
        float[] bias = values.bias(name, l.bias());
        return relu ? new dev.vquant.quant.nn.quantized.LinearReLU(w, bias, out.scale(), out.zeroPoint())
                : new dev.vquant.quant.nn.quantized.Linear(w, bias, out.scale(), out.zeroPoint());
    }

    /**
     * {@code weight} quantized with the qconfig's weight observer: a fresh observer records the
     * float weight (PyTorch's logical order, so a per-channel observer's axis 0 is the output
     * channel) and its qparams quantize it as {@code torch.quantize_per_tensor/per_channel} does.
     */
    static QTensor quantizeWeight(String name, QConfig q, Parameter weight) {
        return quantizeObserved(name, q.weight().get(), weight);
    }

    /**
     * {@code weight} quantized with the qparams of {@code wo} after it recorded the weight (a fresh
     * observer, or a QAT module's weight fake-quant, which records it only while its observer is enabled).
     */
    static QTensor quantizeObserved(String name, Observer wo, Parameter weight) {
        FloatTensor w = FloatTensor.of(weight.data().clone(), weight.shape());
        wo.forward(w);
        QParams qp = wo.calculateQParams();
        if (qp.dtype() != DType.QINT8) {
            throw new IllegalArgumentException("convert: the weight observer of '" + name + "' gives " + qp.dtype()
                    + " qparams; quantized weights are qint8");
        }
        return Quantization.quantize(w, qp);
    }

    /**
     * A quantized model built from a converted model's saved state instead of calibration: loads a
     * model quantized by PyTorch (exported to safetensors in the flattened int8 layout, read with
     * {@link dev.vquant.quant.io.StateDicts#load}) or saved by vquant. {@code floatModel} must have
     * the same structure as the model that was converted (fused the same way); a deep copy of it is
     * converted: every module with saved output qparams becomes its quantized counterpart with the
     * saved weights, bias and qparams, and the parameter-free modules (DeQuantStub, ReLU, pools)
     * their quantized operators, as {@link #convert} does.
     *
     * @param floatModel the float model, structured (and fused) as the model that was converted; not modified
     * @param savedState the converted model's state dict: PyTorch's keys ({@code conv1.weight}, {@code conv1.scale}, ...) to tensors
     * @return the quantized model and the report of what stayed float
     * @throws IllegalArgumentException when an entry is missing, has the wrong shape, or is not used
     *                                  by any module (all such entries are named)
     */
    public static Conversion convertFromState(Module floatModel, Map<String, Tensor> savedState) {
        Objects.requireNonNull(floatModel, "floatModel");
        Objects.requireNonNull(savedState, "savedState");
        Module m = floatModel.deepCopy();
        SavedValues values = new SavedValues(savedState);
        List<String> converted = new ArrayList<>();
        List<String> replaced = new ArrayList<>();
        java.util.Set<String> used = new java.util.HashSet<>();
        for (Map.Entry<String, Module> e : new ArrayList<>(m.namedModules().entrySet())) {
            String name = e.getKey();
            Module mod = e.getValue();
            if (name.isEmpty() || replaced.stream().anyMatch(r -> name.startsWith(r + "."))) {
                continue;
            }
            Module replacement = quantizedCounterpart(name, mod, values.has(name) ? values : null);
            if (replacement == null || replacement == mod) {
                continue;
            }
            m.setSubmodule(name, replacement);
            replaced.add(name);
            converted.add(name + ": " + mod.getClass().getSimpleName() + " -> " + replacement.getClass().getSimpleName());
            for (String suffix : new String[]{".weight", ".bias", ".scale", ".zero_point", ".running_mean", ".running_var"}) {
                used.add(name + suffix);
            }
        }
        List<String> unused = savedState.keySet().stream().filter(k -> !used.contains(k)).sorted().toList();
        if (!unused.isEmpty()) {
            throw new IllegalArgumentException("convertFromState: no module of " + floatModel.getClass().getSimpleName()
                    + " takes the saved entries " + unused + " (is the model fused as the saved one was?)");
        }
        return new Conversion(m, new ConvertReport(converted, List.of()));
    }

    /**
     * {@code quantizeDynamic(model, types, DType.QINT8)} with PyTorch's default dynamic qconfig.
     *
     * @param model the float model; not modified
     * @param types the module classes to replace ({@code Linear.class}, {@code LSTM.class})
     * @param dtype the weight dtype, {@link DType#QINT8} only
     * @return the dynamically quantized copy
     * @throws IllegalArgumentException for a dtype other than qint8, or a type that has no dynamic counterpart
     */
    public static Module quantizeDynamic(Module model, Set<Class<? extends Module>> types, DType dtype) {
        return quantizeDynamic(model, types, dtype, QConfig.defaultDynamic());
    }

    /**
     * PyTorch's {@code quantize_dynamic}: a copy of {@code model} in which every module of one of
     * {@code types} (Linear; LSTM) is replaced by its dynamically quantized counterpart, weights
     * quantized with {@code qconfig}'s weight observer ({@link QConfig#defaultDynamic()} per tensor,
     * {@link QConfig#perChannelDynamic()} per channel).
     *
     * @param model   the float model; not modified
     * @param types   the module classes to replace ({@code Linear.class}, {@code LSTM.class})
     * @param dtype   the weight dtype, {@link DType#QINT8} only
     * @param qconfig whose weight observer quantizes the weights
     * @return the dynamically quantized copy
     * @throws IllegalArgumentException for a dtype other than qint8, or a type that has no dynamic counterpart
     */
    public static Module quantizeDynamic(Module model, Set<Class<? extends Module>> types, DType dtype, QConfig qconfig) {
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(types, "types");
        Objects.requireNonNull(qconfig, "qconfig");
        if (dtype != DType.QINT8) {
            throw new IllegalArgumentException("quantizeDynamic supports dtype qint8 weights, got " + dtype
                    + " (float16 dynamic quantization is not built)");
        }
        for (Class<? extends Module> t : types) {
            if (!DynamicModules.supports(t)) {
                throw new IllegalArgumentException("quantizeDynamic: no dynamically quantized counterpart for " + t.getSimpleName()
                        + "; supported: " + DynamicModules.SUPPORTED);
            }
        }
        Module m = model.deepCopy();
        for (Map.Entry<String, Module> e : new ArrayList<>(m.namedModules().entrySet())) {
            Module mod = e.getValue();
            if (!e.getKey().isEmpty() && types.contains(mod.getClass())) {
                m.setSubmodule(e.getKey(), DynamicModules.quantized(e.getKey(), mod, qconfig));
            }
        }
        return m;
    }

    private static String qualified(String prefix, String name) {
        return prefix.isEmpty() ? name : prefix + "." + name;
    }
}
