/*
 * deps.c - init order from what the code does (--deps uses), and the
 * check of any order against it (verification, on in every mode).
 *
 * Go orders packages by imports and forbids import cycles.  C code has
 * cycles everywhere (every directory includes every other), yet its
 * start-up order is well defined by what each init function touches.
 * The scanner records, for every project function, what it calls and
 * which variables of static storage it reads and writes (scan.c,
 * "function facts"); this file resolves those names across the records
 * and derives constraints between init functions (spec/uses.md):
 *
 *   g runs before f  when f, or a function f reaches through calls,
 *   reads a variable that g (or what g reaches) writes, and f (with what
 *   it reaches) does not write that variable itself.
 *
 * A variable both of them write (a table of log levels, a counter, a
 * cache) orders nothing between them: each initializes its own part, and
 * no order of the two is the right one.  PKG_AFTER(f, g) adds g before f
 * for what the analysis cannot see (calls through function pointers,
 * writes through pointers).
 *
 * Names: a function or variable with external linkage is one entity
 * across every record, by name (the linker's rule); a static one is one
 * per record (TU).  A function defined in several records (an extern
 * inline, or several programs of one repository) is the union of its
 * definitions.  Calls to functions no record defines (libc, libraries
 * outside the roots) lead nowhere.
 *
 * Reach: for each init function a walk over the call graph collects the
 * variables read and written (each function visited once per init; the
 * call graph may be recursive).  Explanations (errors, `pkginit why`) walk
 * again, breadth first, so that the chain shown is a shortest one.
 *
 * Order (--deps uses): init functions, not packages, in topological order
 * of the constraints; among the ready ones the one first in the order
 * include mode would give (packages by --order, imports taken as cyclic
 * where they are, order.c's loose order; then file, then position), so
 * nothing constrained means today's order.  Consecutive init functions of
 * one package form one task of the table, so a package may have several
 * tasks.
 *
 * Verification (--deps include, unless --no-verify): the include order
 * must satisfy every constraint; a violation is an error with the chain
 * that makes it one.
 */
#include "tool.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

const char *const deps_mode_names[] = {"include", "uses", NULL};

#define DNONE UINT32_MAX

/* A call (or address taken) from one function to another. */
struct dcall {
	uint32_t to;
	const struct scan_ref *ref;     /* where, in... */
	const struct scan_func *in;     /* ...this definition */
};

/* A variable read or written by a function. */
struct dacc {
	uint32_t var;
	char write;
	const struct scan_ref *ref;
	const struct scan_func *in;
};

struct dfn {
	const char *name;
	struct dcall *calls;
	size_t ncalls, capcalls;
	struct dacc *accs;
	size_t naccs, capaccs;
};

struct dvar {
	const char *name;
	uint32_t table;                 /* its initializer's functions (a dfn),
					   or DNONE */
};

/* One constraint: init before runs before init after. */
struct dedge {
	size_t before, after;           /* indices into deps.inits */
	uint32_t var;                   /* DNONE: PKG_AFTER */
	const char *varname;            /* its name, for a stable order */
	const struct scan_after *annot; /* PKG_AFTER's place */
};

struct deps {
	struct dfn *fns;
	size_t nfns, capfns;
	struct dvar *vars;
	size_t nvars, capvars;
	struct strmap fmap, vmap;       /* key -> index */
	char **keys;                    /* the maps' keys, owned */
	size_t nkeys, capkeys;

	/* The init functions, in graph order (package, then file). */
	const struct init_fn **inits;
	size_t *init_pkg;
	uint32_t *init_fn;              /* function index, DNONE if no facts */
	size_t ninits;
	struct strmap imap;             /* init name -> index */
	struct strmap tnames;           /* a table's node name -> keys[] */
	int follow_addresses;

	struct dedge *edges;            /* sorted by after, before */
	size_t nedges, capedges;
	unsigned nerr;
};

