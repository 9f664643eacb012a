package dev.vquant.quant.nn.intrinsic.qat;

import dev.vquant.engine.FloatTensor;
import dev.vquant.quant.Fuser;
import dev.vquant.quant.QConfig;
import dev.vquant.quant.Tensor;
import dev.vquant.quant.autograd.BnFoldGrad;
import dev.vquant.quant.autograd.GradTape;
import dev.vquant.quant.nn.BatchNorm2d;
import dev.vquant.quant.nn.Module;

/**
 * PyTorch 1.13's {@code torch.ao.nn.intrinsic.qat.ConvBn2d}: a convolution with its BatchNorm2d
 * ({@code bn}) folded into the fake-quantized weight, as {@code _ConvBnNd._forward_approximate}
 * computes it in training and eval mode alike (float32):
 * <pre>
 * scale_factor = bn.weight / sqrt(bn.running_var + eps)
 * y = conv(x, weight_fake_quant(weight * scale_factor[o]), 0) / scale_factor[c]  (+ bias when present)
 * y = bn(y)      (training: batch statistics, running statistics updated; eval or frozen: running statistics)
 * </pre>
 * {@link #freezeBnStats()} keeps the BN in eval mode whatever {@link #train} says. Convert folds
 * the BN with its running statistics ({@code fuse_conv_bn_weights}, {@link #toFloat()}).
 * State dict: {@code weight}, {@code bias} (when present), {@code bn.*}, {@code weight_fake_quant.*}.
 */
public class ConvBn2d extends dev.vquant.quant.nn.qat.Conv2d {
    private final Child bn;
    private boolean freezeBn;

    /**
     * Takes over the fused module's convolution and batch norm with a fresh weight fake-quant of {@code qconfig}.
     *
     * @param fused   the fused float module, whose parameters this module shares
     * @param qconfig the QAT qconfig whose weight factory makes the weight fake-quant
     * @throws IllegalArgumentException when the qconfig's weight factory does not make a FakeQuantize
     */
    public ConvBn2d(dev.vquant.quant.nn.intrinsic.ConvBn2d fused, QConfig qconfig) {
        this(fused.conv(), fused.bn(), qconfig);
    }

    ConvBn2d(dev.vquant.quant.nn.Conv2d conv, BatchNorm2d bn, QConfig qconfig) {
        super(conv, qconfig);
        this.bn = registerModule("bn", bn);
        train(conv.isTraining());
    }

    /** {@return the batch norm now registered} */
    public final BatchNorm2d bn() {
        return (BatchNorm2d) bn.get();
    }

    /**
     * {@code freeze_bn_stats()}: the BN uses and keeps its running statistics from now on.
     *
     * @return this module
     */
    public final ConvBn2d freezeBnStats() {
        freezeBn = true;
        bn().eval();
        return this;
    }

    /**
     * {@code update_bn_stats()}: the BN follows the training mode again.
     *
     * @return this module
     */
    public final ConvBn2d updateBnStats() {
        freezeBn = false;
        bn().train(isTraining());
        return this;
    }

    /** {@return whether the BN statistics are frozen} */
    public final boolean isBnFrozen() {
        return freezeBn;
    }

    @Override
    public Module train(boolean mode) {
        super.train(mode);
        if (freezeBn && bn != null) {
            bn().eval();
        }
        return this;
    }

    @Override
    public Tensor forward(Tensor x) {
        BatchNorm2d b = bn();
        float[] scaleFactor = scaleFactor(b);
        int out = outChannels();
        float[] w = weight().data();
        int per = w.length / out;
        float[] scaled = new float[w.length];
        for (int o = 0; o < out; o++) {
            for (int i = o * per; i < (o + 1) * per; i++) {
                scaled[i] = w[i] * scaleFactor[o];
            }
        }
        float[] fq = weightFakeQuant().forward(FloatTensor.of(scaled, weight().shape())).data();
        Tensor conv = convolve(x, fq, new float[out], false);
        FloatTensor stored = conv.storageFloat(this);
        float[] y = stored.data().clone();
        float[] bias = bias() == null ? null : bias().data();
        int inner = conv.memoryFormat() == Tensor.MemoryFormat.CHANNELS_LAST ? 1 : conv.dim(2) * conv.dim(3);
        for (int i = 0; i < y.length; i++) {
            int c = conv.memoryFormat() == Tensor.MemoryFormat.CHANNELS_LAST ? i % out : (i / inner) % out;
            y[i] = y[i] / scaleFactor[c];
            if (bias != null) {
                y[i] = y[i] + bias[c];
            }
        }
        Tensor unscaled = conv.withStorage(FloatTensor.of(y, stored.shape()));
        GradTape tape = GradTape.recording();
        if (tape != null) {
            // gradients reach gamma through both uses of the scale factor, as autograd does in PyTorch
            Tensor gamma = tape.leaf(b.weight());
            Tensor scaledWeight = Tensor.of(scaled, weight().shape());
            BnFoldGrad.scaleWeight(tape, tape.leaf(weight()), gamma, scaledWeight, scaleFactor, b.runningVar().data(), b.eps());
            Tensor quantizedWeight = Tensor.of(fq, weight().shape());
            weightFakeQuant().recordBackward(tape, scaledWeight, quantizedWeight);
            recordConvolution(tape, x, conv, quantizedWeight, null, false);
            BnFoldGrad.unscale(tape, conv, gamma, bias == null ? null : tape.leaf(bias()), unscaled, scaleFactor,
                    b.runningVar().data(), b.eps());
        }
        return b.forward(unscaled, hasRelu());
    }

    /** {@code bn.weight / sqrt(bn.running_var + eps)} in float32. */
    private static float[] scaleFactor(BatchNorm2d b) {
        float[] var = b.runningVar().data();
        float[] gamma = b.weight().data();
        float eps = (float) b.eps();
        float[] s = new float[var.length];
        for (int c = 0; c < s.length; c++) {
            s[c] = gamma[c] / (float) Math.sqrt(var[c] + eps);
        }
        return s;
    }

    /** The convolution with the BN folded in by its running statistics ({@code fuse_conv_bn_weights}), what convert quantizes. */
    @Override
    public dev.vquant.quant.nn.Conv2d toFloat() {
        BatchNorm2d b = bn();
        Fuser.Folded f = Fuser.foldConvBnWeights(weight().data(), bias() == null ? null : bias().data(), outChannels(),
                b.runningMean().data(), b.runningVar().data(), b.eps(), b.weight().data(), b.bias().data());
        return floatConv(f.weight(), f.bias());
    }
}
