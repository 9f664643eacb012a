package dev.vquant.quant.autograd;

/**
 * The backward of one recorded operation (PyTorch's {@code grad_fn}): from the gradient of the
 * operation's output, the gradients of its inputs. Gradients are float32 arrays laid out as the
 * tensor's memory is ({@link dev.vquant.quant.Tensor#storageFloat}: NHWC for a channels-last
 * tensor, logical order otherwise).
 */
@FunctionalInterface
public interface GradFn {

    /**
     * Computes the gradients of an operation's inputs from the gradient of its output.
     *
     * @param gradOutput     the gradient of the output (do not modify it)
     * @param needsInputGrad per input, whether its gradient is wanted (false: return null there)
     * @return one gradient per input, in the order the inputs were recorded; null for an input
     * whose gradient is not wanted or is zero. An array may be returned for several inputs or be
     * {@code gradOutput} itself: the tape copies before it accumulates into a shared array.
     */
    float[][] backward(float[] gradOutput, boolean[] needsInputGrad);
}
