package dev.vquant.engine.testing;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * One generated call of a public API for the fuzz properties, built so that the generator knows
 * which outcome is right: either the input is bad by construction and the call must end in an
 * {@link IllegalArgumentException} or {@link NullPointerException} whose message names the
 * operator and the offending value ({@link #rejects}), or the input is valid by construction and
 * the result is checked against an oracle, usually the reference engine ({@link #accepts}).
 *
 * <p>Anything else fails the property with this case's description (jqwik prints it next to the
 * seed): no exception for a bad input, another exception type (index errors, negative array
 * sizes, arithmetic or state exceptions), an {@link Error} such as {@link OutOfMemoryError}, a
 * message lacking a required fragment, or a call that runs past {@link #TIME_LIMIT_SECONDS}
 * (a hang). Calls run on one daemon thread so a hang cannot stall the suite.
 */
public final class FuzzCase {
    /**
     * A call on tiny tensors takes milliseconds; this only catches hangs and runaway loops
     * (system property {@code vquant.fuzz.timeLimitSeconds} overrides it).
     */
    public static final int TIME_LIMIT_SECONDS = 20;

    /** Runs the calls; replaced after a hang, so that the calls after it are not queued behind it. */
    private static volatile ExecutorService runner = newRunner();
    private static final AtomicInteger BAD = new AtomicInteger();
    private static final AtomicInteger VALID = new AtomicInteger();

    private final String description;
    private final Callable<?> call;
    private final List<String> mentions;
    private final Consumer<Object> check;

    private FuzzCase(String description, Callable<?> call, List<String> mentions, Consumer<Object> check) {
        this.description = description;
        this.call = call;
        this.mentions = mentions;
        this.check = check;
    }

    /**
     * A bad input: {@code call} must throw IllegalArgumentException or NullPointerException whose
     * message contains every one of {@code mentions} (case-insensitive): the operator's name and
     * the offending value.
     */
    public static FuzzCase rejects(String description, Callable<?> call, String... mentions) {
        return new FuzzCase(description, call, List.of(mentions), null);
    }

    /** A valid input: {@code call} must return, and {@code check} accept its result (it throws AssertionError otherwise). */
    public static <T> FuzzCase accepts(String description, Callable<T> call, Consumer<T> check) {
        @SuppressWarnings("unchecked")
        Consumer<Object> c = o -> check.accept((T) o);
        return new FuzzCase(description, call, null, c);
    }

    /** True for a bad input that must be rejected. */
    public boolean bad() {
        return check == null;
    }

    /** Bad inputs run so far in this JVM (each rejected as documented, or the property failed). */
    public static int badTried() {
        return BAD.get();
    }

    /** Valid inputs run so far in this JVM. */
    public static int validTried() {
        return VALID.get();
    }

    /** Runs the call and checks its outcome; throws AssertionError describing what went wrong. */
    public void run() {
        (bad() ? BAD : VALID).incrementAndGet();
        Future<?> f = runner.submit(call);
        Object result;
        int limit = Integer.getInteger("vquant.fuzz.timeLimitSeconds", TIME_LIMIT_SECONDS);
        try {
            result = f.get(limit, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            f.cancel(true);
            runner.shutdownNow();
            runner = newRunner();
            throw new AssertionError(this + ": still running after " + limit + " s (a hang)");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(this + ": interrupted", e);
        } catch (ExecutionException e) {
            outcomeOfThrow(e.getCause());
            return;
        }
        if (bad()) {
            throw new AssertionError(this + ": a bad input was accepted, returned " + result);
        }
        check.accept(result);
    }

    private static ExecutorService newRunner() {
        return Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "fuzz-case");
            t.setDaemon(true);
            return t;
        });
    }

    private void outcomeOfThrow(Throwable t) {
        if (!bad()) {
            throw new AssertionError(this + ": a valid input threw " + t, t);
        }
        if (!(t instanceof IllegalArgumentException) && !(t instanceof NullPointerException)) {
            throw new AssertionError(this + ": threw " + t + " instead of IllegalArgumentException/NullPointerException", t);
        }
        String msg = String.valueOf(t.getMessage());
        String lower = msg.toLowerCase(Locale.ROOT);
        List<String> missing = new ArrayList<>();
        for (String m : mentions) {
            if (!lower.contains(m.toLowerCase(Locale.ROOT))) {
                missing.add(m);
            }
        }
        if (!missing.isEmpty()) {
            throw new AssertionError(this + ": message '" + msg + "' does not mention " + missing, t);
        }
    }

    @Override
    public String toString() {
        return (bad() ? "bad: " : "valid: ") + description;
    }
}
