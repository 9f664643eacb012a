package dev.vquant.quant.nn;

import dev.vquant.quant.QConfig;
import dev.vquant.quant.Tensor;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A layer or a model, in the style of PyTorch's {@code nn.Module}: named children, parameters and
 * buffers registered in definition order, {@link #train()}/{@link #eval()}, a
 * {@link #stateDict()} keyed by PyTorch's dotted names and {@link #loadStateDict} that reports
 * missing and unexpected keys and shape mismatches by name.
 *
 * <p>A subclass registers its children in its constructor and calls them through the returned
 * {@link Child} handles in {@link #forward}:
 * <pre>{@code
 * final class Net extends Module {
 *     private final Child conv = registerModule("conv", new Conv2d(1, 8, 3));
 *     private final Child fc = registerModule("fc", new Linear(8 * 26 * 26, 10));
 *     public Tensor forward(Tensor x) {
 *         return fc.forward(Flatten.apply(conv.forward(x), 1));
 *     }
 * }
 * }</pre>
 * A handle always calls the module currently registered under its name, so fusion and conversion
 * ({@link #setSubmodule}) swap layers without the model's code changing, as attribute
 * assignment does in PyTorch.
 *
 * <p>Modules are not thread-safe while being built, loaded, trained or converted; a model in
 * {@link #eval()} mode can serve concurrent {@link #forward} calls when its layers say so (the
 * converted quantized layers do).
 */
public abstract class Module implements Cloneable {
    private Map<String, Child> children = new LinkedHashMap<>();
    private Map<String, Parameter> parameters = new LinkedHashMap<>();
    private Map<String, Parameter> buffers = new LinkedHashMap<>();
    private boolean training = true;
    private QConfig qconfig;
    private boolean qconfigSet;
    private boolean outputObserved;

    /** The child name PyTorch gives a module's output observer (and FloatFunctional's). */
    public static final String ACTIVATION_POST_PROCESS = "activation_post_process";

    /** A module in training mode, without children, parameters, buffers or qconfig. */
    public Module() {
    }

    /**
     * A registered child, called by name: {@link #forward} runs the module currently registered
     * under {@link #name()}, whatever replaced the original.
     */
    public static final class Child {
        private final String name;
        private Module module;

        private Child(String name, Module module) {
            this.name = name;
            this.module = module;
        }

        /** {@return the child's attribute name in its parent} */
        public String name() {
            return name;
        }

        /** {@return the module registered under this name now} */
        public Module get() {
            return module;
        }

        /**
         * Runs the current module.
         *
         * @param x the input
         * @return the current module's output (through its output observer when it has one)
         */
        public Tensor forward(Tensor x) {
            Tensor y = module.forward(x);
            return module.outputObserved ? module.children.get(ACTIVATION_POST_PROCESS).module.forward(y) : y;
        }
    }

    /**
     * Whether a qconfig was set on this module itself ({@link #setQConfig}); when not, it inherits
     * its parent's when {@code prepare} propagates qconfigs.
     *
     * @return whether this module's qconfig was set
     */
    public final boolean hasOwnQConfig() {
        return qconfigSet;
    }

    /**
     * The qconfig set on this module itself: null when none was set, or when null was set to keep
     * it float (tell them apart with {@link #hasOwnQConfig()}).
     *
     * @return the own qconfig, or null
     */
    public final QConfig qconfig() {
        return qconfig;
    }

    /**
     * Sets this module's qconfig (PyTorch's {@code module.qconfig = ...}); {@code null} keeps this
     * module and its descendants float even when an ancestor has a qconfig.
     *
     * @param qconfig the qconfig, or null to keep this subtree float
     * @return this module
     */
    public final Module setQConfig(QConfig qconfig) {
        this.qconfig = qconfig;
        this.qconfigSet = true;
        return this;
    }

    /**
     * Forgets this module's own qconfig, so it inherits its parent's again.
     *
     * @return this module
     */
    public final Module clearQConfig() {
        this.qconfig = null;
        this.qconfigSet = false;
        return this;
    }

    /**
     * Makes {@code observer} this module's output observer (PyTorch's {@code activation_post_process}
     * with its forward hook): registered as the child {@value #ACTIVATION_POST_PROCESS} and run on
     * every output that reaches the parent through its {@link Child} handle. Used by prepare.
     *
     * @param observer the observer module
     * @throws IllegalArgumentException when this module already has a child of that name that is not an output observer
     */
    public final void setOutputObserver(Module observer) {
        Objects.requireNonNull(observer, "observer");
        Child existing = children.get(ACTIVATION_POST_PROCESS);
        if (existing != null && !outputObserved) {
            throw new IllegalArgumentException(getClass().getSimpleName() + " has its own '" + ACTIVATION_POST_PROCESS
                    + "' child; replace it with setSubmodule instead");
        }
        if (existing == null) {
            registerModule(ACTIVATION_POST_PROCESS, observer);
        } else {
            existing.module = observer;
        }
        outputObserved = true;
    }

    /** {@return the output observer set by {@link #setOutputObserver}, if any} */
    public final Optional<Module> outputObserver() {
        return outputObserved ? Optional.of(children.get(ACTIVATION_POST_PROCESS).module) : Optional.empty();
    }

    /**
     * Computes the module's output for one input.
     *
     * @param x the input
     * @return the output
     */
    public abstract Tensor forward(Tensor x);

    /**
     * Registers {@code module} as child {@code name} (PyTorch's attribute assignment).
     *
     * @param name   the attribute name, unique among this module's children, parameters and buffers
     * @param module the child
     * @return the handle that calls whatever module is registered under {@code name}
     * @throws IllegalArgumentException when the name is empty, contains a dot, or is taken
     */
    protected final Child registerModule(String name, Module module) {
        checkNewName(name);
        Objects.requireNonNull(module, () -> "module " + name);
        Child c = new Child(name, module);
        children.put(name, c);
        return c;
    }

    /**
     * Registers a learnable parameter; {@code null} records an absent optional one (a Linear
     * without bias), which then appears in neither the state dict nor {@link #namedParameters()}.
     *
     * @param name the attribute name
     * @param p    the parameter, or null
     * @return {@code p}
     * @throws IllegalArgumentException when the name is empty, contains a dot, or is taken
     */
    protected final Parameter registerParameter(String name, Parameter p) {
        checkNewName(name);
        if (p != null && !p.requiresGrad()) {
            throw new IllegalArgumentException("parameter " + name + " is a buffer; use registerBuffer");
        }
        parameters.put(name, p);
        return p;
    }

    /**
     * Registers a buffer (state that is saved but not trained, e.g. BatchNorm's running mean).
     *
     * @param name the attribute name
     * @param b    the buffer, or null
     * @return {@code b}
     * @throws IllegalArgumentException when the name is empty, contains a dot, or is taken
     */
    protected final Parameter registerBuffer(String name, Parameter b) {
        checkNewName(name);
        if (b != null && b.requiresGrad()) {
            throw new IllegalArgumentException("buffer " + name + " must be created with Parameter.buffer");
        }
        buffers.put(name, b);
        return b;
    }

    private void checkNewName(String name) {
        if (name == null || name.isEmpty() || name.contains(".")) {
            throw new IllegalArgumentException("a module attribute name must be non-empty and without '.', got '" + name + "'");
        }
        if (children.containsKey(name) || parameters.containsKey(name) || buffers.containsKey(name)) {
            throw new IllegalArgumentException(getClass().getSimpleName() + " already has an attribute named '" + name + "'");
        }
    }

    /** {@return the direct children by attribute name, in registration order (read-only view)} */
    public final Map<String, Module> namedChildren() {
        Map<String, Module> out = new LinkedHashMap<>();
        children.forEach((n, c) -> out.put(n, c.module));
        return Collections.unmodifiableMap(out);
    }

    /** {@return this module ({@code ""}) and every descendant by dotted name, depth first, as PyTorch's {@code named_modules}} */
    public final Map<String, Module> namedModules() {
        Map<String, Module> out = new LinkedHashMap<>();
        collectModules("", out);
        return Collections.unmodifiableMap(out);
    }

    private void collectModules(String prefix, Map<String, Module> out) {
        out.put(prefix, this);
        children.forEach((n, c) -> c.module.collectModules(prefix.isEmpty() ? n : prefix + "." + n, out));
    }

    /** {@return every learnable parameter of this module and its descendants by dotted name} */
    public final Map<String, Parameter> namedParameters() {
        Map<String, Parameter> out = new LinkedHashMap<>();
        namedModules().forEach((prefix, m) -> m.parameters.forEach((n, p) -> {
            if (p != null) {
                out.put(prefix.isEmpty() ? n : prefix + "." + n, p);
            }
        }));
        return Collections.unmodifiableMap(out);
    }

    /** {@return every buffer of this module and its descendants by dotted name} */
    public final Map<String, Parameter> namedBuffers() {
        Map<String, Parameter> out = new LinkedHashMap<>();
        namedModules().forEach((prefix, m) -> m.buffers.forEach((n, b) -> {
            if (b != null) {
                out.put(prefix.isEmpty() ? n : prefix + "." + n, b);
            }
        }));
        return Collections.unmodifiableMap(out);
    }

    /**
     * This module's own parameter {@code name} ({@code null} when registered absent).
     *
     * @param name the attribute name
     * @return the parameter, or null
     */
    protected final Parameter parameter(String name) {
        return parameters.get(name);
    }

    /**
     * This module's own buffer {@code name}.
     *
     * @param name the attribute name
     * @return the buffer, or null
     */
    protected final Parameter buffer(String name) {
        return buffers.get(name);
    }

    /**
     * The module at dotted path {@code target} ({@code ""} is this one), as PyTorch's {@code get_submodule}.
     *
     * @param target a dotted path such as {@code "layer1.0.conv1"}
     * @return the module there
     * @throws IllegalArgumentException naming the first path element that does not exist
     */
    public final Module getSubmodule(String target) {
        Objects.requireNonNull(target, "target");
        Module m = this;
        if (target.isEmpty()) {
            return m;
        }
        String walked = "";
        for (String part : target.split("\\.", -1)) {
            Child c = m.children.get(part);
            if (c == null) {
                throw new IllegalArgumentException("no submodule '" + part + "' in " + (walked.isEmpty() ? "the model" : "'" + walked + "'")
                        + " (" + m.getClass().getSimpleName() + "); children there: " + m.children.keySet());
            }
            m = c.module;
            walked = walked.isEmpty() ? part : walked + "." + part;
        }
        return m;
    }

    /**
     * Replaces the existing submodule at dotted path {@code target} with {@code replacement} (what
     * fusion and conversion do); the parent's handle now calls the replacement.
     *
     * @param target      a dotted path such as {@code "layer1.0.conv1"}
     * @param replacement the new module
     * @throws IllegalArgumentException when the path does not name an existing submodule
     */
    public final void setSubmodule(String target, Module replacement) {
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(replacement, "replacement");
        int dot = target.lastIndexOf('.');
        Module parent = getSubmodule(dot < 0 ? "" : target.substring(0, dot));
        String name = target.substring(dot + 1);
        Child c = parent.children.get(name);
        if (c == null) {
            throw new IllegalArgumentException("no submodule '" + target + "' to replace; children of "
                    + (dot < 0 ? "the model" : "'" + target.substring(0, dot) + "'") + ": " + parent.children.keySet());
        }
        c.module = replacement;
    }

    /**
     * An independent copy of this module and all its descendants (PyTorch's {@code copy.deepcopy}),
     * what {@code fuseModules(..., inplace = false)} works on: parameters and buffers are copied,
     * children copied recursively, and the copy's {@link Child} handles, {@link Parameter} fields and
     * lists or arrays of them point into the copy. Other fields (settings, immutable operators,
     * packed-weight caches keyed by {@link Parameter} identity) are shared, which is safe for
     * immutable values; a module with other mutable state overrides {@link #afterCopy}.
     *
     * @return the copy
     */
    public final Module deepCopy() {
        return ModuleCopier.copy(this);
    }

    /** A field-for-field clone (no constructor runs); {@link ModuleCopier} then rewires it. */
    final Module shallowClone() {
        try {
            return (Module) super.clone();
        } catch (CloneNotSupportedException e) {
            throw new AssertionError("Module implements Cloneable", e);
        }
    }

    /** Gives a fresh clone its own children, parameters and buffers, mapped by {@code copier}. */
    final void rewireCopy(ModuleCopier copier) {
        Map<String, Child> c = new LinkedHashMap<>();
        children.forEach((n, child) -> c.put(n, copier.child(child)));
        children = c;
        Map<String, Parameter> p = new LinkedHashMap<>();
        parameters.forEach((n, v) -> p.put(n, v == null ? null : copier.parameter(v)));
        parameters = p;
        Map<String, Parameter> b = new LinkedHashMap<>();
        buffers.forEach((n, v) -> b.put(n, v == null ? null : copier.parameter(v)));
        buffers = b;
    }

    /** A new handle for a copied child. */
    static Child copiedChild(Child original, Module copy) {
        return new Child(original.name, copy);
    }

    /**
     * Called on a {@link #deepCopy()} after its children and parameters were copied, for modules
     * whose other mutable state must not be shared with the original (default: nothing).
     */
    protected void afterCopy() {
    }

    /**
     * Sets training mode on this module and every descendant (PyTorch's {@code train(mode)}).
     *
     * @param mode true for training, false for eval
     * @return this module
     */
    public Module train(boolean mode) {
        training = mode;
        for (Child c : children.values()) {
            c.module.train(mode);
        }
        return this;
    }

    /**
     * {@code train(true)}.
     *
     * @return this module
     */
    public final Module train() {
        return train(true);
    }

    /**
     * {@code train(false)}: inference behaviour (BatchNorm uses running statistics, Dropout is the identity).
     *
     * @return this module
     */
    public final Module eval() {
        return train(false);
    }

    /** {@return whether this module is in training mode} */
    public final boolean isTraining() {
        return training;
    }

    /**
     * The state of this module and its descendants by PyTorch's dotted names: parameters, then
     * buffers, per module in registration order. Values share the modules' arrays (contiguous,
     * logical order); copy them before changing them.
     *
     * @return an unmodifiable ordered map
     */
    public final Map<String, Tensor> stateDict() {
        Map<String, Tensor> out = new LinkedHashMap<>();
        namedModules().forEach((prefix, m) -> m.saveToStateDict(prefix.isEmpty() ? "" : prefix + ".", out));
        return Collections.unmodifiableMap(out);
    }

    /**
     * Writes this module's own entries (not its children's) under {@code prefix}. Modules with a
     * different saved form (quantized layers: int8 weights and qparams) override it together with
     * {@link #loadFromStateDict}.
     *
     * @param prefix this module's dotted name plus a dot, {@code ""} for the root
     * @param out    receives the entries
     */
    protected void saveToStateDict(String prefix, Map<String, Tensor> out) {
        parameters.forEach((n, p) -> {
            if (p != null) {
                out.put(prefix + n, p.tensor());
            }
        });
        buffers.forEach((n, b) -> {
            if (b != null) {
                out.put(prefix + n, b.tensor());
            }
        });
    }

    /**
     * Loads this module's own entries from {@code state} (keys under {@code prefix}), recording
     * each key it used in {@code used} and each problem in {@code problems}.
     *
     * @param prefix   this module's dotted name plus a dot, {@code ""} for the root
     * @param state    the whole state dict
     * @param used     collects the keys read
     * @param problems collects what is missing or mismatched
     */
    protected void loadFromStateDict(String prefix, Map<String, Tensor> state, List<String> used, LoadResult.Builder problems) {
        Map<String, Parameter> own = new LinkedHashMap<>();
        parameters.forEach((n, p) -> {
            if (p != null) {
                own.put(n, p);
            }
        });
        buffers.forEach((n, b) -> {
            if (b != null) {
                own.put(n, b);
            }
        });
        own.forEach((n, p) -> {
            String key = prefix + n;
            Tensor t = state.get(key);
            if (t == null) {
                problems.missing(key);
                return;
            }
            used.add(key);
            if (t.isQuantized()) {
                problems.mismatch(key + ": expected a float tensor, got a quantized one (" + t + ")");
            } else if (!Arrays.equals(t.shape(), p.shape())) {
                problems.mismatch(key + ": shape " + Arrays.toString(t.shape()) + " in the state dict, "
                        + Arrays.toString(p.shape()) + " in the model");
            } else {
                p.copyFrom(t.toFloatArray());
            }
        });
    }

    /**
     * Copies {@code state} into this module and its descendants, as PyTorch's
     * {@code load_state_dict}. Every key is checked before the result is returned; with
     * {@code strict} any missing or unexpected key or mismatch throws, listing them all.
     *
     * @param state  the state dict, e.g. read with {@code StateDicts.load}
     * @param strict whether any problem throws
     * @return what matched and what did not
     * @throws IllegalArgumentException under {@code strict} when anything did not match (the
     *                                  matching entries have been loaded)
     */
    public final LoadResult loadStateDict(Map<String, Tensor> state, boolean strict) {
        Objects.requireNonNull(state, "state");
        List<String> used = new ArrayList<>();
        LoadResult.Builder problems = new LoadResult.Builder();
        namedModules().forEach((prefix, m) -> m.loadFromStateDict(prefix.isEmpty() ? "" : prefix + ".", state, used, problems));
        for (String key : state.keySet()) {
            if (!used.contains(key)) {
                problems.unexpected(key);
            }
        }
        LoadResult result = problems.build();
        if (strict && !result.isClean()) {
            throw new IllegalArgumentException("loadStateDict into " + getClass().getSimpleName() + " failed: " + result);
        }
        return result;
    }

    /**
     * {@code loadStateDict(state, true)}.
     *
     * @param state the state dict
     * @return the result, clean (otherwise it throws)
     * @throws IllegalArgumentException listing every missing or unexpected key and mismatch
     */
    public final LoadResult loadStateDict(Map<String, Tensor> state) {
        return loadStateDict(state, true);
    }

    /**
     * The part of {@link #toString()} inside the parentheses, e.g. {@code in_features=4, out_features=2}.
     *
     * @return the settings to show, or {@code ""}
     */
    protected String extraRepr() {
        return "";
    }

    /** PyTorch's module printout: the class, its extra representation and its children, indented. */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder(getClass().getSimpleName()).append('(');
        String extra = extraRepr();
        if (children.isEmpty()) {
            return sb.append(extra).append(')').toString();
        }
        sb.append(extra).append('\n');
        children.forEach((n, c) -> sb.append("  (").append(n).append("): ")
                .append(c.module.toString().replace("\n", "\n  ")).append('\n'));
        return sb.append(')').toString();
    }
}