/* ---- names --------------------------------------------------------------- */

/* The key of a name: external names are themselves; static ones carry
 * their record, after a byte no identifier has. */
static const char *deps_key(const char *name, int is_static, size_t rec,
			    char *buf, size_t size, char **heap)
{
	*heap = NULL;
	if (!is_static) return name;
	/* The same bytes as snprintf "%s\001%zu", without printf: static
	 * names are a third of a large program's references, and
	 * snprintf was 1.26G of the 25.0G instructions of linking 10,000
	 * records; deps_fn and deps_var took 350M and 148M on 2,000
	 * records, 90M and 84M with this and the single lookup in
	 * deps_collect (callgrind). */
	char tail[24];
	size_t nt = sizeof tail, n = strlen(name);
	tail[--nt] = 0;
	do tail[--nt] = (char)('0' + rec % 10); while ((rec /= 10));
	tail[--nt] = '\001';
	size_t nn = sizeof tail - 1 - nt;
	/* A name too long for buf (C does not bound identifiers) gets a
	 * key of its own: a cut key would merge two TUs' statics. */
	if (n + nn + 1 > size) buf = *heap = xmalloc(n + nn + 1);
	memcpy(buf, name, n);
	memcpy(buf + n, tail + nt, nn + 1);
	return buf;
}

static const char *deps_own(struct deps *d, const char *key)
{
	char *k = xstrdup(key);
	VEC_PUSH(d->keys, d->nkeys, d->capkeys, k);
	return k;
}

static uint32_t deps_fn(struct deps *d, const char *name, int is_static,
			size_t rec, int create)
{
	char buf[512], *heap;
	const char *key = deps_key(name, is_static, rec, buf, sizeof buf, &heap);
	size_t i;
	uint32_t k = DNONE;
	if (strmap_get(&d->fmap, key, &i)) {
		k = (uint32_t)i;
	} else if (create) {
		struct dfn f = {.name = name};
		VEC_PUSH(d->fns, d->nfns, d->capfns, f);
		strmap_put(&d->fmap, deps_own(d, key), d->nfns - 1);
		k = (uint32_t)(d->nfns - 1);
	}
	free(heap);
	return k;
}

static uint32_t deps_var(struct deps *d, const char *name, int is_static,
			 size_t rec)
{
	char buf[512], *heap;
	const char *key = deps_key(name, is_static, rec, buf, sizeof buf, &heap);
	size_t i;
	uint32_t k;
	if (strmap_get(&d->vmap, key, &i)) {
		k = (uint32_t)i;
	} else {
		struct dvar v = {name, DNONE};
		VEC_PUSH(d->vars, d->nvars, d->capvars, v);
		strmap_put(&d->vmap, deps_own(d, key), d->nvars - 1);
		k = (uint32_t)(d->nvars - 1);
	}
	free(heap);
	return k;
}

/* A table is a node of the call graph too, under a name no function can
 * have (a variable and a function of one scope cannot share a name, but
 * a static table and an external function of another TU can). */
static const char *deps_fn_name(struct deps *d, const struct scan_func *fn)
{
	if (!fn->is_table) return fn->name;
	char *name = xasprintf("\002%s", fn->name);
	size_t i;
	const char *k;
	if (strmap_get(&d->tnames, name, &i)) {
		k = d->keys[i];
	} else {
		k = deps_own(d, name);
		strmap_put(&d->tnames, k, d->nkeys - 1);
	}
	free(name);
	return k;
}

