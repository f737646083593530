/**
 * What the exporter writes and the checker reads back, written once: the tract release a model
 * targets ({@link TractRelease}), the keys of its {@code tract_core_properties} ({@link
 * ModelPropertyKeys}), and the tensors exchanged as numpy {@code .npy}/{@code .npz} bundles ({@link
 * DType}, {@link HostTensor}, {@link Npz}).
 */
package org.torch2nnef.nnef.contract;
