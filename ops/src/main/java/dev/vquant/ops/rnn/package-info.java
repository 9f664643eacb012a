/** LSTM with dynamically quantized int8 projections (PyTorch's dynamic quantized LSTM) and its float32 twin. */
package dev.vquant.ops.rnn;
