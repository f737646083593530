/**
 * The module extractor SPI: {@link ModuleInfoExtractor} exports a whole module call as a
 * hand-written NNEF sub-graph, given a {@link ModuleInvocation}; {@link ModuleExtractors} discovers
 * extractors (class path and plugin jars) and resolves which one is active per module class.
 */
package org.torch2nnef.export.spi;