/* Every definition first, so that references find them. */
static void deps_collect(struct deps *d, const struct scan_record *recs,
			 size_t nrecs)
{
	for (size_t r = 0; r < nrecs; r++)
		for (size_t i = 0; i < recs[r].nfuncs; i++) {
			const struct scan_func *fn = &recs[r].funcs[i];
			uint32_t k = deps_fn(d, deps_fn_name(d, fn), fn->is_static, r, 1);
			if (fn->is_table) {
				d->fns[k].name = fn->name;
				uint32_t v = deps_var(d, fn->name, fn->is_static, r);
				d->vars[v].table = k;
			}
		}
	/* The function is looked up once, not again for each reference:
	 * d->fns does not grow in this loop (see deps_key for the
	 * figures: deps_build went from 551M to 223M instructions on
	 * 2,000 records). */
	for (size_t r = 0; r < nrecs; r++)
		for (size_t i = 0; i < recs[r].nfuncs; i++) {
			const struct scan_func *fn = &recs[r].funcs[i];
			const char *fname = deps_fn_name(d, fn);
			struct dfn *f = &d->fns[deps_fn(d, fname, fn->is_static, r, 0)];
			for (size_t j = 0; j < fn->nrefs; j++) {
				const struct scan_ref *x = &fn->refs[j];
				if (x->kind == SCAN_REF_ADDR && !d->follow_addresses)
					continue;
				if (x->kind == SCAN_REF_CALL || x->kind == SCAN_REF_ADDR) {
					uint32_t to = deps_fn(d, x->name, x->is_static, r, 0);
					if (to == DNONE) continue;
					struct dcall c = {to, x, fn};
					VEC_PUSH(f->calls, f->ncalls, f->capcalls, c);
				} else {
					uint32_t v = deps_var(d, x->name, x->is_static, r);
					struct dacc a = {v, x->kind == SCAN_REF_WRITE, x, fn};
					VEC_PUSH(f->accs, f->naccs, f->capaccs, a);
				}
			}
		}
	/* --follow-addresses: reading a table reaches what is in it, as
	 * taking a function's address reaches it. */
	for (size_t i = 0; d->follow_addresses && i < d->nfns; i++) {
		struct dfn *f = &d->fns[i];
		for (size_t j = 0; j < f->naccs; j++) {
			uint32_t t = d->vars[f->accs[j].var].table;
			if (t == DNONE || f->accs[j].write) continue;
			struct dcall c = {t, f->accs[j].ref, f->accs[j].in};
			VEC_PUSH(f->calls, f->ncalls, f->capcalls, c);
		}
	}
}

/* ---- reach ---------------------------------------------------------------- */

/* What init i reaches: bit 1 read, bit 2 written, per variable, in
 * acc[var] (set only for the variables listed in *list). */
struct dreach {
	unsigned char *acc;
	uint32_t *list;
	size_t n, cap;
	uint32_t *seen;                 /* per function: stamp of last visit */
	uint32_t stamp;
	uint32_t *stack;
};

static void deps_reach(struct deps *d, struct dreach *w, uint32_t from)
{
	for (size_t i = 0; i < w->n; i++) w->acc[w->list[i]] = 0;
	w->n = 0;
	if (from == DNONE) return;
	w->stamp++;
	size_t top = 0;
	w->stack[top++] = from;
	w->seen[from] = w->stamp;
	while (top) {
		const struct dfn *f = &d->fns[w->stack[--top]];
		for (size_t i = 0; i < f->naccs; i++) {
			uint32_t v = f->accs[i].var;
			if (!w->acc[v]) VEC_PUSH(w->list, w->n, w->cap, v);
			w->acc[v] |= f->accs[i].write ? 2 : 1;
		}
		for (size_t i = 0; i < f->ncalls; i++) {
			uint32_t to = f->calls[i].to;
			if (w->seen[to] == w->stamp) continue;
			w->seen[to] = w->stamp;
			w->stack[top++] = to;
		}
	}
}

static int cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
	return (x > y) - (x < y);
}

static int cmp_edge(const void *a, const void *b)
{
	const struct dedge *x = a, *y = b;
	if (x->after != y->after) return x->after < y->after ? -1 : 1;
	if (x->before != y->before) return x->before < y->before ? -1 : 1;
	/* PKG_AFTER first, then variables in byte order of their names. */
	if (x->var == DNONE || y->var == DNONE)
		return (x->var != DNONE) - (y->var != DNONE);
	int c = strcmp(x->varname, y->varname);
	return c ? c : (x->var > y->var) - (x->var < y->var);
}

