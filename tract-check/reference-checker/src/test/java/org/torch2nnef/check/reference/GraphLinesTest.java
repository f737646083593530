package org.torch2nnef.check.reference;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import org.junit.jupiter.api.Test;

class GraphLinesTest {
    @Test
    void findsTheLineOfEachGraphAssignment() {
        String text =
                """
                version 1.0;
                fragment f(a: tensor<scalar>) -> (b: tensor<scalar>)
                {
                    b = relu(a);
                }
                graph G(x) -> (y, z)
                {
                    # x = comment, not an assignment
                    x = external<scalar>(shape = [2]);
                    (y, z) = f(
                        x, k = 2);
                    w = select(x == x, x, x);
                    u = add(w, 1.0);
                }
                """;
        Map<String, Integer> lines = GraphLines.parse(text);
        assertEquals(9, lines.get("x"));
        assertEquals(10, lines.get("y"));
        assertEquals(12, lines.get("w"));
        assertEquals(13, lines.get("u"));
        assertEquals(null, lines.get("b"), "fragment bodies are not the graph");
    }
}
