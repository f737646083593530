package org.torch2nnef.pt2;

/**
 * The values torch.export allows a dynamic dim: its {@code Dim(min=, max=)} as recorded in the
 * program's {@code range_constraints}.
 *
 * @param symbol the tract symbol it became, e.g. {@code S}
 * @param torchSymbol torch's name, e.g. {@code s98}
 * @param min the smallest allowed size
 * @param max the largest allowed size ({@link Long#MAX_VALUE} when unbounded)
 */
public record SymbolRange(String symbol, String torchSymbol, long min, long max) {
    /**
     * @return e.g. {@code S: 2..512 (torch s98)}
     */
    public String describe() {
        return symbol
                + ": "
                + min
                + ".."
                + (max == Long.MAX_VALUE ? "" : Long.toString(max))
                + " (torch "
                + torchSymbol
                + ")";
    }
}