/* The constraints from variables: writers before pure readers. */
static void deps_var_edges(struct deps *d)
{
	size_t n = d->ninits;
	uint32_t **rd = xcalloc(n ? n : 1, sizeof *rd), **wr = xcalloc(n ? n : 1, sizeof *wr);
	size_t *nrd = xcalloc(n ? n : 1, sizeof *nrd), *nwr = xcalloc(n ? n : 1, sizeof *nwr);
	struct dreach w = {
		.acc = xcalloc(d->nvars ? d->nvars : 1, 1),
		.seen = xcalloc(d->nfns ? d->nfns : 1, sizeof *w.seen),
		.stack = xmalloc((d->nfns ? d->nfns : 1) * sizeof *w.stack),
	};
	/* Per variable: who writes it, who only reads it. */
	size_t *wcount = xcalloc(d->nvars + 1, sizeof *wcount);
	for (size_t i = 0; i < n; i++) {
		deps_reach(d, &w, d->init_fn[i]);
		rd[i] = xmalloc((w.n ? w.n : 1) * sizeof **rd);
		wr[i] = xmalloc((w.n ? w.n : 1) * sizeof **wr);
		for (size_t k = 0; k < w.n; k++) {
			uint32_t v = w.list[k];
			if (w.acc[v] & 2) wr[i][nwr[i]++] = v, wcount[v]++;
			else rd[i][nrd[i]++] = v;
		}
		qsort(rd[i], nrd[i], sizeof **rd, cmp_u32);
		qsort(wr[i], nwr[i], sizeof **wr, cmp_u32);
	}
	/* writers of each variable, compressed rows */
	size_t *start = xcalloc(d->nvars + 1, sizeof *start);
	for (size_t v = 0; v < d->nvars; v++) start[v + 1] = start[v] + wcount[v];
	size_t *fill = xmalloc((d->nvars + 1) * sizeof *fill);
	memcpy(fill, start, (d->nvars + 1) * sizeof *fill);
	size_t *writers = xmalloc((start[d->nvars] ? start[d->nvars] : 1) * sizeof *writers);
	for (size_t i = 0; i < n; i++)
		for (size_t k = 0; k < nwr[i]; k++) writers[fill[wr[i][k]]++] = i;
	for (size_t f = 0; f < n; f++)
		for (size_t k = 0; k < nrd[f]; k++) {
			uint32_t v = rd[f][k];
			for (size_t j = start[v]; j < start[v + 1]; j++) {
				struct dedge e = {writers[j], f, v, d->vars[v].name, NULL};
				VEC_PUSH(d->edges, d->nedges, d->capedges, e);
			}
		}
	for (size_t i = 0; i < n; i++) {
		free(rd[i]);
		free(wr[i]);
	}
	free(rd);
	free(wr);
	free(nrd);
	free(nwr);
	free(wcount);
	free(start);
	free(fill);
	free(writers);
	free(w.acc);
	free(w.list);
	free(w.seen);
	free(w.stack);
}

/* PKG_AFTER(f, g): both must be init functions. */
static void deps_after_edges(struct deps *d, const struct scan_record *recs,
			     size_t nrecs)
{
	for (size_t r = 0; r < nrecs; r++)
		for (size_t i = 0; i < recs[r].nafters; i++) {
			const struct scan_after *a = &recs[r].afters[i];
			struct loc at = {a->file, a->line, a->col};
			size_t f, g;
			int hf = strmap_get(&d->imap, a->init, &f);
			int hg = strmap_get(&d->imap, a->after, &g);
			if (!hf || !hg) {
				diag_error(at, "PKG_AFTER(%s, %s): '%s' is not an init "
					   "function", a->init, a->after,
					   hf ? a->after : a->init);
				diag_note((struct loc){0}, "PKG_AFTER names two "
					  "functions marked PKG_INIT: the one that "
					  "runs after, then the one it follows");
				d->nerr++;
				continue;
			}
			if (f == g) {
				diag_error(at, "PKG_AFTER(%s, %s): an init function "
					   "cannot run after itself", a->init,
					   a->after);
				d->nerr++;
				continue;
			}
			struct dedge e = {g, f, DNONE, NULL, a};
			VEC_PUSH(d->edges, d->nedges, d->capedges, e);
		}
}

