package com.example.t2n;

import java.util.Set;
import org.torch2nnef.export.TranslationException;
import org.torch2nnef.export.spi.ModuleInfoExtractor;
import org.torch2nnef.export.spi.ModuleInvocation;
import org.torch2nnef.graph.Node;
import org.torch2nnef.nnef.model.Invocation;

/**
 * User (non-built-in) extractors of {@code nn.Linear} for ModuleExtractionTest, listed by its
 * services files.
 */
public final class TestExtractors {
    private TestExtractors() {}

    /** Handles {@code nn.Linear}. */
    abstract static class OfLinear implements ModuleInfoExtractor {
        @Override
        public Set<String> moduleClasses() {
            return Set.of("torch.nn.modules.linear.Linear");
        }
    }

    /**
     * neg(linear(x)): reads the value traced inside the call, so that node is translated op by op.
     */
    public static final class NegatedLinear extends OfLinear {
        @Override
        public void extract(ModuleInvocation call) throws TranslationException {
            Node linear = call.firstNode("aten::linear").orElseThrow();
            call.nnef()
                    .define(
                            call.outputs().get(0),
                            Invocation.of("neg", call.tensor(linear.output(0))));
        }
    }

    /** A second user extractor of the same class: a conflict. */
    public static final class AnotherLinear extends OfLinear {
        @Override
        public void extract(ModuleInvocation call) throws TranslationException {
            call.nnef().alias(call.outputs().get(0), call.inputs().get(0));
        }
    }

    /** Refuses every call. */
    public static final class Refusing extends OfLinear {
        @Override
        public void extract(ModuleInvocation call) throws TranslationException {
            throw new TranslationException("this module is refused by the test");
        }
    }
}
