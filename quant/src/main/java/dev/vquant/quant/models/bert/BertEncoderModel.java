package dev.vquant.quant.models.bert;

import dev.vquant.quant.Tensor;
import dev.vquant.quant.nn.Module;
import dev.vquant.quant.nn.Sequential;

import java.util.SplittableRandom;

/**
 * A BERT encoder stack with Hugging Face's parameter names ({@code encoder.layer.N....}, as in a
 * {@code BertModel} state dict, so its encoder entries load unchanged): hidden states
 * {@code [B, S, hidden]} in (any B and sequence length S; no attention mask, no embeddings or
 * pooler), hidden states out. Weights are PyTorch's default initialization (Linear: kaiming
 * uniform; LayerNorm: ones and zeros) from a seed. Quantize it as PyTorch's BERT tutorial does:
 * {@code Quantize.quantizeDynamic(model, Set.of(Linear.class), DType.QINT8)}.
 */
public final class BertEncoderModel extends Module {
    private final BertConfig config;
    private final Child encoder;

    /** HF's {@code BertEncoder}: {@code layer.0 ... layer.N-1}. */
    public static final class Encoder extends Module {
        private final Child layer;

        Encoder(BertConfig config, SplittableRandom seeds) {
            BertLayer[] layers = new BertLayer[config.numHiddenLayers()];
            for (int i = 0; i < layers.length; i++) {
                layers[i] = new BertLayer(config, seeds);
            }
            this.layer = registerModule("layer", new Sequential(layers));
        }

        @Override
        public Tensor forward(Tensor x) {
            return layer.forward(x);
        }
    }

    /**
     * A BERT encoder stack ({@code encoder.layer.N}) of {@code config}'s sizes with freshly
     * initialised weights.
     *
     * @param config the sizes (e.g. {@code BertConfig.base().withLayers(1)})
     * @param seed   seed of the initial weights (same seed, same model)
     */
    public BertEncoderModel(BertConfig config, long seed) {
        this.config = java.util.Objects.requireNonNull(config, "config");
        this.encoder = registerModule("encoder", new Encoder(config, new SplittableRandom(seed)));
    }

    /** {@return the sizes} */
    public BertConfig config() {
        return config;
    }

    /**
     * @throws IllegalArgumentException for an input that is not {@code [B, S, hidden]} float
     */
    @Override
    public Tensor forward(Tensor hiddenStates) {
        return encoder.forward(hiddenStates);
    }
}
