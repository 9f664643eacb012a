package dev.vquant.quant.optim;

import dev.vquant.quant.nn.Parameter;

import java.util.List;

/**
 * An optimizer over one group of parameters (PyTorch's {@code torch.optim.Optimizer} with a single
 * {@code param_group}): {@link #step()} updates every parameter from its {@link Parameter#grad()},
 * and the learning rate is the group's {@code lr}, which a {@link LRScheduler} moves.
 */
public interface Optimizer {
    /** {@return the parameters it updates, in the order given} */
    List<Parameter> parameters();

    /** {@return the current learning rate ({@code param_groups[0]['lr']})} */
    double lr();

    /**
     * Sets the learning rate (what a scheduler does).
     *
     * @param lr the new learning rate
     * @throws IllegalArgumentException when {@code lr} is not finite
     */
    void setLr(double lr);

    /** One update of every parameter from its gradient. */
    void step();

    /** Sets every parameter's gradient to zero ({@code zero_grad(set_to_none=False)}, 1.13's default). */
    default void zeroGrad() {
        for (Parameter p : parameters()) {
            p.zeroGrad();
        }
    }
}
