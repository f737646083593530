/**
 * Built-in {@link org.torch2nnef.export.spi.ModuleInfoExtractor}s: {@code nn.LSTM}, {@code nn.GRU}
 * and {@code nn.RNN} exported as a {@code tract_core_scan} loop over time (unrolled into standard
 * NNEF under {@code --nnef-spec-strict}). Registered in
 * {@code META-INF/services/org.torch2nnef.export.spi.ModuleInfoExtractor}.
 */
package org.torch2nnef.extractors;