/* Sort the edges (by the init that waits, the one it waits for, then
 * the reason) and drop repeats: the same PKG_AFTER seen by two TUs. */
static void deps_sort_edges(struct deps *d)
{
	if (d->nedges > 1) qsort(d->edges, d->nedges, sizeof *d->edges, cmp_edge);
	size_t keep = 0;
	for (size_t i = 0; i < d->nedges; i++) {
		struct dedge *e = &d->edges[i];
		if (keep && !cmp_edge(&d->edges[keep - 1], e)) continue;
		d->edges[keep++] = *e;
	}
	d->nedges = keep;
}

/* ---- building ------------------------------------------------------------- */

int deps_build(struct deps **out, const struct scan_record *recs,
	       size_t nrecs, const struct graph *g, int need_facts,
	       int follow_addresses)
{
	struct deps *d = xcalloc(1, sizeof *d);
	*out = d;
	d->follow_addresses = follow_addresses;
	/* The TUs graph_build left out (other programs' mains) are no part
	 * of this program's analysis either (spec/packages.md). */
	struct scan_record *own = NULL;
	if (g->left_out) {
		own = xmalloc(nrecs * sizeof *own);
		size_t n = 0;
		for (size_t r = 0; r < nrecs; r++)
			if (!g->left_out[r]) own[n++] = recs[r];
		recs = own;
		nrecs = n;
	}
	if (need_facts)
		for (size_t r = 0; r < nrecs; r++)
			if (!recs[r].has_facts) {
				diag_error((struct loc){recs[r].source ? recs[r].source
							: recs[r].tu, 0, 0},
					   "this scan record has no function facts "
					   "(it was scanned with --no-verify, or by "
					   "a pkginit without them)");
				diag_note((struct loc){0}, "scan it again without "
					  "--no-verify, or pass --no-verify (with "
					  "--deps include) to skip the check of "
					  "the order");
				free(own);
				return EXIT_INPUT;
			}
	deps_collect(d, recs, nrecs);
	for (size_t p = 0; p < g->npkgs; p++) d->ninits += g->pkgs[p].ninits;
	size_t n = d->ninits ? d->ninits : 1;
	d->inits = xcalloc(n, sizeof *d->inits);
	d->init_pkg = xcalloc(n, sizeof *d->init_pkg);
	d->init_fn = xcalloc(n, sizeof *d->init_fn);
	size_t k = 0;
	for (size_t p = 0; p < g->npkgs; p++)
		for (size_t j = 0; j < g->pkgs[p].ninits; j++, k++) {
			d->inits[k] = &g->pkgs[p].inits[j];
			d->init_pkg[k] = p;
			d->init_fn[k] = deps_fn(d, d->inits[k]->name, 0, 0, 0);
			strmap_put(&d->imap, d->inits[k]->name, k);
		}
	deps_var_edges(d);
	deps_after_edges(d, recs, nrecs);
	deps_sort_edges(d);
	free(own);
	return d->nerr ? EXIT_ORDER : 0;
}

