package dev.vquant.quant.nn;

import java.lang.reflect.Array;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@link Module#deepCopy()}: clones every module of a tree without calling constructors (which
 * would re-initialize weights and need their arguments), then points each clone's fields that hold
 * a {@link Module}, a {@link Module.Child}, a {@link Parameter}, or a list or array of those at the
 * copies. Shared objects stay shared once (an identity map), as {@code copy.deepcopy} keeps them.
 */
final class ModuleCopier {
    private final Map<Object, Object> copies = new IdentityHashMap<>();

    private ModuleCopier() {
    }

    static Module copy(Module root) {
        return new ModuleCopier().module(root);
    }

    Module module(Module m) {
        Object done = copies.get(m);
        if (done != null) {
            return (Module) done;
        }
        Module clone = m.shallowClone();
        copies.put(m, clone);
        clone.rewireCopy(this);
        for (Class<?> c = clone.getClass(); c != Module.class; c = c.getSuperclass()) {
            for (Field f : c.getDeclaredFields()) {
                if (!Modifier.isStatic(f.getModifiers())) {
                    rewireField(clone, f);
                }
            }
        }
        clone.afterCopy();
        return clone;
    }

    Module.Child child(Module.Child c) {
        Object done = copies.get(c);
        if (done != null) {
            return (Module.Child) done;
        }
        Module.Child copy = Module.copiedChild(c, module(c.get()));
        copies.put(c, copy);
        return copy;
    }

    Parameter parameter(Parameter p) {
        return (Parameter) copies.computeIfAbsent(p, k -> p.copy());
    }

    private void rewireField(Module clone, Field f) {
        try {
            f.setAccessible(true);
            Object v = f.get(clone);
            Object mapped = map(v);
            if (mapped != v) {
                f.set(clone, mapped);
            }
        } catch (ReflectiveOperationException | RuntimeException e) {
            throw new IllegalStateException("cannot deep-copy field " + f.getDeclaringClass().getSimpleName() + "." + f.getName()
                    + " of a " + clone.getClass().getSimpleName() + " (make it non-final or override afterCopy): " + e, e);
        }
    }

    /** The copy of a field value: mapped when it is (or holds) model state, else the value itself. */
    private Object map(Object v) {
        if (v instanceof Module m) {
            return module(m);
        }
        if (v instanceof Module.Child c) {
            return child(c);
        }
        if (v instanceof Parameter p) {
            return parameter(p);
        }
        if (v instanceof List<?> list && list.stream().anyMatch(ModuleCopier::isState)) {
            List<Object> out = new ArrayList<>(list.size());
            for (Object e : list) {
                out.add(map(e));
            }
            return out;
        }
        if (v != null && v.getClass().isArray() && !v.getClass().getComponentType().isPrimitive()
                && isStateType(v.getClass().getComponentType())) {
            int n = Array.getLength(v);
            Object out = Array.newInstance(v.getClass().getComponentType(), n);
            for (int i = 0; i < n; i++) {
                Array.set(out, i, map(Array.get(v, i)));
            }
            return out;
        }
        return v;
    }

    private static boolean isState(Object o) {
        return o instanceof Module || o instanceof Module.Child || o instanceof Parameter;
    }

    private static boolean isStateType(Class<?> c) {
        return Module.class.isAssignableFrom(c) || c == Module.Child.class || c == Parameter.class;
    }
}
