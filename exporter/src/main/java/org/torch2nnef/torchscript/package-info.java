/**
 * Reading traced TorchScript archives ({@code torch.jit.save}, torch 1.x and 2.x layouts).
 *
 * <p>{@link org.torch2nnef.torchscript.TorchScriptArchive#open} decodes {@code data.pkl} into a
 * tree of {@link org.torch2nnef.torchscript.ScriptObject}s (modules, by attribute name) whose
 * tensors are {@link org.torch2nnef.torchscript.TorchTensor} views of lazily read
 * {@link org.torch2nnef.torchscript.TensorStorage}s; {@code constants.pkl} becomes
 * {@code constants()} ({@code CONSTANTS.cN}); generated code is available by qualified module
 * name and mapped back to the user's source by {@link org.torch2nnef.torchscript.DebugInfo}.
 * Every failure to read is a {@link org.torch2nnef.torchscript.TorchScriptFormatException}
 * naming the archive and entry. Pickles are decoded by
 * {@link org.torch2nnef.torchscript.pickle.RestrictedUnpickler}, which builds only the globals
 * torch writes and refuses every other one by name.
 */
package org.torch2nnef.torchscript;
