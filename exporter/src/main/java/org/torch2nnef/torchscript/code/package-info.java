/**
 * Parser for the TorchScript code stored in an archive's {@code code/} folder.
 *
 * <p>{@code torch.jit.save} writes each module class and function as Python-like text, one file per
 * qualifier ({@link QualifiedName#codePath()}). For traced models that text is straight-line:
 * assignments of {@code torch.*}/{@code ops.*} calls, submodule {@code forward} calls, tuple
 * unpacking and a return. {@link ScriptParser} turns one file into a {@link ScriptFile} AST whose
 * nodes all carry a {@link SourcePos}; {@link ScriptCodeIndex} finds classes and functions by
 * qualified name across an archive, parsing files on demand.
 *
 * <pre>{@code
 * ScriptCodeIndex index = new ScriptCodeIndex(path -> archive.entryBytes(path));
 * ClassDef root = index.findClass(QualifiedName.parse("__torch__.MyModel"));
 * for (Stmt stmt : root.method("forward").orElseThrow().body()) { ... }
 * }</pre>
 *
 * <p>Scripted code ({@code if}, loops, {@code with}, {@code raise}, ...) is refused with a {@link
 * TorchScriptSyntaxException} whose {@link TorchScriptSyntaxException#scripted()} is true.
 */
package org.torch2nnef.torchscript.code;
