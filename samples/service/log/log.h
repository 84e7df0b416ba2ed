#ifndef LOG_LOG_H
#define LOG_LOG_H

enum log_level { LOG_DEBUG, LOG_INFO, LOG_WARN, LOG_ERROR };

void log_printf(enum log_level level, const char *pkg, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
int log_level_parse(const char *name);          /* -1 if unknown */
const char *log_level_name(enum log_level level);

#endif
