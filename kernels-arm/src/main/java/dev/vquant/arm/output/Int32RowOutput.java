package dev.vquant.arm.output;

/** The identity stage: accumulators are the output ({@code gemmInt32}, {@code convInt32}). */
public final class Int32RowOutput extends RowOutput {
    private int[] out;

    /** Creates an unbound stage; {@link #bind} it before each call. */
    public Int32RowOutput() {
    }

    /**
     * Binds the stage to this call's output array.
     *
     * @param out the int32 output
     * @return this stage, ready for {@link #row}
     */
    public Int32RowOutput bind(int[] out) {
        this.out = out;
        return this;
    }

    @Override
    public void row(int[] acc, int accOff, int j0, int len, int outOff) {
        System.arraycopy(acc, accOff, out, outOff, len);
    }
}
