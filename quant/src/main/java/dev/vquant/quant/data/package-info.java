/** Data set readers: {@link dev.vquant.quant.data.Idx} (the MNIST IDX format). */
package dev.vquant.quant.data;
