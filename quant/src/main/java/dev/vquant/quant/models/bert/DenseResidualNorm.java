package dev.vquant.quant.models.bert;

import dev.vquant.ops.elementwise.FloatAdd;
import dev.vquant.quant.Tensor;
import dev.vquant.quant.nn.LayerNorm;
import dev.vquant.quant.nn.Linear;
import dev.vquant.quant.nn.Module;

import java.util.SplittableRandom;

/**
 * {@code LayerNorm(dense(hidden) + residual)}: Hugging Face's {@code BertSelfOutput}
 * ({@code attention.output}, dense hidden -> hidden) and {@code BertOutput} ({@code output}, dense
 * intermediate -> hidden), which have the same children, {@code dense} and {@code LayerNorm}.
 */
public final class DenseResidualNorm extends Module {
    private static final FloatAdd ADD = FloatAdd.add().build();
    private final Child dense;
    private final Child layerNorm;

    DenseResidualNorm(int in, int hidden, double eps, SplittableRandom seeds) {
        this.dense = registerModule("dense", new Linear(in, hidden, true, seeds.nextLong()));
        this.layerNorm = registerModule("LayerNorm", new LayerNorm(new int[]{hidden}, eps, true));
    }

    /**
     * {@code LayerNorm(dense(hidden) + residual)}.
     *
     * @param hidden   the sublayer's output {@code [B, S, in]}, in the dense layer's input width
     * @param residual the sublayer's input {@code [B, S, hidden]}, added after the dense layer
     * @return {@code [B, S, hidden]}
     * @throws IllegalArgumentException for shapes that do not fit
     */
    public Tensor forward(Tensor hidden, Tensor residual) {
        Tensor y = dense.forward(hidden);
        Tensor sum = Tensor.fromEngine(ADD.forward(y.contiguousFloat(this), residual.contiguousFloat(this)));
        return layerNorm.forward(sum);
    }

    /**
     * Always throws: this block adds a residual, so it needs two inputs.
     *
     * @throws UnsupportedOperationException naming {@link #forward(Tensor, Tensor)}
     */
    @Override
    public Tensor forward(Tensor x) {
        throw new UnsupportedOperationException("DenseResidualNorm needs the residual too: call forward(hidden, residual)");
    }
}
