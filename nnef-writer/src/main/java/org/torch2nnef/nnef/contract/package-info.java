/**
 * What the exporter writes and the checker reads back, written once: the tract release a model
 * targets ({@link org.torch2nnef.nnef.contract.TractRelease}), the keys of its
 * {@code tract_core_properties} ({@link org.torch2nnef.nnef.contract.ModelPropertyKeys}), and the
 * tensors exchanged as numpy {@code .npy}/{@code .npz} bundles
 * ({@link org.torch2nnef.nnef.contract.DType}, {@link org.torch2nnef.nnef.contract.HostTensor},
 * {@link org.torch2nnef.nnef.contract.Npz}).
 */
package org.torch2nnef.nnef.contract;
