package dev.vquant.quant;

import dev.vquant.engine.QParams;
import dev.vquant.quant.nn.Module;
import dev.vquant.quant.observer.Observer;

import java.util.Objects;

/**
 * An {@link Observer} in a module tree: what {@code prepare} installs as a module's
 * {@code activation_post_process}. Its forward records the tensor (in PyTorch's logical order, so
 * a per-channel observer's axis means what it means in PyTorch) and returns it unchanged; it
 * counts the non-empty batches it saw, so convert can refuse a module that was never calibrated.
 * Holds no state dict entries (the observer's statistics are not saved). Not thread-safe, as
 * calibration is not.
 */
public final class ObserverModule extends Module {
    private final Observer observer;
    private long batches;

    /**
     * Wraps {@code observer}.
     *
     * @param observer the observer that records every forward's input
     * @throws NullPointerException when {@code observer} is null
     */
    public ObserverModule(Observer observer) {
        this.observer = Objects.requireNonNull(observer, "observer");
    }

    /** {@return the wrapped observer} */
    public Observer observer() {
        return observer;
    }

    /** {@return how many non-empty tensors were recorded} */
    public long batches() {
        return batches;
    }

    /**
     * The observer's qparams ({@link Observer#calculateQParams()}).
     *
     * @return the qparams chosen from what was recorded
     */
    public QParams calculateQParams() {
        return observer.calculateQParams();
    }

    @Override
    public Tensor forward(Tensor x) {
        if (x.isQuantized()) {
            throw new IllegalArgumentException("an observer records float tensors, got " + x
                    + "; was the model converted already?");
        }
        if (x.numel() > 0) {
            observer.forward(x.contiguousFloat("observer"));
            batches++;
        }
        return x;
    }

    @Override
    protected String extraRepr() {
        return observer.toString();
    }
}