void deps_free(struct deps *d)
{
	if (!d) return;
	for (size_t i = 0; i < d->nfns; i++) {
		free(d->fns[i].calls);
		free(d->fns[i].accs);
	}
	free(d->fns);
	free(d->vars);
	strmap_free(&d->fmap);
	strmap_free(&d->vmap);
	strmap_free(&d->imap);
	strmap_free(&d->tnames);
	for (size_t i = 0; i < d->nkeys; i++) free(d->keys[i]);
	free(d->keys);
	free(d->inits);
	free(d->init_pkg);
	free(d->init_fn);
	free(d->edges);
	free(d);
}

/* ---- explaining ----------------------------------------------------------- */

static struct loc deps_ref_loc(const struct scan_func *in, const struct scan_ref *r)
{
	return (struct loc){in->file, r->line, r->col};
}

/* Print, as notes, the shortest call chain from init i to an access of
 * var (write or read), then the access.  Returns 0, or -1 when i does not
 * reach one. */
static int deps_print_chain(const struct deps *d, size_t i, uint32_t var,
			    int write)
{
	uint32_t from = d->init_fn[i];
	if (from == DNONE) return -1;
	size_t n = d->nfns;
	uint32_t *parent = xmalloc(n * sizeof *parent);
	const struct dcall **via = xcalloc(n, sizeof *via);
	uint32_t *queue = xmalloc(n * sizeof *queue);
	for (size_t k = 0; k < n; k++) parent[k] = DNONE;
	size_t head = 0, tail = 0;
	queue[tail++] = from;
	parent[from] = from;
	const struct dacc *hit = NULL;
	uint32_t at = DNONE;
	while (head < tail && !hit) {
		uint32_t f = queue[head++];
		const struct dfn *fn = &d->fns[f];
		for (size_t k = 0; k < fn->naccs && !hit; k++)
			if (fn->accs[k].var == var && !!fn->accs[k].write == !!write)
				hit = &fn->accs[k], at = f;
		for (size_t k = 0; k < fn->ncalls && !hit; k++) {
			uint32_t to = fn->calls[k].to;
			if (parent[to] != DNONE) continue;
			parent[to] = f;
			via[to] = &fn->calls[k];
			queue[tail++] = to;
		}
	}
	int rc = -1;
	if (hit) {
		/* The chain from the init function down, so walk up first. */
		size_t len = 0;
		for (uint32_t f = at; f != from; f = parent[f]) queue[len++] = f;
		for (size_t k = len; k-- > 0;) {
			const struct dcall *c = via[queue[k]];
			diag_note(deps_ref_loc(c->in, c->ref), "'%s' %s '%s'",
				  d->fns[parent[queue[k]]].name,
				  c->ref->kind == SCAN_REF_CALL ? "calls"
				  : c->ref->kind == SCAN_REF_ADDR ? "takes the address of"
				  : "reads the table", d->fns[queue[k]].name);
		}
		diag_note(deps_ref_loc(hit->in, hit->ref), "'%s' %s '%s'",
			  d->fns[at].name, write ? "writes" : "reads",
			  d->vars[var].name);
		rc = 0;
	}
	free(parent);
	free(via);
	free(queue);
	return rc;
}

static struct loc deps_init_loc(const struct deps *d, size_t i)
{
	return (struct loc){d->inits[i]->file, d->inits[i]->line, d->inits[i]->col};
}

/* The reason of one edge, as notes. */
static void deps_print_edge(const struct deps *d, const struct dedge *e)
{
	const char *a = d->inits[e->after]->name, *b = d->inits[e->before]->name;
	if (e->var == DNONE) {
		diag_note((struct loc){e->annot->file, e->annot->line, e->annot->col},
			  "'%s' runs after '%s' (PKG_AFTER)", a, b);
		return;
	}
	const char *v = d->vars[e->var].name;
	diag_note(deps_init_loc(d, e->after), "'%s' reads '%s', which '%s' "
		  "writes:", a, v, b);
	deps_print_chain(d, e->after, e->var, 0);
	deps_print_chain(d, e->before, e->var, 1);
}

/* ---- order ---------------------------------------------------------------- */

