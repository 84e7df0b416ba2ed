#ifndef CONFIG_CONFIG_H
#define CONFIG_CONFIG_H

/* The configuration file named on the command line (service FILE), read
 * by config's init functions before any package that imports config. */
const char *config_get(const char *key);                 /* NULL if unset */
long config_get_int(const char *key, long min, long max);
const char *config_path(void);

/* For config's own files: set key unless the file already did. */
void config_set(const char *key, const char *value);

#endif
