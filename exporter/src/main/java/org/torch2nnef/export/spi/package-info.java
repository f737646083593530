/**
 * The module extractor SPI: {@link org.torch2nnef.export.spi.ModuleInfoExtractor} exports a whole
 * module call as a hand-written NNEF sub-graph, given a
 * {@link org.torch2nnef.export.spi.ModuleInvocation}; {@link org.torch2nnef.export.spi.ModuleExtractors}
 * discovers extractors (class path and plugin jars) and resolves which one is active per module class.
 */
package org.torch2nnef.export.spi;
