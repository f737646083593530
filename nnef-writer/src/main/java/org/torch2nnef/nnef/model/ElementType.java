package org.torch2nnef.nnef.model;

/**
 * The three NNEF tensor element types; every {@link ItemType} of a {@code .dat} file maps to one.
 */
public enum ElementType {
    SCALAR(TypeName.SCALAR),
    INTEGER(TypeName.INTEGER),
    LOGICAL(TypeName.LOGICAL);

    private final TypeName typeName;

    ElementType(TypeName typeName) {
        this.typeName = typeName;
    }

    /** The type name used in {@code external<scalar>}, {@code tensor<integer>} and the like. */
    public TypeName typeName() {
        return typeName;
    }
}
