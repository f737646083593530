/** Output comparison with tract's approximation levels. */
package org.torch2nnef.check.compare;
