package org.torch2nnef.nnef.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.torch2nnef.nnef.io.NnefParseException;
import org.torch2nnef.nnef.io.NnefParser;
import org.torch2nnef.nnef.io.NnefPrinter;

/**
 * Strict graphs are flat: fragment calls replaced by their bodies, operators and nested calls by
 * assignments of their own, so that NNEF-Tools (which runs none of our fragments and parses neither
 * without their KHR extensions) reads them. The numbers are checked end to end by ZooStrictTest.
 */
class FragmentInlinerTest {
    @Test
    void logSoftmaxBecomesFlatInvocations() throws NnefParseException {
        NnefModel model =
                NnefParser.parse(
                        """
                        version 1.0;
                        extension KHR_enable_fragment_definitions;
                        extension KHR_enable_operator_expressions;

                        fragment t2n_log_softmax( x: tensor<scalar>, axes: integer[] ) -> ( y: tensor<scalar> )
                        {
                            m = max_reduce(x, axes = axes);
                            s = x - m;
                            y = s - log(sum_reduce(exp(s), axes = axes));
                        }

                        graph G(x) -> (out)
                        {
                            x = external<scalar>(shape = [1, 5]);
                            out = t2n_log_softmax(x, axes = [1]);
                        }
                        """,
                        "test");
        NnefModel flat = FragmentInliner.inline(model);
        assertTrue(flat.fragments().isEmpty());
        assertEquals(
                """
                version 1.0;

                graph G(x) -> (out)
                {
                    x = external<scalar>(shape = [1, 5]);
                    out_m = max_reduce(x, axes = [1]);
                    out_s = sub(x, out_m);
                    out_exp = exp(out_s);
                    out_sum_reduce = sum_reduce(out_exp, axes = [1]);
                    out_log = log(out_sum_reduce);
                    out = sub(out_s, out_log);
                }
                """,
                NnefPrinter.print(withoutExtensions(flat)));
    }

    @Test
    void literalOperatorsFoldAndNestedFragmentsInline() throws NnefParseException {
        NnefModel model =
                NnefParser.parse(
                        """
                        version 1.0;

                        fragment half( x: tensor<scalar>, k: scalar ) -> ( y: tensor<scalar> )
                        {
                            y = x * (k / 2.0);
                        }

                        fragment twice( x: tensor<scalar> ) -> ( y: tensor<scalar> )
                        {
                            y = -half(x, k = 4.0);
                        }

                        graph G(x) -> (out)
                        {
                            x = external<scalar>(shape = [3]);
                            out = twice(x);
                        }
                        """,
                        "test");
        String text = NnefPrinter.print(FragmentInliner.inline(model));
        assertTrue(text.contains("out_half = mul(x, 2.0);"), text);
        assertTrue(text.contains("out = neg(out_half);"), text);
        assertTrue(!text.contains("fragment"), text);
    }

    @Test
    void aSubscriptOfATensorHasNoFlatForm() throws NnefParseException {
        NnefModel model =
                NnefParser.parse(
                        """
                        version 1.0;

                        fragment first( x: tensor<scalar>[] ) -> ( y: tensor<scalar> )
                        {
                            y = copy(x[0]);
                        }

                        graph G(a, b) -> (out)
                        {
                            a = external<scalar>(shape = [3]);
                            b = external<scalar>(shape = [3]);
                            out = first([a, b]);
                        }
                        """,
                        "test");
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> FragmentInliner.inline(model));
        assertTrue(e.getMessage().contains("fragment first"), e.getMessage());
        assertTrue(e.getMessage().contains("no flat NNEF form"), e.getMessage());
    }

    /** The KHR extensions the input declared are kept; the exporter declares none. */
    private static NnefModel withoutExtensions(NnefModel m) {
        return NnefModel.builder(m.graph()).version(m.version()).build();
    }
}
