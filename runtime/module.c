/*
 * module.c - the init tables of shared libraries (Go: the inittasks of
 * each moduledata, which runtime.main runs in activeModules() order
 * before main's, and plugin.Open, which runs a new module's at once).
 *
 * A library built with `pkginit link --driver=shlib` carries its own
 * table and a constructor that calls pkgrt_register_module_v1.  The
 * dynamic linker runs a library's constructors after those of every
 * library it depends on, and all of them before the program's entry
 * point (for the libraries it loads at start), so the registrations come
 * in dependency order; the list keeps that order.  runtime.main calls
 * doModuleInits before the program's own table; a module that registers
 * after that (dlopen) is initialized during the call.
 *
 * The tasks are the program's kind and go through the same doInit, so a
 * library's packages get the same state machine (an init function that
 * re-enters initialization, in any table, finds its own task running and
 * is fatal), the same inittrace and starttrace lines and the same crash
 * messages.  The list is linked through the modules themselves: no
 * allocation, no limit.  Not thread-safe; neither is start-up.
 */
#include "runtime.h"

static struct pkgrt_module *modules;            /* registered, load order */
static struct pkgrt_module **modulestail = &modules;
static int modulesstarted;      /* doModuleInits ran: new ones run at once */

/* The line before a module's tasks: starttrace says where the table came
 * from; inittrace gets a line without '@', so that a reader of Go's
 * "init P @..." lines sees the library's packages as before. */
static void
tracemodule(const struct pkgrt_module *m, unsigned int nth)
{
	int late = nth == 0;
	struct printbuf pb;
	const char *name = m->name != NULL ? m->name : "?";

	if (debug.starttrace) {
		tracebegin(&pb, "module");
		pstr(&pb, " ");
		pstr(&pb, name);
		pstr(&pb, " tasks=");
		puint(&pb, m->tab->ntasks);
		pstr(&pb, late ? " (shared library, loaded after start-up: runs now)"
		               : " (shared library, registered ");
		if (!late) {
			puint(&pb, nth);
			pstr(&pb, nth == 1 ? "st)" : nth == 2 ? "nd)" : nth == 3 ? "rd)" : "th)");
		}
		traceend(&pb);
	}
	if (inittrace.active) {
		pb.n = 0;
		pstr(&pb, "init module ");
		pstr(&pb, name);
		pstr(&pb, " (shared library, ");
		puint(&pb, m->tab->ntasks);
		pstr(&pb, m->tab->ntasks == 1 ? " task)" : " tasks)");
		pflush(&pb, 2);
	}
}

__attribute__((visibility("default"))) int
pkgrt_register_module_v1(struct pkgrt_module *m)
{
	int ran = 0;

	if (m == NULL || m->tab == NULL || m->tab->abi != NULL)
		return 0;               /* not a module table: let it run itself */
	if (!modulesstarted) {
		m->next = NULL;
		*modulestail = m;
		modulestail = &m->next;
		return 1;
	}
	/* Loaded after start-up: run now, traced if the program's was. */
	ran = inittrace.active;
	if (debug.inittrace && !ran) {
		inittrace.active = 1;
		if (runtimeInitTime == 0)
			runtimeInitTime = nanotime();
	}
	tracemodule(m, 0);
	doInit(m->tab);
	inittrace.active = ran;
	return 1;
}

/*
 * Run every registered module's table, in load order.  From runtime.main
 * (first) and from pkgrt_run_inits: a second walk finds every task done,
 * unless an init function called pkgrt_run_inits, which then finds its
 * own task running and is fatal, whichever table it is in.
 */
void
doModuleInits(void)
{
	int first = !modulesstarted;
	unsigned int nth = 0;

	modulesstarted = 1;
	for (struct pkgrt_module *m = modules; m != NULL; m = m->next) {
		nth++;
		if (first)
			tracemodule(m, nth);
		doInit(m->tab);
	}
}
