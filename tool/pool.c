/*
 * pool.c - run independent jobs on a pool of threads, their diagnostics
 * in job order.
 *
 * Scanning is the expensive step and TUs are independent, so N threads
 * take jobs from a shared counter (inputs.c).  What a job prints is
 * captured (diag_capture_begin) and printed once every job before it has
 * printed, so the messages of several failing TUs come out in input
 * order under any -j, exactly as with -j1.
 *
 * Every job runs on a pool thread, even with one job: libclang parses
 * deep include chains recursively and needs the stack a main thread
 * would have (8 MiB), which the main thread of a process started with a
 * small `ulimit -s` does not.  libclang would otherwise start a thread
 * of that size itself for every parse (LIBCLANG_NOTHREADS, which
 * pool_run sets, stops that), and when creating it fails -- `ulimit -u`,
 * `ulimit -v` -- it aborts the process.  Here a thread that cannot be
 * created means fewer threads (a warning says so), and none at all means
 * running the jobs on the calling thread.
 */
#include "tool.h"

#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

/* libclang parses on its caller's stack: give each thread the stack a
 * main thread has by default, which is also libclang's own choice for
 * the parsing thread it no longer creates. */
#define POOL_STACK (8u << 20)

struct pool {
	size_t njobs;
	void (*fn)(void *ctx, size_t i);
	void *ctx;
	size_t next, printed;
	struct diag_capture *out;       /* each job's diagnostics */
	unsigned char *done;
	pthread_mutex_t lock;
};

/* Print what finished jobs said, in job order, as far as every earlier
 * job has finished.  Under p->lock. */
static void pool_print_ready(struct pool *p)
{
	while (p->printed < p->njobs && p->done[p->printed]) {
		diag_capture_flush(&p->out[p->printed++]);
	}
}

static void *pool_worker(void *arg)
{
	struct pool *p = arg;
	for (;;) {
		pthread_mutex_lock(&p->lock);
		size_t i = p->next++;
		pthread_mutex_unlock(&p->lock);
		if (i >= p->njobs) break;
		diag_capture_begin(&p->out[i]);
		p->fn(p->ctx, i);
		diag_capture_end();
		pthread_mutex_lock(&p->lock);
		p->done[i] = 1;
		pool_print_ready(p);
		pthread_mutex_unlock(&p->lock);
	}
	return NULL;
}

void pool_run(size_t njobs, unsigned threads, void (*fn)(void *ctx, size_t i),
	      void *ctx)
{
	if (!njobs) return;
	/* Before any thread exists: setenv is not thread-safe. */
	setenv("LIBCLANG_NOTHREADS", "1", 0);
	struct pool p = {
		.njobs = njobs, .fn = fn, .ctx = ctx,
		.out = xcalloc(njobs, sizeof *p.out),
		.done = xcalloc(njobs, 1),
	};
	pthread_mutex_init(&p.lock, NULL);
	if (!threads) threads = 1;
	if (threads > njobs) threads = (unsigned)njobs;
	pthread_t *t = xcalloc(threads, sizeof *t);
	pthread_attr_t attr;
	pthread_attr_init(&attr);
	pthread_attr_setstacksize(&attr, POOL_STACK);
	unsigned started = 0;
	int err = 0;
	while (started < threads &&
	       !(err = pthread_create(&t[started], &attr, pool_worker, &p)))
		started++;
	if (started < threads)
		diag_warning((struct loc){0}, "could only start %u of %u scanning "
			     "threads (%s); %s", started, threads, strerror(err),
			     started ? "going on with fewer" : "scanning in the "
			     "main thread");
	if (!started) pool_worker(&p);
	for (unsigned i = 0; i < started; i++) pthread_join(t[i], NULL);
	pthread_attr_destroy(&attr);
	pthread_mutex_destroy(&p.lock);
	free(t);
	free(p.done);
	free(p.out);
}
