/**
 * Model files: safetensors read and write ({@link dev.vquant.quant.io.SafeTensors}), with PyTorch's
 * names, dtypes and logical layouts ({@link dev.vquant.quant.io.StoredTensor}).
 */
package dev.vquant.quant.io;
