package dev.vquant.bench.report;

import dev.vquant.bench.accuracy.AccuracyTable;

import java.util.List;
import java.util.Optional;

/**
 * Everything one report shows: the measured model rows, the MNIST accuracy rows, PyTorch's
 * figures to compare with, the registry entries measured and a line about the machine.
 *
 * @param machine a line about the machine (architecture, CPUs, Java)
 * @param models the registry entries measured
 * @param rows the measured model rows
 * @param accuracy the MNIST accuracy rows (empty when not run)
 * @param anchors PyTorch's figures
 */
public record ReportData(String machine, List<ModelEntry> models, List<ModelRow> rows, List<AccuracyTable.Row> accuracy,
                         PyTorchAnchors anchors) {

    /** Copies the lists. */
    public ReportData {
        models = List.copyOf(models);
        rows = List.copyOf(rows);
        accuracy = List.copyOf(accuracy);
    }

    /**
     * PyTorch's fastest float time for the row's model, when it was measured; only for 1-thread
     * rows (PyTorch's figures are single-thread).
     *
     * @param row a measured row
     * @return the anchor, or empty
     */
    public Optional<PyTorchAnchors.Anchor> pytorchFloat(ModelRow row) {
        return row.threads() == 1 ? anchors.bestFloat(row.model()) : Optional.empty();
    }

    /**
     * PyTorch's int8 time on the row's engine, when it was measured; only for 1-thread rows.
     *
     * @param row a measured row
     * @return the anchor, or empty
     */
    public Optional<PyTorchAnchors.Anchor> pytorchInt8(ModelRow row) {
        return row.threads() == 1 ? anchors.int8Peer(row.model(), row.engine()) : Optional.empty();
    }
}
