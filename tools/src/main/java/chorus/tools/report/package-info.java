/** The self-contained HTML page of a run directory ({@link chorus.tools.report.HtmlReport}) and its evaluation tables. */
package chorus.tools.report;
