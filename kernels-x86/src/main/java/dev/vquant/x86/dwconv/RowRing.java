package dev.vquant.x86.dwconv;

/**
 * Bookkeeping of a ring of padded input rows, shared by the float and int8 drivers: each input
 * row is copied once into a slot (padding columns around it) and serves every output row whose
 * window covers it. Slots are {@code key % slots} with {@code key = n * h + iy}; the ring has one
 * extra row of padding values after the slots for window rows outside the image. The slot count
 * leaves one window's rows distinct and the rows the next output row adds free.
 */
final class RowRing {
    private RowRing() {
    }

    /** Number of slots for {@code p}'s window height, dilation and stride. */
    static int slots(DwPlan p) {
        return (p.kh - 1) * p.dilationH + 1 + p.strideH;
    }

    /**
     * Sets {@code offs[ky]} to the ring offset of window row {@code ky} of output row {@code row}
     * (the padding row for rows outside the image) and claims the slots of rows not yet held.
     *
     * @param keys the key held by each slot, -1 when none (updated)
     * @return a bit mask of the {@code ky} whose slot the caller must fill with input row
     *         {@code p.inputRow(row, ky)} of image {@code row / p.outH}
     */
    static int window(DwPlan p, int row, int slots, int rowLen, int[] keys, int[] offs) {
        int n = row / p.outH;
        int fill = 0;
        for (int ky = 0; ky < p.kh; ky++) {
            int iy = p.inputRow(row, ky);
            if (iy < 0) {
                offs[ky] = slots * rowLen;
                continue;
            }
            int key = n * p.h + iy;
            int slot = key % slots;
            offs[ky] = slot * rowLen;
            if (keys[slot] != key) {
                keys[slot] = key;
                fill |= 1 << ky;
            }
        }
        return fill;
    }
}