/* The edges into each init, compressed rows over d->edges (sorted by
 * after). */
static size_t *deps_rows(const struct deps *d)
{
	size_t *start = xcalloc(d->ninits + 1, sizeof *start);
	for (size_t i = 0; i < d->nedges; i++) start[d->edges[i].after + 1]++;
	for (size_t i = 0; i < d->ninits; i++) start[i + 1] += start[i];
	return start;
}

/* The edges an order follows: all of them, or only PKG_AFTER's. */
static inline int deps_edge_used(const struct dedge *e, int only_after)
{
	return !only_after || e->var == DNONE;
}

/* Report one cycle among the inits left (pending[i] > 0): follow an
 * unmet edge backwards until an init repeats. */
static int deps_report_cycle(const struct deps *d, const size_t *pending,
			     int only_after)
{
	size_t n = d->ninits, f = 0;
	while (!pending[f]) f++;
	size_t *start = deps_rows(d);
	size_t *mark = xcalloc(n, sizeof *mark);
	const struct dedge **path = xmalloc((n + 1) * sizeof *path);
	size_t len = 0, step = 1;
	while (!mark[f]) {
		mark[f] = step++;
		const struct dedge *e = NULL;
		for (size_t k = start[f]; k < start[f + 1] && !e; k++)
			if (pending[d->edges[k].before] &&
			    deps_edge_used(&d->edges[k], only_after))
				e = &d->edges[k];
		path[len++] = e;
		f = e->before;
	}
	/* path[mark[f]-1 ..] is the cycle: f ... f. */
	size_t first = mark[f] - 1;
	diag_error(deps_init_loc(d, f), "init order cycle: '%s' must run "
		   "before itself", d->inits[f]->name);
	int only_annots = 1;
	for (size_t k = len; k-- > first;) {
		deps_print_edge(d, path[k]);
		if (path[k]->var != DNONE) only_annots = 0;
	}
	/* A cycle of PKG_AFTERs alone is the annotations' own contradiction:
	 * no change to the code's reads and writes can break it. */
	if (only_annots)
		diag_note((struct loc){0}, "these PKG_AFTERs contradict each "
			  "other: remove one of them");
	else
		diag_note((struct loc){0}, "a variable written by both orders "
			  "nothing; to break the cycle, make one of them not read "
			  "what the other writes, or state the order with PKG_AFTER "
			  "(spec/uses.md)");
	free(start);
	free(mark);
	free(path);
	return EXIT_ORDER;
}

/* Kahn's algorithm over init functions; ready ones in include order,
 * which is their index (graph order is not the include order: rank). */
int deps_order(const struct deps *d, const size_t *rank, int only_after,
	       size_t *out)
{
	size_t n = d->ninits, k = 0;
	size_t *pending = xcalloc(n ? n : 1, sizeof *pending);
	/* who waits on each init */
	size_t *wstart = xcalloc(n + 1, sizeof *wstart);
	size_t *waiters = xmalloc((d->nedges ? d->nedges : 1) * sizeof *waiters);
	for (size_t i = 0; i < d->nedges; i++) {
		if (!deps_edge_used(&d->edges[i], only_after)) continue;
		pending[d->edges[i].after]++;
		wstart[d->edges[i].before + 1]++;
	}
	for (size_t i = 0; i < n; i++) wstart[i + 1] += wstart[i];
	size_t *fill = xmalloc((n + 1) * sizeof *fill);
	memcpy(fill, wstart, (n + 1) * sizeof *fill);
	for (size_t i = 0; i < d->nedges; i++)
		if (deps_edge_used(&d->edges[i], only_after))
			waiters[fill[d->edges[i].before]++] = d->edges[i].after;
	/* util.c's heap, by rank. */
	struct heap h = {xmalloc((n ? n : 1) * sizeof *h.a), 0, rank};
	for (size_t i = 0; i < n; i++)
		if (!pending[i]) heap_push(&h, i);
	while (h.n) {
		size_t top = heap_pop(&h);
		out[k++] = top;
		for (size_t w = wstart[top]; w < wstart[top + 1]; w++)
			if (!--pending[waiters[w]]) heap_push(&h, waiters[w]);
	}
	int rc = k == n ? 0 : deps_report_cycle(d, pending, only_after);
	free(h.a);
	free(fill);
	free(waiters);
	free(wstart);
	free(pending);
	return rc;
}

