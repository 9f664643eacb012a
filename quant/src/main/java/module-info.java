/**
 * vquant's eager-mode quantization layer, PyTorch's {@code torch.ao.quantization}: modules,
 * observers, qconfigs, fusion, prepare/convert, dynamic quantization, quantization-aware training
 * with its autograd and optimizer, safetensors files and the models written on it. Every package
 * is API (each is a PyTorch namespace or a model family users build on).
 *
 * <p>No {@code opens}: {@link dev.vquant.quant.nn.Module#deepCopy()} rewires fields reflectively,
 * which a module may always do to its own classes; a {@code Module} subclass in another named
 * module must open its package to {@code dev.vquant.quant} to be deep-copied. Jackson reads the
 * safetensors header as a tree ({@code JsonNode}), binding no class of this module, so nothing is
 * opened to it either.
 */
module dev.vquant.quant {
    // QTensor, Tensor shapes, operators and engines appear in the modules' signatures
    requires transitive dev.vquant.ops;
    // the safetensors header: JsonFactory and read limits (core), the tree model (databind); not in the API
    requires com.fasterxml.jackson.core;
    requires com.fasterxml.jackson.databind;
    // one warning each from observers and convert, as PyTorch's warnings
    requires java.logging;

    exports dev.vquant.quant;
    exports dev.vquant.quant.autograd;
    exports dev.vquant.quant.data;
    exports dev.vquant.quant.io;
    exports dev.vquant.quant.models;
    exports dev.vquant.quant.models.bert;
    exports dev.vquant.quant.models.mnist;
    exports dev.vquant.quant.models.mobilenet;
    exports dev.vquant.quant.models.resnet;
    exports dev.vquant.quant.models.vision;
    exports dev.vquant.quant.models.wordlm;
    exports dev.vquant.quant.nn;
    exports dev.vquant.quant.nn.intrinsic;
    exports dev.vquant.quant.nn.intrinsic.qat;
    exports dev.vquant.quant.nn.qat;
    exports dev.vquant.quant.nn.quantized;
    exports dev.vquant.quant.nn.quantized.dynamic;
    exports dev.vquant.quant.observer;
    exports dev.vquant.quant.optim;
    exports dev.vquant.quant.qat;
}
