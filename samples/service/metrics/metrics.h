#ifndef METRICS_METRICS_H
#define METRICS_METRICS_H

/* Named counters, registered by other packages' inits. */
long *metrics_counter(const char *name);
void metrics_write(char *buf, unsigned long size);

#endif
