#ifndef LOG_LOG_H
#define LOG_LOG_H
void log_msg(const char *msg);
#endif
