package dev.vquant.quant.models.vision;

import dev.vquant.quant.Fuser;
import dev.vquant.quant.nn.Module;

import java.util.List;

/**
 * A model with torchvision's {@code fuse_model(is_qat=None)}: fuses its conv + batch norm (+ ReLU)
 * groups in place, for inference when the model is in eval mode and for quantization-aware
 * training when it is in training mode, as torchvision decides from {@code model.training}.
 */
public interface QuantizableModel {

    /**
     * Fuses the model's groups in place ({@code Fuser.fuseModules} in eval mode,
     * {@code Fuser.fuseModulesQat} in training mode).
     *
     * @return the model itself
     * @throws IllegalArgumentException when the model was already fused (the groups no longer
     *                                  hold a fusable pattern), as PyTorch's fusion fails then
     */
    Module fuseModel();

    /**
     * torchvision's {@code _fuse_modules(model, groups, is_qat=None, inplace=True)}: fuses
     * {@code groups} of {@code model} in place for QAT ({@link Fuser#fuseModulesQat}) when the
     * model is in training mode, else for inference ({@link Fuser#fuseModules}).
     *
     * @param model  the model to fuse, modified in place
     * @param groups the submodule paths of each group, as {@link #fuseModel()}'s implementations list them
     * @throws IllegalArgumentException as the Fuser's methods (unknown name, unsupported pattern)
     */
    static void fuseByMode(Module model, List<List<String>> groups) {
        if (model.isTraining()) {
            Fuser.fuseModulesQat(model, groups, true);
        } else {
            Fuser.fuseModules(model, groups, true);
        }
    }
}
