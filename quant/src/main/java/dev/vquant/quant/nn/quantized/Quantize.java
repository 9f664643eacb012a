package dev.vquant.quant.nn.quantized;

import dev.vquant.engine.DType;
import dev.vquant.engine.QParams;
import dev.vquant.engine.QTensor;
import dev.vquant.ops.convert.Layout;
import dev.vquant.ops.core.OutputArena;
import dev.vquant.ops.core.OutputTensors;
import dev.vquant.quant.Tensor;
import dev.vquant.quant.nn.Module;

import java.util.Locale;
import java.util.Map;

/**
 * Quantizes a float tensor with fixed qparams (PyTorch's {@code torch.ao.nn.quantized.Quantize},
 * what a calibrated QuantStub becomes): {@code clamp(round(x / scale) + zero_point)} with the
 * engine's quantize kernel. A contiguous 4-D input moves to channels-last here, once (its quantized bytes, not its floats).
 */
public final class Quantize extends Module {
    private final QParams.PerTensor qparams;
    private final dev.vquant.ops.convert.Quantize op; // the operator shares this module's name

    /**
     * A quantizer to the given per-tensor qparams.
     *
     * @param scale     the output scale
     * @param zeroPoint the output zero point, in {@code dtype}'s range
     * @param dtype     the output type
     * @throws IllegalArgumentException when scale, zero point or dtype are invalid (dtype must be quint8 or qint8)
     */
    public Quantize(double scale, int zeroPoint, DType dtype) {
        this.qparams = QParams.perTensor(scale, zeroPoint, dtype);
        this.op = dev.vquant.ops.convert.Quantize.builder().output(scale, zeroPoint).dtype(dtype).build();
    }

    /** {@return the output qparams} */
    public QParams.PerTensor qparams() {
        return qparams;
    }

    @Override
    public Tensor forward(Tensor x) {
        if (!x.isQuantized() && x.rank() == 4 && x.memoryFormat() == Tensor.MemoryFormat.CONTIGUOUS) {
            // quantizing is element-wise: quantize in logical NCHW order, then move the bytes to
            // channels-last (the same bytes as moving the floats first, a quarter of the data moved)
            int n = x.dim(0);
            int c = x.dim(1);
            int h = x.dim(2);
            int w = x.dim(3);
            QTensor nchw = op.forward(x.contiguousFloat("Quantize"));
            byte[] nhwc = Layout.nchwToNhwc(nchw.bytes(), n, c, h, w, OutputArena.bytes(nchw.bytes().length));
            return Tensor.fromEngine(OutputTensors.quantized(nhwc, nchw.qparams(), n, h, w, c));
        }
        return Tensor.fromEngine(op.forward(x.engineFloat("Quantize")));
    }

    @Override
    protected void saveToStateDict(String prefix, Map<String, Tensor> out) {
        QuantizedState.putOutput(prefix, out, qparams.scale(), qparams.zeroPoint());
    }

    @Override
    protected String extraRepr() {
        return "scale=" + qparams.scale() + ", zero_point=" + qparams.zeroPoint() + ", dtype=torch." + qparams.dtype().name().toLowerCase(Locale.ROOT);
    }
}
