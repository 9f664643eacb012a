package dev.vquant.bench;

import dev.vquant.engine.QuantEngine;
import dev.vquant.engine.spi.KernelBackend;

/** The value of an {@code --engine NAME} option: the installed engine of that name or alias (it may not run here). */
public final class EngineConverter extends NamedValueConverter<KernelBackend> {

    /** Created by picocli for each option that names it. */
    public EngineConverter() {
        super(QuantEngine::backend);
    }
}
