/**
 * Run folders and what is written into them: config, metrics, assignments, logs, and {@link
 * io.deepclust.report.HtmlReport} (a self-contained {@code report.html} summarising a run folder).
 */
package io.deepclust.report;
