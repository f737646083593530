package org.torch2nnef.export.spi;

import java.util.ServiceLoader;
import java.util.Set;
import org.torch2nnef.export.TranslationException;

/**
 * Exports a whole module call as one hand-written NNEF sub-graph instead of op by op (e.g. an
 * {@code nn.LSTM}, whose {@code aten::lstm} weights, layers and directions only make sense
 * together, or a user module mapped to a custom fragment).
 *
 * <p>Implementations are discovered with {@link ServiceLoader}: list the class in {@code
 * META-INF/services/ModuleInfoExtractor} of its jar, and put the jar on the class path or give it
 * with {@code --plugins DIR|JAR}. They need a public no-argument constructor and must be stateless
 * (one instance serves every call of every export). {@link ModuleExtractors} says which extractor
 * wins when several handle the same class.
 */
public interface ModuleInfoExtractor {

    /**
     * @return the torch classes this extractor handles, as the archive names them with mangling
     *     (and the {@code __torch__.} prefix) ignored, e.g. {@code torch.nn.modules.rnn.LSTM}, or
     *     {@code FiLM} for a class defined in the tracing script; {@code torch2nnef inspect} prints
     *     them in its module call tree
     */
    Set<String> moduleClasses();

    /**
     * Translates one call of a handled module: must define every {@link ModuleInvocation#outputs()
     * output} (with {@link ModuleInvocation#nnef()} {@code define}/{@code bindExpr}). Only the
     * call's outputs are visible to the rest of the graph; the nodes inside the call are not
     * exported unless the extractor asks for them ({@link ModuleInvocation#tensor}).
     *
     * @param call the module call, its module's state and the NNEF builder
     * @throws TranslationException if this call (these attributes, these shapes) cannot be
     *     exported; the message is reported with the module path
     */
    void extract(ModuleInvocation call) throws TranslationException;
}
