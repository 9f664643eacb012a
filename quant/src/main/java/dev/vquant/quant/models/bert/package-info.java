/**
 * A BERT encoder ({@link dev.vquant.quant.models.bert.BertEncoderModel}) with Hugging Face's
 * parameter names, sized by {@link dev.vquant.quant.models.bert.BertConfig} (BERT-base, one layer
 * or twelve, any sequence length), float or dynamically quantized.
 */
package dev.vquant.quant.models.bert;
