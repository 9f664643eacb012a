package dev.vquant.quant.models.wordlm;

import dev.vquant.ops.core.OutputArena;
import dev.vquant.quant.Tensor;
import dev.vquant.quant.nn.Dropout;
import dev.vquant.quant.nn.Embedding;
import dev.vquant.quant.nn.Init;
import dev.vquant.quant.nn.LSTM;
import dev.vquant.quant.nn.Linear;
import dev.vquant.quant.nn.Module;

import java.util.SplittableRandom;

/**
 * The LSTM word language model of PyTorch's dynamic quantization tutorial ({@code RNNModel}, from
 * the word_language_model example), with its module names: {@code drop} (Dropout),
 * {@code encoder} = Embedding(ntoken, ninp), {@code rnn} = LSTM(ninp, nhid, nlayers),
 * {@code decoder} = Linear(nhid, ntoken); its {@code init_weights}: encoder and decoder weights
 * {@code U(-0.1, 0.1)}, decoder bias zero (the LSTM keeps PyTorch's default). The tutorial's
 * sizes are {@link #tutorial()}. Dropout (and the LSTM's inter-layer dropout) act only in
 * training; inference runs in {@link #eval()} mode. Input: token ids {@code [T, B]} as a float
 * tensor of whole numbers; output: logits {@code [T, B, ntoken]}. Quantize it as the tutorial:
 * {@code Quantize.quantizeDynamic(model, Set.of(LSTM.class, Linear.class), DType.QINT8)}.
 */
public final class WordLanguageModel extends Module {
    private final int ntoken;
    private final int nhid;
    private final int nlayers;
    private final Child drop;
    private final Child encoder;
    private final Child rnn;
    private final Child decoder;

    /**
     * The logits and the final LSTM states {@code [nlayers, B, nhid]}.
     *
     * @param logits the decoder's output {@code [T, B, ntoken]}
     * @param h      the final hidden states {@code [nlayers, B, nhid]}
     * @param c      the final cell states {@code [nlayers, B, nhid]}
     */
    public record Output(Tensor logits, Tensor h, Tensor c) {
    }

    /**
     * PyTorch's word_language_model {@code RNNModel('LSTM', ...)} (encoder and decoder weights not tied),
     * weights initialised as its {@code init_weights} does (uniform in [-0.1, 0.1], decoder bias 0).
     *
     * @param ntoken  vocabulary size
     * @param ninp    embedding size
     * @param nhid    hidden size of the LSTM
     * @param nlayers LSTM layers
     * @param dropout the dropout probability (training only)
     * @param seed    seed of the initial weights (same seed, same model)
     * @throws IllegalArgumentException for a size that is not positive or a probability outside [0, 1]
     */
    public WordLanguageModel(int ntoken, int ninp, int nhid, int nlayers, double dropout, long seed) {
        SplittableRandom seeds = new SplittableRandom(seed);
        this.ntoken = ntoken;
        this.nhid = nhid;
        this.nlayers = nlayers;
        this.drop = registerModule("drop", new Dropout(dropout, seeds.nextLong()));
        Embedding emb = new Embedding(ntoken, ninp, seeds.nextLong());
        this.encoder = registerModule("encoder", emb);
        this.rnn = registerModule("rnn", new LSTM(ninp, nhid, nlayers, true, false, seeds.nextLong()));
        Linear dec = new Linear(nhid, ntoken, true, seeds.nextLong());
        this.decoder = registerModule("decoder", dec);
        SplittableRandom init = new SplittableRandom(seeds.nextLong());
        Init.uniform(emb.weight().data(), 0.1, init);
        emb.weight().markModified();
        Init.uniform(dec.weight().data(), 0.1, init);
        dec.weight().markModified();
        java.util.Arrays.fill(dec.bias().data(), 0f);
        dec.bias().markModified();
    }

    /**
     * The tutorial's model: ntoken 33278, ninp 512, nhid 256, nlayers 5, dropout 0.5.
     *
     * @param seed seed of the initial weights (same seed, same model)
     * @return a float model of the tutorial's sizes
     */
    public static WordLanguageModel tutorial(long seed) {
        return new WordLanguageModel(33278, 512, 256, 5, 0.5, seed);
    }

    /**
     * The tutorial's model with seed 0.
     *
     * @return a float model of the tutorial's sizes
     */
    public static WordLanguageModel tutorial() {
        return tutorial(0);
    }

    /** {@return the vocabulary size ({@code ntoken})} */
    public int ntoken() {
        return ntoken;
    }

    /** Logits {@code [T, B, ntoken]} from zero initial states. */
    @Override
    public Tensor forward(Tensor input) {
        return forwardWithState(input, null, null).logits();
    }

    /**
     * Runs from the given states ({@code [nlayers, B, nhid]}, null for zeros), as the tutorial's
     * {@code forward(input, hidden)}.
     *
     * @param input token ids {@code [T, B]} as float values in {@code [0, ntoken)}
     * @param h0    the initial hidden states {@code [nlayers, B, nhid]}, or null for zeros
     * @param c0    the initial cell states {@code [nlayers, B, nhid]}, or null for zeros
     * @return the logits and the final states
     * @throws IllegalArgumentException for token ids outside the vocabulary, or states of the wrong shape
     */
    public Output forwardWithState(Tensor input, Tensor h0, Tensor c0) {
        Tensor emb = drop.forward(encoder.forward(input));
        Module r = rnn.get();
        LSTM.Output out = r instanceof LSTM f ? f.forwardWithState(emb, h0, c0)
                : ((dev.vquant.quant.nn.quantized.dynamic.LSTM) r).forwardWithState(emb, h0, c0);
        Tensor logits = decoder.forward(drop.forward(out.output()));
        Output kept = OutputArena.recall(Output.class); // a reused arena scope: the previous scope's equal record
        if (kept != null && kept.logits() == logits && kept.h() == out.h() && kept.c() == out.c()) {
            return kept;
        }
        return OutputArena.keep(new Output(logits, out.h(), out.c()));
    }

    /** {@return the hidden size} */
    public int nhid() {
        return nhid;
    }

    /** {@return the LSTM layer count} */
    public int nlayers() {
        return nlayers;
    }
}
