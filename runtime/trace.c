/*
 * trace.c - printing, PKGRT_DEBUG=inittrace=1 and starttrace=1, and the
 * warnings about the environment (Go: print.go, the inittrace part of
 * proc.go's doInit1).
 *
 * The runtime prints with write(2) on file descriptor 2, never through
 * stdio: its lines must not mix into the user's stdout buffer, must not
 * depend on stdio being set up, and must work inside a signal handler.
 * A line is built in a struct printbuf on the stack and written at once.
 *
 * inittrace, one line per init task (Go's format, without the bytes and
 * allocs that Go's allocator counts and ours cannot):
 *
 *     init db @0.031 ms, 0.012 ms clock
 *
 * "@" is when the task started, since runtime.main started; "clock" is how
 * long its functions ran.  starttrace, one line per start-up phase:
 *
 *     start <phase>: <facts>
 *
 * rt0, args, osinit, schedinit, newproc, mstart, gogo, one "init <path>"
 * per init task, main, exit.  See spec/runtime.md for the facts.
 */
#include "runtime.h"

void
pbytes(struct printbuf *pb, const char *s, uintptr_t n)
{
	for (uintptr_t i = 0; i < n && pb->n < (int)sizeof pb->b - 1; i++)
		pb->b[pb->n++] = s[i];
}

void
pstr(struct printbuf *pb, const char *s)
{
	while (*s != '\0' && pb->n < (int)sizeof pb->b - 1)
		pb->b[pb->n++] = *s++;
}

void
puint(struct printbuf *pb, uint64_t v)
{
	char buf[24];
	int i = sizeof buf;

	do {
		buf[--i] = (char)('0' + v % 10);
		v /= 10;
	} while (v != 0);
	pbytes(pb, buf + i, sizeof buf - (uintptr_t)i);
}

void
pint(struct printbuf *pb, int64_t v)
{
	if (v < 0) {
		pstr(pb, "-");
		puint(pb, (uint64_t)0 - (uint64_t)v);
	} else {
		puint(pb, (uint64_t)v);
	}
}

void
phex(struct printbuf *pb, uint64_t v)
{
	static const char dig[] = "0123456789abcdef";
	char buf[24];
	int i = sizeof buf;

	do {
		buf[--i] = dig[v & 15];
		v >>= 4;
	} while (v != 0);
	buf[--i] = 'x';
	buf[--i] = '0';
	pbytes(pb, buf + i, sizeof buf - (uintptr_t)i);
}

/* fmtsize: v in the largest binary unit that divides it: 8M, 256K, 1000. */
int
fmtsize(char *out, uint64_t v)
{
	struct printbuf pb = {.n = 0};
	const char *unit = "";

	if (v != 0 && v % ((uint64_t)1 << 30) == 0) {
		v >>= 30;
		unit = "G";
	} else if (v != 0 && v % ((uint64_t)1 << 20) == 0) {
		v >>= 20;
		unit = "M";
	} else if (v != 0 && v % ((uint64_t)1 << 10) == 0) {
		v >>= 10;
		unit = "K";
	}
	puint(&pb, v);
	pstr(&pb, unit);
	for (int i = 0; i < pb.n; i++)
		out[i] = pb.b[i];
	return pb.n;
}

void
psize(struct printbuf *pb, uint64_t v)
{
	char buf[32];

	pbytes(pb, buf, (uintptr_t)fmtsize(buf, v));
}

/* itoaDiv formats val/(10**dec) into buf[0:n], right-aligned; returns the start. */
static int
itoaDiv(char *buf, int n, uint64_t val, int dec)
{
	int i = n - 1;
	int idec = i - dec;

	while (val >= 10 || i >= idec) {
		buf[i--] = (char)(val % 10 + '0');
		if (i == idec)
			buf[i--] = '.';
		val /= 10;
	}
	buf[i] = (char)(val + '0');
	return i;
}

/*
 * fmtNSAsMS: ns nanoseconds as milliseconds, Go's way: whole milliseconds
 * from 10 ms up, else two significant digits with at most three decimals
 * (0.031, 0.12, 1.5).  Writes into out; returns the length.
 */
int
fmtNSAsMS(char *out, uint64_t ns)
{
	char buf[24];
	int i, n;

	if (ns >= 10000000) {
		i = itoaDiv(buf, sizeof buf, ns / 1000000, 0);
	} else {
		uint64_t x = ns / 1000;
		int dec = 3;

		if (x == 0) {
			out[0] = '0';
			return 1;
		}
		while (x >= 100) {
			x /= 10;
			dec--;
		}
		i = itoaDiv(buf, sizeof buf, x, dec);
	}
	n = (int)sizeof buf - i;
	for (int j = 0; j < n; j++)
		out[j] = buf[i + j];
	return n;
}

