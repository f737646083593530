/** Host tensors and the numpy {@code .npy}/{@code .npz} formats used for io bundles. */
package org.torch2nnef.nnef.contract;
