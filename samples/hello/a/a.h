#ifndef A_A_H
#define A_A_H
const char *a_message(void);
#endif
