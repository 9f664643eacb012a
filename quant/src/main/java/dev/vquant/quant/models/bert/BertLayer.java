package dev.vquant.quant.models.bert;

import dev.vquant.quant.Tensor;
import dev.vquant.quant.nn.GELU;
import dev.vquant.quant.nn.Linear;
import dev.vquant.quant.nn.Module;

import java.util.SplittableRandom;

/**
 * One BERT encoder layer with Hugging Face's module names: {@code attention.self.{query,key,value}},
 * {@code attention.output.{dense,LayerNorm}}, {@code intermediate.dense} (+ GELU),
 * {@code output.{dense,LayerNorm}}. Post-norm: {@code a = LN(x + Wo attn(x))},
 * {@code y = LN(a + W2 gelu(W1 a))}. Input and output {@code [B, S, hidden]}.
 */
public final class BertLayer extends Module {
    private final Child attention;
    private final Child intermediate;
    private final Child output;

    /** HF's {@code BertAttention}: {@code self} then {@code output}. */
    public static final class Attention extends Module {
        private final Child self;
        private final Child output;

        Attention(BertConfig config, SplittableRandom seeds) {
            this.self = registerModule("self", new BertSelfAttention(config, seeds));
            this.output = registerModule("output", new DenseResidualNorm(config.hiddenSize(), config.hiddenSize(),
                    config.layerNormEps(), seeds));
        }

        @Override
        public Tensor forward(Tensor x) {
            return ((DenseResidualNorm) output.get()).forward(self.forward(x), x);
        }
    }

    /** HF's {@code BertIntermediate}: {@code dense} (hidden -> intermediate) then GELU. */
    public static final class Intermediate extends Module {
        private final Child dense;
        private final Child act = registerModule("intermediate_act_fn", new GELU());

        Intermediate(BertConfig config, SplittableRandom seeds) {
            this.dense = registerModule("dense", new Linear(config.hiddenSize(), config.intermediateSize(), true, seeds.nextLong()));
        }

        @Override
        public Tensor forward(Tensor x) {
            return act.forward(dense.forward(x));
        }
    }

    BertLayer(BertConfig config, SplittableRandom seeds) {
        this.attention = registerModule("attention", new Attention(config, seeds));
        this.intermediate = registerModule("intermediate", new Intermediate(config, seeds));
        this.output = registerModule("output", new DenseResidualNorm(config.intermediateSize(), config.hiddenSize(),
                config.layerNormEps(), seeds));
    }

    @Override
    public Tensor forward(Tensor x) {
        Tensor a = attention.forward(x);
        return ((DenseResidualNorm) output.get()).forward(intermediate.forward(a), a);
    }
}