/* ---- verification --------------------------------------------------------- */

int deps_verify(const struct deps *d, const size_t *pos)
{
	int rc = 0;
	for (size_t i = 0, j; i < d->nedges; i = j) {
		const struct dedge *e = &d->edges[i];
		for (j = i + 1; j < d->nedges && d->edges[j].after == e->after &&
				d->edges[j].before == e->before; j++)
			;
		if (pos[e->before] < pos[e->after]) continue;
		const char *a = d->inits[e->after]->name, *b = d->inits[e->before]->name;
		diag_error(deps_init_loc(d, e->after), "unsafe init order: '%s' "
			   "runs before '%s' but must run after it", a, b);
		deps_print_edge(d, e);
		if (j - i > 1)
			diag_note((struct loc){0}, "and %zu more reason%s: 'pkginit "
				  "why %s %s' lists them all", j - i - 1,
				  j - i > 2 ? "s" : "", a, b);
		rc = EXIT_ORDER;
	}
	if (rc)
		diag_note((struct loc){0}, "the order comes from package imports "
			  "(--deps include); --deps uses orders init functions by "
			  "what they read and write, PKG_AFTER states an order, and "
			  "--no-verify skips this check");
	return rc;
}

/* ---- queries -------------------------------------------------------------- */

void deps_summary(const struct deps *d)
{
	size_t calls = 0, accs = 0, tables = 0;
	for (size_t i = 0; i < d->nfns; i++) {
		calls += d->fns[i].ncalls;
		accs += d->fns[i].naccs;
	}
	for (size_t i = 0; i < d->nvars; i++) tables += d->vars[i].table != DNONE;
	diag_note((struct loc){0}, "facts: %zu functions, %zu variables "
		  "(%zu tables), %zu calls, %zu accesses; %zu constraints between "
		  "%zu init functions", d->nfns - tables, d->nvars, tables, calls,
		  accs, d->nedges, d->ninits);
}

size_t deps_ninits(const struct deps *d) { return d->ninits; }
const struct init_fn *deps_init(const struct deps *d, size_t i) { return d->inits[i]; }
size_t deps_init_pkg(const struct deps *d, size_t i) { return d->init_pkg[i]; }

size_t deps_find_init(const struct deps *d, const char *name)
{
	size_t i;
	return strmap_get(&d->imap, name, &i) ? i : GRAPH_NONE;
}

int deps_after(const struct deps *d, size_t k, size_t *before, size_t *after,
	       struct loc *at)
{
	for (size_t i = 0; i < d->nedges; i++) {
		const struct dedge *e = &d->edges[i];
		if (e->var != DNONE || k--) continue;
		*before = e->before;
		*after = e->after;
		*at = (struct loc){e->annot->file, e->annot->line, e->annot->col};
		return 1;
	}
	return 0;
}

size_t deps_explain(const struct deps *d, const unsigned char *after,
		    const unsigned char *before)
{
	/* One pass: the edges are sorted by after, then before, so the
	 * reasons come pair by pair in that order, each pair's in its own.
	 * No edge joins an init to itself (a writer of a variable never
	 * only reads it; PKG_AFTER(f, f) is an error), so a set in both
	 * needs no care. */
	size_t n = 0;
	for (size_t i = 0; i < d->nedges; i++) {
		const struct dedge *e = &d->edges[i];
		if (!after[e->after] || !before[e->before]) continue;
		deps_print_edge(d, e);
		n++;
	}
	return n;
}
