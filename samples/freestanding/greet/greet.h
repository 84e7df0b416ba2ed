#ifndef GREET_GREET_H
#define GREET_GREET_H
const char *greet_message(void);
#endif
