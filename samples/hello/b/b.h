#ifndef B_B_H
#define B_B_H
const char *b_greeting(void);
#endif
