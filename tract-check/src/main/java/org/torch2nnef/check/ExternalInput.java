package org.torch2nnef.check;

import java.util.List;
import java.util.Optional;
import org.torch2nnef.check.tensor.DType;
import org.torch2nnef.nnef.io.NnefPrinter;
import org.torch2nnef.nnef.model.Expr;

/**
 * A graph input as {@code graph.nnef} declares it.
 *
 * @param name NNEF input name
 * @param dtype element type: {@code external<scalar>} is f32, {@code <integer>} i64,
 *     {@code <logical>} bool, {@code tract_core_external} its {@code datum_type}
 * @param dims the declared dimensions: integer literals, or symbols and expressions of symbols
 *     ({@code extension tract_symbol S;})
 */
public record ExternalInput(String name, DType dtype, List<Expr> dims) {
  /** Canonical constructor; copies the dims. */
  public ExternalInput {
    dims = List.copyOf(dims);
  }

  /** The declared shape as graph.nnef spells it, e.g. {@code [B, 3]}. */
  public String shapeText() {
    return NnefPrinter.expr(new Expr.ArrayExpr(dims));
  }

  /** Whether every dimension is an integer literal. */
  public boolean isConcrete() {
    return dims.stream().allMatch(d -> d instanceof Expr.IntLit);
  }

  /** The literal size of dimension {@code i}, empty when it is symbolic. */
  public Optional<Long> literal(int i) {
    return dims.get(i) instanceof Expr.IntLit l ? Optional.of(l.value()) : Optional.empty();
  }

  /** The symbol naming dimension {@code i} when it is a plain symbol, empty otherwise. */
  public Optional<String> symbol(int i) {
    return dims.get(i) instanceof Expr.Id id ? Optional.of(id.name()) : Optional.empty();
  }
}
