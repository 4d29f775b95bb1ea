/** Run folders and what is written into them: config, metrics, assignments, logs. */
package io.deepclust.report;
