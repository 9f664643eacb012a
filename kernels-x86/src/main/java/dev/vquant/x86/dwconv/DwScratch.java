package dev.vquant.x86.dwconv;

/**
 * Per-thread buffers of the depthwise drivers, grown on demand and reused across calls (one
 * instance per thread through {@link #get()}, so kernels stay thread-safe without allocating in
 * steady state).
 */
final class DwScratch {
    private static final ThreadLocal<DwScratch> LOCAL = ThreadLocal.withInitial(DwScratch::new);

    /** The plan of the call running on this thread. */
    final DwPlan plan = new DwPlan();
    /** The int8 driver's state of the call running on this thread. */
    final DwDriver.Call call = new DwDriver.Call();
    float[] floatPatch = new float[0];
    float[] floatPadRow = new float[0];
    float[] floatOutRow = new float[0];
    float[][] floatRows = new float[0][];
    byte[] bytePatch = new byte[0];
    byte[] byteOutRow = new byte[0];
    byte[] chunkInput = new byte[0];
    byte[][] byteRows = new byte[0][];
    int[] rowOffsets = new int[0];
    byte[][] tapRows = new byte[0][];
    int[] tapOffsets = new int[0];
    int[] acc = new int[0];
    int[] slotKeys = new int[0];
    int[] blockInfo = new int[0];
    int[] blockStarts = new int[0];
    int[] blockWidths = new int[0];
    int[] blockConsts = new int[0];
    int[] intOutRow = new int[0];
    float[] epilogueFloats = new float[0];
    int[] epilogueInts = new int[0];

    private DwScratch() {
    }

    static DwScratch get() {
        return LOCAL.get();
    }

    float[] floatPatch(int n) {
        if (floatPatch.length < n) {
            floatPatch = new float[n];
        }
        return floatPatch;
    }

    /** A row of at least {@code n} zeros. */
    float[] floatPadRow(int n) {
        if (floatPadRow.length < n) {
            floatPadRow = new float[n];
        }
        return floatPadRow;
    }

    float[] floatOutRow(int n) {
        if (floatOutRow.length < n) {
            floatOutRow = new float[n];
        }
        return floatOutRow;
    }

    float[][] floatRows(int n) {
        if (floatRows.length < n) {
            floatRows = new float[n][];
        }
        return floatRows;
    }

    byte[] bytePatch(int n) {
        if (bytePatch.length < n) {
            bytePatch = new byte[n];
        }
        return bytePatch;
    }

    byte[] chunkInput(int n) {
        if (chunkInput.length < n) {
            chunkInput = new byte[n];
        }
        return chunkInput;
    }

    byte[] byteOutRow(int n) {
        if (byteOutRow.length < n) {
            byteOutRow = new byte[n];
        }
        return byteOutRow;
    }

    byte[][] byteRows(int n) {
        if (byteRows.length < n) {
            byteRows = new byte[n][];
        }
        return byteRows;
    }

    int[] rowOffsets(int n) {
        if (rowOffsets.length < n) {
            rowOffsets = new int[n];
        }
        return rowOffsets;
    }

    byte[][] tapRows(int n) {
        if (tapRows.length < n) {
            tapRows = new byte[n][];
        }
        return tapRows;
    }

    int[] tapOffsets(int n) {
        if (tapOffsets.length < n) {
            tapOffsets = new int[n];
        }
        return tapOffsets;
    }

    int[] blockInfo(int n) {
        if (blockInfo.length < n) {
            blockInfo = new int[n];
        }
        return blockInfo;
    }

    int[] blockStarts(int n) {
        if (blockStarts.length < n) {
            blockStarts = new int[n];
        }
        return blockStarts;
    }

    int[] blockWidths(int n) {
        if (blockWidths.length < n) {
            blockWidths = new int[n];
        }
        return blockWidths;
    }

    int[] blockConsts(int n) {
        if (blockConsts.length < n) {
            blockConsts = new int[n];
        }
        return blockConsts;
    }

    int[] slotKeys(int n) {
        if (slotKeys.length < n) {
            slotKeys = new int[n];
        }
        return slotKeys;
    }

    int[] acc(int n) {
        if (acc.length < n) {
            acc = new int[n];
        }
        return acc;
    }

    int[] intOutRow(int n) {
        if (intOutRow.length < n) {
            intOutRow = new int[n];
        }
        return intOutRow;
    }

    float[] epilogueFloats(int n) {
        if (epilogueFloats.length < n) {
            epilogueFloats = new float[n];
        }
        return epilogueFloats;
    }

    int[] epilogueInts(int n) {
        if (epilogueInts.length < n) {
            epilogueInts = new int[n];
        }
        return epilogueInts;
    }
}
