package dev.vquant.quant.models.mnist;

import dev.vquant.quant.Quantize;
import dev.vquant.quant.Tensor;
import dev.vquant.quant.autograd.GradTape;
import dev.vquant.quant.autograd.Loss;
import dev.vquant.quant.data.Batch;
import dev.vquant.quant.data.RandomAffine;
import dev.vquant.quant.data.ShuffledBatches;
import dev.vquant.quant.data.TorchGenerator;
import dev.vquant.quant.nn.Module;
import dev.vquant.quant.nn.Parameter;
import dev.vquant.quant.optim.CosineAnnealingLR;
import dev.vquant.quant.optim.SGD;
import dev.vquant.quant.qat.QatControls;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * The QAT fine-tuning recipe of ../shared/mnist/quant_eval.py in Java: a copy of the float CNN in
 * training mode, QAT fusion, {@code QConfig.defaultQatFor(qconfig)}, {@code prepareQat}
 * ({@link MnistRecipes#qatPrepared}); SGD (lr 2e-3, momentum 0.9, weight decay 5e-5) with a
 * cosine schedule stepped per batch over all epochs; 2 epochs of shuffled batches of 64 with the
 * random affine augmentation, the generator seeded with 1 ({@code torch.Generator().manual_seed(1)},
 * so shuffles and augmentation draws are PyTorch's); in the last epoch BN statistics frozen and
 * observers disabled; then eval and convert. Each epoch reports its mean loss and wall time.
 *
 * <p>The float arithmetic of forward and backward is vquant's (not PyTorch's summation order), so
 * the trained weights are close to, not equal to, a PyTorch run's.
 */
public final class QatFineTune {
    /**
     * The recipe's knobs.
     *
     * @param epochs          passes over the data (the last one with frozen BN statistics and observers)
     * @param lr              SGD's initial learning rate, annealed to 0 by a cosine over all steps
     * @param momentum        SGD's momentum
     * @param weightDecay     SGD's weight decay
     * @param batchSize       examples per step
     * @param seed            the generator's seed (shuffles and augmentation)
     * @param augment         whether to apply {@link RandomAffine#mnistRecipe()}
     * @param maxStepsPerEpoch a cap on the steps of each epoch (0: the whole epoch), for short runs
     */
    public record Options(int epochs, double lr, double momentum, double weightDecay, int batchSize, long seed, boolean augment,
                          int maxStepsPerEpoch) {
        /**
         * Validates the options.
         *
         * @throws IllegalArgumentException for a non-positive count or a negative or non-finite rate
         */
        public Options {
            if (epochs <= 0 || batchSize <= 0 || maxStepsPerEpoch < 0) {
                throw new IllegalArgumentException("QAT fine-tuning needs positive epochs and batch size and a non-negative step cap, got epochs "
                        + epochs + ", batch " + batchSize + ", cap " + maxStepsPerEpoch);
            }
            if (!(lr >= 0) || Double.isInfinite(lr)) {
                throw new IllegalArgumentException("QAT fine-tuning: invalid learning rate " + lr);
            }
        }

        /**
         * quant_eval.py's: 2 epochs, lr 2e-3, momentum 0.9, weight decay 5e-5, batch 64, seed 1, augmentation.
         *
         * @return the recipe's options
         */
        public static Options recipe() {
            return new Options(2, 2e-3, 0.9, 5e-5, 64, 1, true, 0);
        }

        /**
         * These options with another epoch count.
         *
         * @param e the number of epochs, positive
         * @return new options
         */
        public Options withEpochs(int e) {
            return new Options(e, lr, momentum, weightDecay, batchSize, seed, augment, maxStepsPerEpoch);
        }

        /**
         * These options with another learning rate.
         *
         * @param r SGD's initial learning rate, finite and non-negative
         * @return new options
         */
        public Options withLr(double r) {
            return new Options(epochs, r, momentum, weightDecay, batchSize, seed, augment, maxStepsPerEpoch);
        }

        /**
         * These options with another seed.
         *
         * @param s the generator's seed
         * @return new options
         */
        public Options withSeed(long s) {
            return new Options(epochs, lr, momentum, weightDecay, batchSize, s, augment, maxStepsPerEpoch);
        }

        /**
         * These options with a cap on the steps per epoch (0: none).
         *
         * @param cap the most steps per epoch, 0 for no cap
         * @return new options
         */
        public Options withMaxStepsPerEpoch(int cap) {
            return new Options(epochs, lr, momentum, weightDecay, batchSize, seed, augment, cap);
        }
    }

    /**
     * What one epoch did.
     *
     * @param epoch    1-based
     * @param steps    optimizer steps
     * @param meanLoss the mean cross-entropy over its examples (as quant_eval.py sums {@code loss * len(batch)})
     * @param seconds  wall time of the epoch
     * @param frozen   whether BN statistics and observers were frozen
     */
    public record Epoch(int epoch, int steps, double meanLoss, double seconds, boolean frozen) {
    }

    /**
     * The outcome.
     *
     * @param prepared   the fine-tuned fake-quantized model, in eval mode
     * @param int8       its conversion
     * @param epochs     one report per epoch
     * @param stepLosses the loss of every step, in order
     */
    public record Result(Module prepared, Module int8, List<Epoch> epochs, float[] stepLosses) {
    }

    private QatFineTune() {
    }

    /**
     * Fine-tunes a copy of {@code floatModel} (left untouched) for {@code qconfig} on
     * {@code images} ({@code [N, 1, 28, 28]}) and {@code labels}, then converts it.
     *
     * @param floatModel the trained float CNN; not modified
     * @param qconfig    the engine whose default QAT qconfig is used
     * @param images     the training images {@code [N, 1, 28, 28]}
     * @param labels     their classes 0..9, {@code N} of them
     * @param options    the recipe's knobs ({@link Options#recipe()} for quant_eval.py's)
     * @return the fine-tuned model, its conversion and the losses
     * @param progress called after each epoch (may be null)
     * @throws IllegalArgumentException for an unknown qconfig or mismatched data
     */
    public static Result run(MnistCnn floatModel, String qconfig, Tensor images, int[] labels, Options options,
                             Consumer<Epoch> progress) {
        Objects.requireNonNull(floatModel, "floatModel");
        Objects.requireNonNull(options, "options");
        TorchGenerator generator = new TorchGenerator(options.seed());
        ShuffledBatches data = new ShuffledBatches(images, labels, options.batchSize(), generator);
        Module model = MnistRecipes.qatPrepared(floatModel, qconfig);
        List<Parameter> params = new ArrayList<>();
        for (Parameter p : model.namedParameters().values()) {
            if (p.requiresGrad()) {
                params.add(p);
            }
        }
        SGD sgd = SGD.builder(params, options.lr()).momentum(options.momentum()).weightDecay(options.weightDecay()).build();
        int stepsPerEpoch = options.maxStepsPerEpoch() == 0 ? data.batchesPerEpoch()
                : Math.min(options.maxStepsPerEpoch(), data.batchesPerEpoch());
        CosineAnnealingLR schedule = new CosineAnnealingLR(sgd, options.epochs() * stepsPerEpoch);
        RandomAffine augmentation = options.augment() ? RandomAffine.mnistRecipe() : null;
        List<Epoch> reports = new ArrayList<>();
        float[] losses = new float[options.epochs() * stepsPerEpoch];
        int step = 0;
        for (int e = 0; e < options.epochs(); e++) {
            long t0 = System.nanoTime();
            model.train();
            boolean frozen = e == options.epochs() - 1;
            if (frozen) {
                // the last epoch: BN running statistics and fake-quant ranges stay as they are
                QatControls.freezeBnStats(model);
                QatControls.disableObserver(model);
            }
            double total = 0;
            int seen = 0;
            Iterator<Batch> batches = data.epoch();
            for (int s = 0; s < stepsPerEpoch; s++) {
                Batch b = batches.next();
                Tensor x = augmentation == null ? b.images() : augmentation.apply(b.images(), generator);
                sgd.zeroGrad();
                float loss;
                try (GradTape tape = GradTape.record()) {
                    Tensor l = Loss.crossEntropy(model.forward(x), b.labels());
                    tape.backward(l);
                    loss = l.toFloatArray()[0];
                }
                sgd.step();
                schedule.step();
                losses[step++] = loss;
                total += (double) loss * b.size();
                seen += b.size();
            }
            Epoch report = new Epoch(e + 1, stepsPerEpoch, total / seen, (System.nanoTime() - t0) / 1e9, frozen);
            reports.add(report);
            if (progress != null) {
                progress.accept(report);
            }
        }
        model.eval();
        Module int8 = Quantize.convert(model);
        return new Result(model, int8, Collections.unmodifiableList(reports), losses);
    }
}