void
pms(struct printbuf *pb, uint64_t ns)
{
	char buf[24];

	pbytes(pb, buf, (uintptr_t)fmtNSAsMS(buf, ns));
}

/* pcstr: the text so far, NUL-terminated. */
const char *
pcstr(struct printbuf *pb)
{
	pb->b[pb->n] = '\0';
	return pb->b;
}

/* pflush: write the line (a newline is added) and empty the buffer. */
void
pflush(struct printbuf *pb, int fd)
{
	pb->b[pb->n++] = '\n';
	write1(fd, pb->b, (uintptr_t)pb->n);
	pb->n = 0;
}

/*
 * warnenv: one line about an environment variable the runtime could not
 * use.  fallback is what it uses instead, or NULL for "ignored".
 *
 *     pkgrt: PKGRT_STACK="12X": not a size (...); using 8M
 */
void
warnenv(const char *name, const char *value, const char *problem, const char *fallback)
{
	struct printbuf pb = {.n = 0};

	pstr(&pb, "pkgrt: ");
	pstr(&pb, name);
	pstr(&pb, "=\"");
	pstr(&pb, value);
	pstr(&pb, "\": ");
	pstr(&pb, problem);
	if (fallback != NULL) {
		pstr(&pb, "; using ");
		pstr(&pb, fallback);
	} else {
		pstr(&pb, "; ignored");
	}
	pflush(&pb, 2);
}

/* ---- starttrace ----------------------------------------------------------- */

void
tracebegin(struct printbuf *pb, const char *phase)
{
	pb->n = 0;
	pstr(pb, "start ");
	pstr(pb, phase);
	pstr(pb, ":");
}

void
traceend(struct printbuf *pb)
{
	pflush(pb, 2);
}

/* prange: " name=[lo,hi)" */
void
prange(struct printbuf *pb, const char *name, struct stack s)
{
	pstr(pb, " ");
	pstr(pb, name);
	pstr(pb, "=[");
	phex(pb, s.lo);
	pstr(pb, ",");
	phex(pb, s.hi);
	pstr(pb, ")");
}

/*
 * starttrace_early: the lines for the phases before schedinit, which is
 * where PKGRT_DEBUG is read (as in Go).  Their facts are still in the
 * globals they set.
 */
void
starttrace_early(void)
{
	struct printbuf pb;
	int envc = 0, auxc = 0;

	tracebegin(&pb, "rt0");
	if (rt0sp != 0) {
		pstr(&pb, " entry " RT0_ENTRY " sp=");
		phex(&pb, rt0sp);
		pstr(&pb, " argc=");
		pint(&pb, *(long *)rt0sp);
#ifdef PKGRT_NOLIBC
		pstr(&pb, " -> runtime.rt0_go (no libc)");
#else
		pstr(&pb, " " RT0_FINIREG "=");
		phex(&pb, rt0fini);
		pstr(&pb, " -> libc _start");
#endif
	} else {
		pstr(&pb, " not the entry point (link with -Wl,-e," RT0_ENTRY ")");
	}
	traceend(&pb);

	for (char **e = envs; *e != NULL; e++)
		envc++;
	for (uintptr_t *a = auxv; a[0] != 0; a += 2)
		auxc++;
	tracebegin(&pb, "args");
	pstr(&pb, " argc=");
	pint(&pb, argc);
	pstr(&pb, " argv=");
	phex(&pb, (uintptr_t)argv);
	pstr(&pb, " envp=");
	phex(&pb, (uintptr_t)envs);
	pstr(&pb, " envc=");
	pint(&pb, envc);
	pstr(&pb, " auxv=");
	phex(&pb, (uintptr_t)auxv);
	pstr(&pb, " auxc=");
	pint(&pb, auxc);
	pstr(&pb, argsource ? " (from the entry stack)" : " (from main's arguments)");
	traceend(&pb);

	tracebegin(&pb, "osinit");
	pstr(&pb, " ncpu=");
	pint(&pb, ncpu);
	pstr(&pb, " physPageSize=");
	puint(&pb, physPageSize);
	traceend(&pb);
}

/* inittrace: Go's line for one init task. */
void
traceinit(const struct pkgrt_inittask *t, int64_t start, int64_t end)
{
	struct printbuf pb = {.n = 0};

	pstr(&pb, "init ");
	pstr(&pb, t->path != NULL ? t->path : "?");
	pstr(&pb, " @");
	pms(&pb, (uint64_t)(start - runtimeInitTime));
	pstr(&pb, " ms, ");
	pms(&pb, (uint64_t)(end - start));
	pstr(&pb, " ms clock");
	pflush(&pb, 2);
}
