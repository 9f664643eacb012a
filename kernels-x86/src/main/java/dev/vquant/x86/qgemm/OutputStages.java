package dev.vquant.x86.qgemm;

import dev.vquant.engine.spi.FloatOutput;
import dev.vquant.engine.spi.Requantization;

/**
 * One thread's reusable {@link PanelOutput} stages at both widths, so that a GEMM call binds an
 * existing stage instead of allocating one. Owned by a single thread (held in its
 * {@link QGemmScratch}).
 */
final class OutputStages {
    private final QGemmOutputV512.Int32 int32V512 = new QGemmOutputV512.Int32();
    private final QGemmOutputV512.Requantize requantizeV512 = new QGemmOutputV512.Requantize();
    private final QGemmOutputV512.FixedPoint fixedPointV512 = new QGemmOutputV512.FixedPoint();
    private final QGemmOutputV512.ToFloat toFloatV512 = new QGemmOutputV512.ToFloat();
    private final QGemmOutputV256.Int32 int32V256 = new QGemmOutputV256.Int32();
    private final QGemmOutputV256.Requantize requantizeV256 = new QGemmOutputV256.Requantize();
    private final QGemmOutputV256.FixedPoint fixedPointV256 = new QGemmOutputV256.FixedPoint();
    private final QGemmOutputV256.ToFloat toFloatV256 = new QGemmOutputV256.ToFloat();

    /** Exact int32 accumulators into {@code c}. */
    PanelOutput int32(boolean wide, PackedQGemmPanels w, int zA, int[] c) {
        return wide ? int32V512.bind(w, zA, c) : int32V256.bind(w, zA, c);
    }

    /** quint8 output with {@code rq}'s arithmetic (any mode). */
    PanelOutput requantize(boolean wide, PackedQGemmPanels w, int zA, Requantization rq, byte[] c) {
        if (rq.mode() == Requantization.Mode.FIXED_POINT) {
            return wide ? fixedPointV512.bind(w, zA, rq, c) : fixedPointV256.bind(w, zA, rq, c);
        }
        return wide ? requantizeV512.bind(w, zA, rq, c) : requantizeV256.bind(w, zA, rq, c);
    }

    /** float32 output (dynamic quantization). */
    PanelOutput toFloat(boolean wide, PackedQGemmPanels w, int zA, FloatOutput fo, float[] c) {
        return wide ? toFloatV512.bind(w, zA, fo, c) : toFloatV256.bind(w, zA, fo, c);
    }
}
