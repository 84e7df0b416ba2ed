/* text/text.h - in the static library libtext.a. */
#ifndef TEXT_H
#define TEXT_H
const char *text_greeting(void);
#endif
