package dev.vquant.quant.models.bert;

/**
 * The sizes of a BERT encoder, Hugging Face's {@code BertConfig} fields: {@code hidden_size},
 * {@code num_attention_heads}, {@code intermediate_size}, {@code num_hidden_layers} and
 * {@code layer_norm_eps} (GELU activation, no dropout at inference).
 *
 * @param hiddenSize        {@code hidden_size}: the width of every token's embedding, a multiple of
 *                          {@code numAttentionHeads}
 * @param numAttentionHeads {@code num_attention_heads}: the heads each self-attention splits the
 *                          hidden size into
 * @param intermediateSize  {@code intermediate_size}: the width of the feed-forward block's inner layer
 * @param numHiddenLayers   {@code num_hidden_layers}: the number of encoder layers
 * @param layerNormEps      {@code layer_norm_eps}: the epsilon added to the variance in every LayerNorm
 */
public record BertConfig(int hiddenSize, int numAttentionHeads, int intermediateSize, int numHiddenLayers, double layerNormEps) {

    /**
     * Validates the sizes.
     *
     * @throws IllegalArgumentException when a size is not positive, the hidden size is not a multiple
     *                                  of the head count, or eps is negative or not finite
     */
    public BertConfig {
        if (hiddenSize <= 0 || numAttentionHeads <= 0 || intermediateSize <= 0 || numHiddenLayers <= 0) {
            throw new IllegalArgumentException("BertConfig: sizes must be > 0, got hidden " + hiddenSize + ", heads " + numAttentionHeads
                    + ", intermediate " + intermediateSize + ", layers " + numHiddenLayers);
        }
        if (hiddenSize % numAttentionHeads != 0) {
            throw new IllegalArgumentException("BertConfig: hidden size " + hiddenSize + " is not a multiple of the number of attention heads "
                    + numAttentionHeads);
        }
        if (!(layerNormEps >= 0) || Double.isInfinite(layerNormEps)) {
            throw new IllegalArgumentException("BertConfig: layer_norm_eps must be finite and >= 0, got " + layerNormEps);
        }
    }

    /**
     * BERT-base: hidden 768, 12 heads, FFN 3072, 12 layers, LayerNorm eps 1e-12.
     *
     * @return BERT-base's configuration
     */
    public static BertConfig base() {
        return new BertConfig(768, 12, 3072, 12, 1e-12);
    }

    /**
     * This configuration with {@code layers} layers (1 for one BERT layer).
     *
     * @param layers the number of encoder layers, positive
     * @return a new configuration, the other sizes unchanged
     * @throws IllegalArgumentException when {@code layers} is not positive
     */
    public BertConfig withLayers(int layers) {
        return new BertConfig(hiddenSize, numAttentionHeads, intermediateSize, layers, layerNormEps);
    }

    /**
     * {@code hidden_size / num_attention_heads}.
     *
     * @return the width of one attention head
     */
    public int headSize() {
        return hiddenSize / numAttentionHeads;
    }
}
