package org.torch2nnef.export.spi;

import java.util.Set;
import org.torch2nnef.export.TranslationException;
import org.torch2nnef.nnef.model.Invocation;

/** An extractor in a torch2nnef package (so "built-in") of {@code nn.Linear}: relu of its input. */
public final class BuiltInLikeExtractor implements ModuleInfoExtractor {
    @Override
    public Set<String> moduleClasses() {
        return Set.of("torch.nn.modules.linear.Linear");
    }

    @Override
    public void extract(ModuleInvocation call) throws TranslationException {
        call.nnef()
                .define(
                        call.outputs().get(0),
                        Invocation.of("relu", call.tensor(call.inputs().get(0))));
    }
}
