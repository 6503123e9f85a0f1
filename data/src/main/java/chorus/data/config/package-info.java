/**
 * Reading HOCON settings into validated values: typed getters whose errors name the key, the file and
 * line it came from and what was expected, and the unknown-key check against the defaults.
 */
package chorus.data.config;
