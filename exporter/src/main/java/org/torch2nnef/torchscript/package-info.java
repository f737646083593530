/**
 * Reading traced TorchScript archives ({@code torch.jit.save}, torch 1.x and 2.x layouts).
 *
 * <p>{@link TorchScriptArchive#open} decodes {@code data.pkl} into a tree of {@link ScriptObject}s
 * (modules, by attribute name) whose tensors are {@link TorchTensor} views of lazily read {@link
 * TensorStorage}s; {@code constants.pkl} becomes {@code constants()} ({@code CONSTANTS.cN});
 * generated code is available by qualified module name and mapped back to the user's source by
 * {@link DebugInfo}. Every failure to read is a {@link TorchScriptFormatException} naming the
 * archive and entry. Pickles are decoded by {@link RestrictedUnpickler}, which builds only the
 * globals torch writes and refuses every other one by name.
 */
package org.torch2nnef.torchscript;

import org.torch2nnef.torchscript.pickle.RestrictedUnpickler;
