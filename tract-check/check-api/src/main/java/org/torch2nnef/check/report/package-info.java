/** Check reports (console table, JSON) and the exit code contract. */
package org.torch2nnef.check.report;
