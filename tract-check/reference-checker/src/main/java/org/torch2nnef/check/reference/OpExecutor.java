package org.torch2nnef.check.reference;

/** Executes one operation on its bound arguments. */
@FunctionalInterface
interface OpExecutor {
    /** The op's result: a tensor, or an array/tuple of tensors for ops with several results. */
    Value execute(OpCall call);
}
