#ifndef CONFIG_CONFIG_H
#define CONFIG_CONFIG_H
int config_get(const char *key);
#endif
