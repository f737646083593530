package org.torch2nnef.pt2;

import org.torch2nnef.graph.shapes.ScalarTypes;

/** A dtype argument of the program as the op table's rules read it: c10's ScalarType number. */
final class ScalarTypeCodes {
    private ScalarTypeCodes() {}

    static long c10(long programCode, String at) throws ProgramFormatException {
        return ScalarTypes.code(
                ProgramEnums.dtype(programCode)
                        .orElseThrow(
                                () ->
                                        new ProgramFormatException(
                                                at
                                                        + ": dtype "
                                                        + programCode
                                                        + " is not supported")));
    }
}
