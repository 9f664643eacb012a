package dev.vquant.x86.qgemm;

/**
 * The output stage of the fbgemm engine's int8 GEMM, modelled on FBGEMM's output pipeline (its
 * {@code ReQuantizeOutput} / {@code ReQuantizeForFloat} objects, whose {@code f(out, inp, block,
 * ld_out, ld_in)} the GEMM calls on each finished block): the driver hands every finished panel of
 * raw sums, still hot in L1, to one stage object, which applies the zero-point correction and
 * writes the caller's output. A stage owns everything its arithmetic needs (the call's packed
 * weights and activation zero point, bound here; its output parameters and array, bound by the
 * concrete stage), so the driver passes nothing but the block.
 *
 * <p>The same design as the qnnpack engine's {@code RowOutput}: concrete stages are bound to one
 * call ({@code bind(...)} returns the stage), and each thread owns its own set
 * ({@link OutputStages}, in the per-thread {@link QGemmScratch}), so binding allocates nothing
 * and stages are never shared between threads. One class per width and output kind
 * ({@code QGemmOutputV512.Requantize}, ...) keeps every species constant.
 */
abstract class PanelOutput {
    /** The call's packed weights: their {@code zW + 128} and column sums correct the raw sums. */
    PackedQGemmPanels w;
    /** The call's activation zero point. */
    int zA;

    /** Binds the zero-point correction of one call. */
    final void correction(PackedQGemmPanels w, int zA) {
        this.w = w;
        this.zA = zA;
    }

    /**
     * Writes the columns of {@code [nStart, nEnd)} that fall in the panel starting at column
     * {@code col}, for {@code rows} rows of raw sums at {@code tile[r * nr + c]} whose activation
     * row sums are {@code rowSum[r]}; row {@code r}'s column {@code j} goes to output element
     * {@code cRow + r * ldc + j}.
     */
    abstract void panel(int[] tile, int rows, int[] rowSum, int col, int nStart, int nEnd, int cRow, int ldc);
}
