/* app/app.h - the program's own package. */
#ifndef APP_H
#define APP_H
void app_run(void);
#endif
