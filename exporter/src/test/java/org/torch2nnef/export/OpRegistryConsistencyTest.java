package org.torch2nnef.export;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.torch2nnef.nnef.model.Invocation;

/**
 * One op, one registration: every op of the standard families has all the parts its role needs
 * (signature, shape rule, translator, a dated tract gate), and each op is registered once.
 */
class OpRegistryConsistencyTest {

    /**
     * @return op kind to the parts it lacks, for every incomplete op of the registry
     */
    static Map<String, List<String>> incomplete(OpRegistry registry) {
        Map<String, List<String>> out = new TreeMap<>();
        registry.definitions()
                .forEach(
                        (kind, d) -> {
                            if (!d.missingParts().isEmpty()) {
                                out.put(kind, d.missingParts());
                            }
                        });
        return out;
    }

    @Test
    void everyStandardOpIsComplete() {
        assertEquals(Map.of(), incomplete(OpRegistry.standard()));
    }

    @Test
    void aHalfRegisteredOpIsReported() {
        OpRegistry r =
                new OpRegistry()
                        .add(
                                registry -> {
                                    registry.op("aten::half_done(Tensor self) -> Tensor")
                                            .translate(
                                                    (node, ctx) ->
                                                            ctx.nnef()
                                                                    .define(
                                                                            node.output(0),
                                                                            Invocation.of(
                                                                                    "relu",
                                                                                    ctx.nnef()
                                                                                            .tensor(
                                                                                                    node
                                                                                                            .input(
                                                                                                                    0)))));
                                    registry.op("aten::untranslated(Tensor self) -> Tensor")
                                            .shape(n -> n.output(0, n.tensor(0)));
                                    registry.op("aten::folded(Tensor self) -> int")
                                            .shape(n -> n.known(0, 1L))
                                            .foldOnly();
                                    registry.op("aten::gated(Tensor self) -> Tensor")
                                            .shape(n -> n.output(0, n.tensor(0)))
                                            .translate(
                                                    (node, ctx) ->
                                                            ctx.nnef()
                                                                    .alias(
                                                                            node.output(0),
                                                                            node.input(0)))
                                            .tract("tract_core_undated");
                                });
        assertEquals(
                Map.of(
                        "aten::half_done",
                        List.of("shape rule"),
                        "aten::untranslated",
                        List.of("translator"),
                        "aten::gated",
                        List.of("a date for tract_core_undated in TractTarget")),
                incomplete(r));
    }

    @Test
    void anOpIsRegisteredOnce() {
        OpFamily twice =
                registry -> {
                    registry.op("aten::relu(Tensor self) -> Tensor");
                    registry.op("aten::relu");
                };
        assertThrows(IllegalStateException.class, () -> new OpRegistry().add(twice));
    }

    @Test
    void malformedRegistrationsAreRefusedNamingTheOp() {
        IllegalArgumentException unnamespaced =
                assertThrows(IllegalArgumentException.class, () -> new OpRegistry().op("relu"));
        assertTrue(unnamespaced.getMessage().contains("'relu' must be namespaced"));
        IllegalArgumentException foreignOverload =
                assertThrows(
                        IllegalArgumentException.class,
                        () ->
                                new OpRegistry()
                                        .op("aten::relu(Tensor self) -> Tensor")
                                        .overload("aten::sigmoid(Tensor self) -> Tensor"));
        assertTrue(foreignOverload.getMessage().contains("is not one of aten::relu"));
        OpRegistry used = new OpRegistry();
        used.definitions();
        IllegalStateException late =
                assertThrows(IllegalStateException.class, () -> used.op("aten::relu"));
        assertTrue(late.getMessage().contains("register every op before the first query"));
    }
}
