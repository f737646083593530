/**
 * Built-in {@link ModuleInfoExtractor}s: {@code nn.LSTM}, {@code nn.GRU} and {@code nn.RNN}, and
 * dynamically quantized (int8) {@code nn.LSTM} and {@code nn.GRU}, exported as a {@code
 * tract_core_scan} loop over time (the float ones unrolled into standard NNEF under {@code
 * --nnef-spec-strict}). Registered in {@code META-INF/services/ModuleInfoExtractor}.
 */
package org.torch2nnef.extractors;

import org.torch2nnef.export.spi.ModuleInfoExtractor;
