/** Locating and running tract to check an exported NNEF model against an io bundle. */
package org.torch2nnef.check.tract;
