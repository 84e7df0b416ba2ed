#ifndef PING_PING_H
#define PING_PING_H
#include "pong/pong.h"          /* ping imports pong ... */
int ping(int n);
#endif
