package dev.vquant.ops.core;

import java.util.Arrays;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Reusable output arrays for repeated inference: while a {@link Scope} is open on the calling
 * thread, operators take their output arrays from this arena instead of allocating them, and the
 * next scope hands the same arrays out again, so a model called in a loop allocates no activation
 * arrays in steady state.
 *
 * <pre>{@code
 * OutputArena arena = new OutputArena();            // one per serving thread, kept
 * for (QTensor x : requests) {
 *     try (OutputArena.Scope s = arena.enter()) {
 *         QTensor y = model.forward(x);             // outputs live in the arena
 *         send(y.bytes().clone());                  // copy what must outlive the scope
 *     }                                             // here y's array goes back to the arena
 * }
 * }</pre>
 *
 * <p><b>A tensor an operator returns inside a scope is valid only until that scope closes.</b>
 * The next scope overwrites its array; a caller that keeps a result past {@link Scope#close()}
 * must copy it first. Inputs are never taken from the arena: only what operators create.
 *
 * <p>How arrays are matched: by call order. The i-th byte (float, int) array requested inside a
 * scope reuses the arena's i-th byte (float, int) slot when that slot holds an array of exactly
 * the requested length, and otherwise allocates one and replaces the slot. A model calls its
 * operators in the same order on every input of the same shape, so every request after the first
 * is served from the slots; a different order or shape stays correct and only allocates.
 *
 * <p>Besides arrays, a scope keeps small objects by call order ({@link #recall}, {@link #keep}):
 * the tensor wrappers operators return over arena arrays ({@link OutputTensors}), output stages,
 * per-call window bodies. An operator takes the previous scope's object when it fits this call
 * exactly, so a model in a reused scope allocates nothing at all in steady state.
 *
 * <p>Arrays handed out are <em>not</em> cleared: an operator that takes its output from
 * {@link #bytes}, {@link #floats} or {@link #ints} writes every element. {@link #poisoning()}
 * builds an arena that fills each array it hands out with a pattern that changes every scope, so
 * a test comparing results with and without a scope, twice, catches an element left unwritten.
 *
 * <p>Threading: a scope belongs to the thread that opened it ({@link #enter()} binds the arena to
 * that thread, {@link Scope#close()} unbinds it), and only that thread's requests are served from
 * it; operators request their outputs on the calling thread before handing work to
 * {@link Parallel}, whose workers then write into those arrays. Requests from a thread with no
 * open scope simply allocate, so code that never opens a scope behaves as before. An arena may be
 * used by different threads one after another, never by two at once.
 */
public final class OutputArena {
    private static final ThreadLocal<OutputArena> CURRENT = new ThreadLocal<>();

    private final boolean poison;
    private final AtomicReference<Thread> owner = new AtomicReference<>();
    private final Scope scope = new Scope();
    private byte[][] byteSlots = new byte[16][];
    private float[][] floatSlots = new float[16][];
    private int[][] intSlots = new int[16][];
    private Object[] objectSlots = new Object[16];
    private int nextByte;
    private int nextFloat;
    private int nextInt;
    private int nextObject;
    private long scopes;
    private long allocations;

    /** An empty arena; its slots fill during the first scope. */
    public OutputArena() {
        this(false);
    }

    private OutputArena(boolean poison) {
        this.poison = poison;
    }

    /**
     * A testing aid: an arena that fills every array it hands out with a pattern (a byte, a NaN
     * float or an int) that differs from one scope to the next, so an operator that leaves an
     * output element unwritten gives results that differ from those of a call without a scope.
     * Slower than {@link #OutputArena()}; not for serving.
     *
     * @return a new poisoning arena
     */
    public static OutputArena poisoning() {
        return new OutputArena(true);
    }

    /**
     * Opens this arena's scope on the calling thread. Use it in try-with-resources; the returned
     * scope is the same object every time (entering allocates nothing).
     *
     * @return the open scope
     * @throws IllegalStateException when this arena's scope is already open (on this thread or
     *                               another), or another arena's scope is open on this thread
     */
    public Scope enter() {
        Thread me = Thread.currentThread();
        OutputArena current = CURRENT.get();
        if (current != null) {
            throw new IllegalStateException(current == this
                    ? "OutputArena: this arena's scope is already open on thread " + me.getName()
                    + " (close it before entering again; scopes do not nest)"
                    : "OutputArena: another arena's scope is open on thread " + me.getName()
                    + " (close it first; scopes do not nest)");
        }
        if (!owner.compareAndSet(null, me)) {
            throw new IllegalStateException("OutputArena: this arena's scope is open on thread "
                    + owner.get().getName() + "; use one arena per thread");
        }
        nextByte = 0;
        nextFloat = 0;
        nextInt = 0;
        nextObject = 0;
        scopes++;
        CURRENT.set(this);
        return scope;
    }

    /**
     * A byte array of exactly {@code n} elements for an operator's output: from the calling
     * thread's open scope (contents undefined: the caller writes every element), or a new zeroed
     * array when none is open.
     *
     * @param n the length, at least 0
     * @return the array
     */
    public static byte[] bytes(int n) {
        OutputArena a = CURRENT.get();
        return a == null ? new byte[n] : a.nextBytes(n);
    }

    /**
     * A float array of exactly {@code n} elements for an operator's output: from the calling
     * thread's open scope (contents undefined: the caller writes every element), or a new zeroed
     * array when none is open.
     *
     * @param n the length, at least 0
     * @return the array
     */
    public static float[] floats(int n) {
        OutputArena a = CURRENT.get();
        return a == null ? new float[n] : a.nextFloats(n);
    }

    /**
     * An int array of exactly {@code n} elements for an operator's output: from the calling
     * thread's open scope (contents undefined: the caller writes every element), or a new zeroed
     * array when none is open.
     *
     * @param n the length, at least 0
     * @return the array
     */
    public static int[] ints(int n) {
        OutputArena a = CURRENT.get();
        return a == null ? new int[n] : a.nextInts(n);
    }

    /**
     * The small object (an immutable tensor wrapper or output stage, or a scratch object the calling
     * thread uses only during its own call) that the calling thread's open
     * scope kept in its next object slot, for an operator to return again instead of building an
     * equal one: object slots are matched by call order as arrays are, and the caller checks that
     * the object fits (an output wrapper over the very array this call writes, with the same shape
     * and qparams) before using it, else builds a new one and hands it to {@link #keep}. Every
     * {@code recall} must be followed by a {@link #keep} of the object the caller uses.
     *
     * <p>Why it is safe: the wrappers are immutable and wrap arena arrays, which a scope hands out
     * again anyway; a tensor returned inside a scope is valid only until the scope closes, so
     * returning the same wrapper object in the next scope changes nothing a caller may rely on. A
     * scratch object is rebound to the call's arrays before use and never leaves the thread.
     *
     * @param <T>  the expected type
     * @param type the expected type
     * @return the slot's object when a scope is open and it holds a {@code type}, else null
     */
    public static <T> T recall(Class<T> type) {
        OutputArena a = CURRENT.get();
        if (a == null) {
            return null;
        }
        int i = a.nextObject++;
        if (i == a.objectSlots.length) {
            a.objectSlots = Arrays.copyOf(a.objectSlots, 2 * i);
        }
        Object o = a.objectSlots[i];
        return type.isInstance(o) ? type.cast(o) : null;
    }

    /**
     * Keeps {@code o} in the object slot the calling thread's last {@link #recall} read, for the
     * next scope's call in the same position (nothing when no scope is open).
     *
     * @param <T> the object's type
     * @param o   the object the caller returns, immutable
     * @return {@code o}
     */
    public static <T> T keep(T o) {
        OutputArena a = CURRENT.get();
        if (a != null && a.nextObject > 0) {
            Object[] slots = a.objectSlots;
            int i = a.nextObject - 1;
            if (slots[i] != o) {
                slots[i] = o;
            }
        }
        return o;
    }

    /**
     * Whether a scope is open on the calling thread.
     *
     * @return true inside {@link #enter()} ... {@link Scope#close()} on this thread
     */
    public static boolean active() {
        return CURRENT.get() != null;
    }

    /**
     * How many arrays this arena has allocated so far (requests its slots could not serve): it
     * stops growing once a model's calls reach steady state.
     *
     * @return the number of arrays allocated
     */
    public long allocations() {
        return allocations;
    }

    private byte[] nextBytes(int n) {
        int i = nextByte++;
        if (i == byteSlots.length) {
            byteSlots = Arrays.copyOf(byteSlots, 2 * i);
        }
        byte[] b = byteSlots[i];
        if (b == null || b.length != n) {
            b = new byte[n];
            byteSlots[i] = b;
            allocations++;
        }
        if (poison) {
            Arrays.fill(b, (byte) (0x5A ^ scopes));
        }
        return b;
    }

    private float[] nextFloats(int n) {
        int i = nextFloat++;
        if (i == floatSlots.length) {
            floatSlots = Arrays.copyOf(floatSlots, 2 * i);
        }
        float[] f = floatSlots[i];
        if (f == null || f.length != n) {
            f = new float[n];
            floatSlots[i] = f;
            allocations++;
        }
        if (poison) {
            // a quiet NaN whose payload changes every scope, told apart by floatToRawIntBits
            Arrays.fill(f, Float.intBitsToFloat(0x7FC00000 | (int) (scopes & 0x3FFFFF)));
        }
        return f;
    }

    private int[] nextInts(int n) {
        int i = nextInt++;
        if (i == intSlots.length) {
            intSlots = Arrays.copyOf(intSlots, 2 * i);
        }
        int[] v = intSlots[i];
        if (v == null || v.length != n) {
            v = new int[n];
            intSlots[i] = v;
            allocations++;
        }
        if (poison) {
            Arrays.fill(v, 0x5A5A5A5A ^ (int) scopes);
        }
        return v;
    }

    /**
     * An open scope of an {@link OutputArena}: closing it ends the validity of every tensor whose
     * array the arena handed out inside it.
     */
    public final class Scope implements AutoCloseable {
        private Scope() {
        }

        /**
         * Closes the scope: the arena's arrays become free for its next scope.
         *
         * @throws IllegalStateException when the scope is not open, or is open on another thread
         */
        @Override
        public void close() {
            Thread me = Thread.currentThread();
            Thread o = owner.get();
            if (o == null) {
                throw new IllegalStateException("OutputArena: scope closed twice (it is not open)");
            }
            if (o != me) {
                throw new IllegalStateException("OutputArena: scope opened on thread " + o.getName()
                        + " cannot be closed on thread " + me.getName());
            }
            CURRENT.set(null); // not remove(): keeps the thread-local entry, so the next enter() allocates nothing
            owner.set(null);
        }
    }
}
