/**
 * The op translator families, one file per family, each an {@link OpFamily} registering one
 * translator per op kind: {@link PrimOps} (lists, tuples, scalars, sizes), {@link ShapeOps}
 * (view/reshape/flatten/transpose/permute/squeeze/unsqueeze and identities), {@link
 * ElementwiseOps}, {@link ActivationOps}, {@link LinearOps}, {@link ConvolutionOps}, {@link
 * PoolingOps}, {@link NormalizationOps}, {@link ReductionOps}, {@link JoinSplitOps}
 * (cat/stack/split/chunk/unbind), {@link IndexingOps}
 * (slice/select/narrow/index_select/gather/expand/repeat/tile), {@link PaddingOps}, {@link
 * ResizeOps} (upsampling), {@link EmbeddingOps}, {@link CreationOps} (zeros/ones/full/arange...),
 * {@link ComparisonOps} (comparisons, logic, where, masked_fill, maximum/minimum), {@link CastOps}
 * ({@code to}, {@code type_as}), {@link AttentionOps} (fused attention kernels, nested tensors,
 * scaled_dot_product_attention). Helpers for translators: {@link Args} (arguments by schema name),
 * {@link Axes}, {@link Operands} (numpy broadcasting made explicit), {@link Slicing} (one-axis NNEF
 * slices).
 */
package org.torch2nnef.export.ops;

import org.torch2nnef.export.OpFamily;
