package dev.vquant.quant.models.bert;

import dev.vquant.engine.FloatTensor;
import dev.vquant.engine.QuantEngine;
import dev.vquant.engine.spi.KernelBackend;
import dev.vquant.ops.core.OutputTensors;
import dev.vquant.ops.nn.FloatBatchMatmul;
import dev.vquant.ops.nn.FloatSoftmax;
import dev.vquant.quant.Tensor;
import dev.vquant.quant.nn.Linear;
import dev.vquant.quant.nn.Module;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Hugging Face's {@code BertSelfAttention} without a mask: children {@code query}, {@code key},
 * {@code value} (Linear hidden -> hidden; dynamically quantizable), then per head
 * {@code softmax(Q K^T / sqrt(d)) V} on ops' batched matmul and softmax. Input and output
 * {@code [B, S, hidden]}.
 */
public final class BertSelfAttention extends Module {
    private static final FloatBatchMatmul MATMUL = new FloatBatchMatmul(0);
    private static final FloatSoftmax SOFTMAX = new FloatSoftmax(0);
    private final int heads;
    private final int headSize;
    private final int hidden;
    private final Child query;
    private final Child key;
    private final Child value;

    BertSelfAttention(BertConfig config, SplittableRandom seeds) {
        this.heads = config.numAttentionHeads();
        this.headSize = config.headSize();
        this.hidden = config.hiddenSize();
        this.query = registerModule("query", new Linear(hidden, hidden, true, seeds.nextLong()));
        this.key = registerModule("key", new Linear(hidden, hidden, true, seeds.nextLong()));
        this.value = registerModule("value", new Linear(hidden, hidden, true, seeds.nextLong()));
    }

    /** @throws IllegalArgumentException for an input that is not {@code [B, S, hidden]} */
    @Override
    public Tensor forward(Tensor x) {
        if (x.rank() != 3 || x.dim(2) != hidden) {
            throw new IllegalArgumentException("BertSelfAttention: expected hidden states [B, S, " + hidden + "], got shape "
                    + Arrays.toString(x.shape()));
        }
        int b = x.dim(0);
        int s = x.dim(1);
        // the head-major views and the result are wrapped with OutputTensors / Tensor.fromEngine: in a reused
        // OutputArena scope the previous scope's wrappers (same arena arrays) come back, nothing is allocated
        KernelBackend engine = QuantEngine.current();
        float[] q = Heads.split(query.forward(x).toFloatArray(), b, s, heads, headSize);
        float[] k = Heads.split(key.forward(x).toFloatArray(), b, s, heads, headSize);
        float[] v = Heads.split(value.forward(x).toFloatArray(), b, s, heads, headSize);
        float[] scores = MATMUL.matmulTransposedB(OutputTensors.floats(q, b, heads, s, headSize),
                OutputTensors.floats(k, b, heads, s, headSize), engine).data();
        float sqrtD = (float) Math.sqrt(headSize);
        for (int i = 0; i < scores.length; i++) {
            scores[i] /= sqrtD;
        }
        FloatTensor probs = SOFTMAX.forward(OutputTensors.floats(scores, b, heads, s, s), engine);
        float[] context = MATMUL.matmul(probs, OutputTensors.floats(v, b, heads, s, headSize), engine).data();
        return Tensor.fromEngine(OutputTensors.floats(Heads.merge(context, b, s, heads, headSize), b, s, hidden));
    }
}
