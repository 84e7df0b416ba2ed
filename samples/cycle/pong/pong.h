#ifndef PONG_PONG_H
#define PONG_PONG_H
#include "ping/ping.h"          /* ... and pong imports ping */
int pong(int n);
#endif
