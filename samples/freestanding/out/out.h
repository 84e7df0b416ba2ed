#ifndef OUT_OUT_H
#define OUT_OUT_H
/* Print a string and a newline on stdout, with no libc. */
void out_line(const char *s);
/* How many lines were printed. */
int out_lines(void);
#endif
