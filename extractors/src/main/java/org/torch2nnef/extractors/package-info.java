/**
 * Built-in {@link ModuleInfoExtractor}s: {@code nn.LSTM}, {@code nn.GRU} and {@code nn.RNN}
 * exported as a {@code tract_core_scan} loop over time (unrolled into standard NNEF under {@code
 * --nnef-spec-strict}). Registered in {@code META-INF/services/ModuleInfoExtractor}.
 */
package org.torch2nnef.extractors;

import org.torch2nnef.export.spi.ModuleInfoExtractor;
