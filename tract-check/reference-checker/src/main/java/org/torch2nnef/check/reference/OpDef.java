package org.torch2nnef.check.reference;

import java.util.List;
import java.util.Optional;

/**
 * One registered operation: its NNEF name, its parameters in declaration order (positional
 * arguments bind in this order) with their default values, and its executor.
 */
record OpDef(String name, List<Param> params, OpExecutor executor) {

    /** A parameter and its default value, if any. */
    record Param(String name, Optional<Value> defaultValue) {}

    OpDef {
        params = List.copyOf(params);
    }
}
