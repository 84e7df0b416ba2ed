/*
 * tool.h - the pkginit tool's shared types and the interfaces between its
 * stages.
 *
 * The tool is a pipeline, like Go's compiler and linker split:
 *
 *   scan   one translation unit -> a scan record          (scan.c)
 *   graph  scan records -> packages and import edges       (graph.c)
 *   deps   function facts -> constraints between inits     (deps.c)
 *   order  import graph -> package order                  (order.c)
 *   plan   package order, constraints -> tasks in run order (plan.c)
 *   emit   plan -> C init table                           (emit.c)
 *   report plan -> YAML report / lock file                (report.c)
 *
 * Around it:
 *   inputs.c   what to scan or read (sources, records, a compilation
 *              database: compdb.c), scanned on threads (pool.c), through
 *              the scan cache (cache.c: entries; filehash.c: what files
 *              look like now; hash.c: SHA-256 and XXH64 from libraries)
 *   config.c   pkginit.yaml, with glob.c's globs
 *   record.c   scan records: YAML and the cache's binary form (bin.c)
 *   yaml.c     YAML files as a small tree with places
 *   libclang.c libclang, opened on first use
 *   shlib.c    --shlib-report: packages a shared library initializes
 *   diag.c     diagnostics in compiler format, exit codes; sarif.c the
 *              same as a SARIF log
 *   file.c     outputs written atomically; path.c path arithmetic;
 *              util.c containers
 *   opt.c      the option parser; one cmd_*.c per subcommand, dispatched
 *              by main.c
 *
 * Paths: a "path" below is the file's path as the compiler saw it,
 * normalized and relative to the current directory when it lies under it
 * (that is what diagnostics print, so an editor can jump to it).  A
 * "name" is the path relative to the root that holds the file (that is
 * what reports and lock files record, so they do not depend on where the
 * tree is checked out).
 */
#ifndef PKGINIT_TOOL_H
#define PKGINIT_TOOL_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <time.h>

#define PKGINIT_VERSION "0.1.0"
#define PKGINIT_FORMAT  1       /* version of the YAML formats */

/* ---- diag.c: diagnostics and exit codes -------------------------------- */

enum {
	EXIT_OK = 0,
	EXIT_ORDER = 1,         /* the program's order is wrong */
	EXIT_USAGE = 2,         /* bad command line */
	EXIT_INPUT = 3,         /* an input could not be read or parsed */
};

/* Where a diagnostic points.  file may be NULL (then only the message);
 * line 0 means the whole file, col 0 means the whole line. */
struct loc {
	const char *file;
	unsigned line, col;
};

void diag_error(struct loc at, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void diag_warning(struct loc at, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void diag_note(struct loc at, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void diag_verror(struct loc at, const char *fmt, va_list ap);
void diag_vwarning(struct loc at, const char *fmt, va_list ap);
/* "pkginit: error: ..." with no location. */
void diag_fail(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Print "pkginit: error: ...", then a hint to run --help; return EXIT_USAGE. */
int diag_usage(const char *cmd, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* Just the hint, after a usage error printed otherwise (a scan's "outside
 * every root"); returns EXIT_USAGE. */
int diag_try(const char *cmd);
/* Out of memory and other impossible states: message, exit 3.  Allocates
 * nothing, so it works when the heap is exhausted. */
_Noreturn void diag_die(const char *fmt, ...)
	__attribute__((format(printf, 1, 2)));
/* diag output goes to stderr; tests may redirect it. */
void diag_set_stream(FILE *f);
/* On this thread, print no diagnostic from diag_quiet(1) to the
 * matching diag_quiet(0) (they nest): for a try that is redone with
 * diagnostics when it fails. */
void diag_quiet(int on);
/* diag_capture_begin and the rest: below struct strbuf. */
/* Print diagnostics (whole lines) as diag_* would have. */
void diag_print_text(const char *text);

/* ---- util.c: memory, strings, vectors, the hash map, the heap ---------- */

void *xmalloc(size_t n);
void *xcalloc(size_t n, size_t size);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);
char *xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Grow *items (of *cap elements of size elem) so it holds at least need. */
void vec_reserve(void *items_p, size_t *cap, size_t need, size_t elem);
/* Append one element: VEC_PUSH(arr, n, cap, value). */
#define VEC_PUSH(arr, n, cap, value)                                        \
	do {                                                                \
		vec_reserve(&(arr), &(cap), (n) + 1, sizeof *(arr));        \
		(arr)[(n)++] = (value);                                     \
	} while (0)

/* A growable string. */
struct strbuf {
	char *buf;
	size_t len, cap;
};
void sb_putc(struct strbuf *sb, char c);
void sb_puts(struct strbuf *sb, const char *s);
void sb_putn(struct strbuf *sb, const char *s, size_t n);
/* Room for n more bytes and the terminating NUL (buf[len] is 0), for
 * writing into buf + len directly. */
void sb_grow(struct strbuf *sb, size_t n);
void sb_printf(struct strbuf *sb, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* Append; returns vsnprintf's count (negative on a bad format). */
int sb_vprintf(struct strbuf *sb, const char *fmt, va_list ap)
	__attribute__((format(printf, 2, 0)));
char *sb_detach(struct strbuf *sb);     /* returns buf (never NULL), resets */
/* A FILE * that prints into memory, for printers written against one:
 * what was printed is appended to sb by sb_stream_close. */
struct sb_stream {
	FILE *fp;
	char *buf;
	size_t len;
};
void sb_stream_open(struct sb_stream *m);
void sb_stream_close(struct sb_stream *m, struct strbuf *sb);
void sb_free(struct strbuf *sb);

/* diag.c: Until diag_capture_end, this thread's diagnostics are held in c
 * instead of printed (and handed to the SARIF sink): the scanning pool
 * lets each TU's out in input order, whichever thread finished first. */
struct diag_held {
	struct loc at;          /* file allocated */
	const char *kind;
	char *msg;
};
struct diag_capture {
	struct strbuf text;     /* the lines, as printed */
	struct diag_held *held; /* for the sink, in order */
	size_t nheld, capheld;
};
void diag_capture_begin(struct diag_capture *c);
void diag_capture_end(void);
/* Print what c holds, tell the sink, and empty c. */
void diag_capture_flush(struct diag_capture *c);

/* The general hash map: keys to size_t values (an index into the
 * caller's array, typically), open addressing.  Keys are borrowed: they
 * must outlive the map.  A strmap compares its keys as strings, a
 * ptrmap as addresses; both are one table underneath.  Zero-initialized
 * ({0}) is empty. */
struct map {
	const void **keys;
	size_t *vals;
	size_t cap, len;
};
struct strmap { struct map m; };
struct ptrmap { struct map m; };
/* Returns 1 and sets *val (when val is not NULL) when found. */
int strmap_get(const struct strmap *m, const char *key, size_t *val);
/* Inserts or replaces. */
void strmap_put(struct strmap *m, const char *key, size_t val);
void strmap_free(struct strmap *m);
int ptrmap_get(const struct ptrmap *m, const void *key, size_t *val);
void ptrmap_put(struct ptrmap *m, const void *key, size_t val);
void ptrmap_free(struct ptrmap *m);

/* A binary min-heap of indices: the ready set of Kahn's algorithm, for
 * packages (order.c) and for init functions (deps.c).  It orders v by
 * key[v], or by v itself when key is NULL; a holds room for every index
 * pushed, and the caller owns it.  Ties (equal keys) leave in no promised
 * order, but always in the same one for the same pushes and pops. */
struct heap {
	size_t *a;
	size_t n;
	const size_t *key;
};
void heap_push(struct heap *h, size_t v);
size_t heap_pop(struct heap *h);       /* h->n must be > 0 */

/* opt.c: choices, one definition for options and configuration fields.
 * The index of s in choices (NULL-terminated), or -1. */
int opt_choice(const char *const *choices, const char *s);
/* "'a', 'b' or 'c'": how every message lists the choices. */
char *opt_choices_text(const char *const *choices);
/* The one message for a value that is not a choice: "WHAT must be 'a'
 * or 'b', not 'VALUE'" (allocated), for options and for YAML fields. */
char *opt_choice_problem(const char *what, const char *const *choices,
			 const char *value);

/* One UTF-8 sequence at s: its length, with its code point in *cp; 0
 * when it is not valid UTF-8 (overlong, surrogate, above U+10FFFF,
 * truncated: a NUL ends it). */
size_t utf8_decode(const unsigned char *s, unsigned long *cp);

int str_cmp(const char *a, const char *b);      /* byte order, NULL first */
int cmp_strp(const void *a, const void *b);     /* qsort over char *[] */

/* ---- bin.c: little-endian binary encoding ------------------------------ */

void bin_put_u32(struct strbuf *b, uint32_t v);
void bin_put_u64(struct strbuf *b, uint64_t v);
void bin_put_str(struct strbuf *b, const char *s);     /* NULL allowed */
void bin_put_blob(struct strbuf *b, const void *p, size_t n);  /* any bytes */
/* A reader over untrusted bytes: every read is bounds-checked, and after
 * the first failure (bad set) every read returns zero / NULL. */
struct bin_rd {
	const unsigned char *p, *end;
	int bad;
};
uint32_t bin_u32(struct bin_rd *d);
uint64_t bin_u64(struct bin_rd *d);
/* A count of items of at least min bytes each: never more than the bytes
 * left could hold, so a corrupt count cannot ask for a huge allocation. */
size_t bin_count(struct bin_rd *d, size_t min);
char *bin_str(struct bin_rd *d, int nullable);
int bin_bytes(struct bin_rd *d, void *out, size_t n);
/* What bin_put_blob wrote: a pointer into the reader's bytes and *n. */
const void *bin_blob(struct bin_rd *d, size_t *n);

/* ---- path.c: path arithmetic ------------------------------------------- */

/* Lexically normalize: collapse "//", "/./", "x/.." ; "" becomes ".". */
char *path_normalize(const char *p);
/* dir/file, normalized. */
char *path_join(const char *dir, const char *file);
/* The path as diagnostics show it: absolute paths under the current
 * directory become relative, everything is normalized. */
char *path_display(const char *p);
/* If p lies under root (both normalized), the remainder ("." for root
 * itself), else NULL. */
char *path_under(const char *p, const char *root);
/* The directory part ("." when none). */
char *path_dir(const char *p);
/* What p really is: absolute (from the current directory), normalized,
 * every symbolic link resolved and ".." taken as the kernel takes it (the
 * parent of a link's target); for a path that does not exist (yet), the
 * longest prefix that does, resolved, then the rest.  Roots, files and
 * the current directory compared through it are on the same footing,
 * whatever spelling (a link, an absolute -I under a linked working
 * directory) reached them. */
char *path_real(const char *p);
/* Why p is not a valid package path ("it is empty", ...), or NULL. */
const char *path_package_problem(const char *p);

/* ---- file.c: reading and atomic writing -------------------------------- */

/* Read a whole file; NULL with errno set on failure.  *len may be NULL. */
char *file_read(const char *path, size_t *len);
/* The same, failing with EFBIG beyond max bytes (read or not). */
char *file_read_max(const char *path, size_t max, size_t *len);
/* "cannot read 'path': ..." for file_read_max's errno; what names the
 * kind of input in the message about the limit. */
void file_read_failed(const char *path, int err, size_t max, const char *what);

/* The most pkginit reads of each kind of input (spec/hardening.md). */
#define FILE_MAX_YAML   (64u << 20)     /* records, reports, lock files */
#define FILE_WHAT_YAML  "a scan record, report or lock file"
#define FILE_MAX_CONFIG (1u << 20)      /* pkginit.yaml */
#define FILE_MAX_COMPDB (256u << 20)    /* compile_commands.json */
#define FILE_MAX_CACHE  (64u << 20)     /* one scan cache entry */

/* How an output reports a failure: an error (the command fails), a
 * warning (a cache entry: the run goes on without it), or not at all. */
enum out_report { OUT_ERROR, OUT_WARN, OUT_QUIET };

/* An output written atomically: the data goes to a temporary file beside
 * the target and is renamed over it on commit.  A failed run calls
 * out_abort (or exits: an atexit handler removes temporaries), so the
 * previous output stays untouched and no partial file is left. */
struct out {
	char *path;             /* target */
	char *tmp;              /* temporary beside it */
	char *target;           /* the file path leads to (links followed) */
	FILE *fp;
	int keep_same;          /* set before commit: when the target already
				   has these bytes, leave it (and its mtime)
				   alone, so make does not rebuild from it */
	int kept;               /* out_commit left the target as it was */
	int direct;             /* a device or fifo, written in place */
	enum out_report report; /* out_open_as's */
	int no_sync;            /* set before commit: skip fsync (for files
				   whose damage is detected on reading, like
				   cache entries; rename stays atomic) */
};
/* "-" means stdout (not atomic).  Returns 0, or prints an error and
 * returns EXIT_INPUT. */
int out_open(struct out *o, const char *path);
/* The same, reporting failures as report says (out_open: OUT_ERROR). */
int out_open_as(struct out *o, const char *path, enum out_report report);
/* Writes everything out (flush, fsync, close; for a device, this is the
 * write) without renaming: a command with several outputs flushes them
 * all before committing any, so that a write error on one (a full disk)
 * leaves every target as it was.  Returns 0, or prints an error, aborts
 * o and returns EXIT_INPUT. */
int out_flush(struct out *o);
/* out_flush if not done yet, then renames.  Returns 0 or prints an error
 * and returns EXIT_INPUT. */
int out_commit(struct out *o);
void out_abort(struct out *o);
/* Does path (links followed) already hold exactly these bytes, as a
 * regular file whose time out_touch may set?  An output that does need
 * not be written again: touching it tells Make what a rewrite would,
 * at the cost of a read, where replacing it cost ext4 a flush of the
 * new file and the freeing of the old (rename over a file; perf on a
 * warm `pkginit scan`, spec/performance.md). */
int out_holds(const char *path, const char *data, size_t len);
/* Set path's modification time to now.  Returns 0, or prints an error
 * and returns EXIT_INPUT. */
int out_touch(const char *path);
/* Convenience: write a whole buffer atomically. */
int out_write_file(const char *path, const char *data, size_t len);

/* An output of a command and the option that names it ("-o"). */
struct out_name {
	const char *opt;
	const char *path;       /* NULL: not written this run */
};
/* Refuse (a usage error, before anything is written) two outputs that
 * are one file, and an output that is one of the inputs ins (NULL items
 * are skipped), comparing files by identity, not by spelling: a link, a
 * "./" or an absolute spelling of an input is that input.  An input
 * that the table known (may be NULL) has already seen is not stat'ed
 * again.  Returns 0 or EXIT_USAGE. */
struct filehash;
int out_check_names(const char *cmd, const struct out_name *outs, size_t nouts,
		    const char *const *ins, size_t nins, struct filehash *known);

/* ---- scan records (scan.c produces them, record.c reads/writes them) --- */

struct scan_init {              /* a PKG_INIT function definition */
	char *name;
	char *file;             /* path */
	unsigned line, col;
	int returns_int;        /* int f(void), which can fail; else void f(void) */
};

struct scan_annot {             /* a PKG_IMPORT or PKG_PACKAGE */
	char *path;             /* the package path it names */
	char *file;
	unsigned line, col;
};

struct scan_include {           /* #include between two project files */
	char *from;             /* path of the including file */
	unsigned line;
	char *to;               /* path of the included file */
};

struct scan_file {              /* a project file the TU read */
	char *path;
	char *name;             /* root-relative */
	char *package;          /* its directory's package ("." at a root) */
};

/* What a function does, as far as a TU shows it (--deps uses and the
 * verification, spec/uses.md): every function defined in a project file
 * (external or static, inline ones from headers included), with the
 * functions it calls or whose address it takes and the variables of
 * static storage it reads and writes, each at its first use. */
enum scan_ref_kind {
	SCAN_REF_CALL = 'c',    /* calls the function */
	SCAN_REF_ADDR = 'a',    /* takes the function's address */
	SCAN_REF_READ = 'r',    /* reads the variable */
	SCAN_REF_WRITE = 'w',   /* writes it (or lets a pointer to non-const
				   of it escape) */
};

struct scan_ref {
	char *name;             /* function or variable; a function's static
				   local is "function.variable" */
	char kind;              /* enum scan_ref_kind */
	char is_static;         /* internal linkage (or a static local):
				   resolved within the TU */
	unsigned line, col;     /* first use, in the function's file */
};

struct scan_func {
	char *name;
	char *file;             /* path */
	unsigned line, col;
	int is_static;
	int is_table;           /* not a function: a variable of static
				   storage whose initializer refers to these
				   (a table of function pointers) */
	struct scan_ref *refs;  /* sorted by kind, name, linkage */
	size_t nrefs;
};

struct scan_after {             /* PKG_AFTER(init, after) */
	char *init, *after;     /* init runs after 'after' */
	char *file;
	unsigned line, col;
};

struct scan_record {
	char *tu;               /* path of the main file */
	char *source;           /* record file it was read from, or NULL */
	char **roots;           /* normalized roots, as given */
	size_t nroots;
	struct scan_file *files;        /* project files, sorted by path */
	size_t nfiles;
	struct scan_init *inits;        /* sorted by file, line, col */
	size_t ninits;
	struct scan_annot *imports;     /* PKG_IMPORT, sorted by file, line */
	size_t nimports;
	struct scan_annot *packages;    /* PKG_PACKAGE, sorted by file, line */
	size_t npackages;
	struct scan_include *includes;  /* sorted by from, line, to */
	size_t nincludes;
	int defines_main;
	struct loc main_at;             /* where main is defined */
	char **deps;            /* every file read, sorted, unique */
	size_t ndeps;
	int has_facts;          /* scanned with function facts */
	struct scan_func *funcs;        /* sorted by file, line, col, name */
	size_t nfuncs;
	struct scan_after *afters;      /* sorted by file, line, col */
	size_t nafters;
};

void record_free(struct scan_record *r);
/* Sort every list into the order below and drop repeats (an unguarded
 * header included twice shows its directives twice): what the scanner
 * does before handing a record out and the reader after reading one, so
 * the order is part of the format. */
void record_normalize(struct scan_record *r);
/* The record's own copy of path, which main_at.file points at: its tu, or
 * one of its files[].path; NULL when it has none (the scanner and the
 * cache's decoder share it). */
const char *record_own_path(const struct scan_record *r, const char *path);

/* scan.c.  Parse one TU (file, with compiler arguments args) under the
 * given roots.  On success fills *r and returns 0.  On failure prints
 * diagnostics and returns EXIT_ORDER (invalid init function or
 * annotation), EXIT_USAGE (the TU is outside every root) or EXIT_INPUT
 * (it cannot be read or does not parse).  Safe to call from several
 * threads at once. */
struct config;
struct scan_opts {
	const char *const *roots;       /* normalized; at least one */
	size_t nroots;
	const char *const *args;        /* compiler flags, may be empty */
	size_t nargs;
	const char *directory;  /* working directory of the command, or NULL */
	const struct config *config;    /* pkginit.yaml's mapping rules and
					   excluded paths, or NULL */
	struct loc entry;       /* the compilation database entry the
				   command comes from (file NULL: none) */
	int facts;              /* parse function bodies and record what
				   each function calls, reads and writes */
};
int scan_tu(const char *file, const struct scan_opts *o,
	    struct scan_record *r);

/* record.c.  Write a record as YAML / read one back.  record_read
 * returns 0 or prints "file:line:col: error: ..." and returns EXIT_INPUT. */
void record_write(FILE *f, const struct scan_record *r);
/* The same bytes, appended to b (the scan cache keeps them: a warm
 * `pkginit scan` copies them out instead of printing the record). */
void record_text(struct strbuf *b, const struct scan_record *r);
/* The order of a record's files, by path (a qsort comparator; the fuzz
 * harness sorts with it).  The other lists' orders, given above, are
 * record.c's own (record_normalize). */
int record_cmp_file(const void *a, const void *b);
int record_read(const char *path, struct scan_record *r);
/* Why s cannot be an init function's name (not a C identifier, or
 * emit_reserved), or NULL: the scanner and the readers share it. */
const char *record_name_problem(const char *s);
/* The same for a file's package: a package path or "." (a root). */
const char *record_package_problem(const char *s);
/* Is s[0..n) a name a record's function or reference can have: a C
 * identifier, or with dotted "function.variable" (a static local)?  The
 * scanner checks PKG_AFTER's two names with it. */
int record_is_name(const char *s, size_t n, int dotted);
struct yaml_doc;
struct yaml_value;
/* In a YAML reader of d: val, the value read at `at`, checked with
 * problem; "invalid WHAT 'VALUE': WHY" at its place when it has one.
 * Nothing when d has failed already or at is NULL.  A lock file is
 * untrusted as a record is: report.c checks its names with it. */
void record_check(struct yaml_doc *d, const struct yaml_value *at,
		  const char *what, const char *val,
		  const char *(*problem)(const char *));
/* A value as an error message shows it: at most 80 bytes, control
 * characters as \xNN (allocated). */
char *record_shown(const char *s);
/* The record's binary form, for the scan cache, and back (-1 when buf is
 * not one; then *r holds nothing to free). */
void record_encode(struct strbuf *b, const struct scan_record *r);
int record_decode(const void *buf, size_t len, struct scan_record *r);
/* Depfile in gcc's format: target: deps..., then a phony rule per dep
 * except the first when phony is set. */
void record_write_depfile(FILE *f, const struct scan_record *r,
			  const char *target, int phony);
/* A file name quoted for Make as gcc quotes it ('$' doubled, spaces, tabs
 * and '#' escaped; allocated): the default target, and every
 * prerequisite.  -MT's target is written as given, as gcc does. */
char *record_munge(const char *s);

/* ---- graph.c: packages and the import graph ---------------------------- */

struct init_fn {
	char *name;
	char *file;             /* path, for diagnostics */
	char *fname;            /* root-relative name, for reports */
	unsigned line, col;
	int returns_int;        /* int f(void): the table calls it as one */
};

enum edge_kind { EDGE_INCLUDE, EDGE_IMPORT, EDGE_IMPLICIT, EDGE_AFTER };

struct edge {
	size_t to;              /* package index */
	enum edge_kind kind;
	struct loc at;          /* the #include or PKG_IMPORT (none if implicit) */
	char *via;              /* EDGE_INCLUDE: the included file's path;
				   EDGE_AFTER: "PKG_AFTER(f, g)" */
};

struct package {
	char *path;             /* "main" for the main package */
	char *dir;              /* its directory package path before renaming */
	struct edge *imports;   /* deduplicated, in first-occurrence order */
	size_t nimports, capimports;
	struct init_fn *inits;  /* sorted by file name, then line, col */
	size_t ninits, capinits;
};

struct graph {
	struct package *pkgs;   /* sorted by path (byte order) */
	size_t npkgs;
	size_t main;            /* index of main, or GRAPH_NONE */
	const char *main_file;  /* path of the file that defines main */
	int main_alone;         /* main's file is package main by itself: other
				   packages import its directory */
	struct loc main_alone_at;       /* the first such import */
	unsigned char *left_out;        /* per record given to graph_build: 1
					   for another program's main TU, which
					   the graph leaves out (and so must
					   what analyses the program); NULL
					   when none is */
	struct strmap index;    /* path -> index */
	struct graph_block *strings;    /* every string above lives here:
					   graph_free frees them at once */
	struct strmap files;    /* with graph_opts.file_map: each project
				   file's path -> its package */
};
#define GRAPH_NONE ((size_t)-1)

struct graph_opts {
	const char *main;       /* --main: the main package's directory, or
				   the file that defines main; or NULL */
	int need_main;          /* link/check: no main is an error */
	int file_map;           /* fill graph.files (pkginit why) */
};

/* Build the graph from records (mapping files to packages, applying
 * PKG_PACKAGE, naming main, adding implicit imports of main).  Returns 0
 * or prints errors and returns EXIT_ORDER.  Does not check for cycles. */
int graph_build(struct graph *g, struct scan_record *recs, size_t nrecs,
		const struct graph_opts *o);
void graph_free(struct graph *g);
/* The programs among recs: each file that defines main, once, in byte
 * order of paths (*files: an allocated array of paths borrowed from
 * recs).  Each is a valid graph_opts.main.  Returns the count. */
size_t graph_programs(const struct scan_record *recs, size_t nrecs,
		      const char ***files);
/* Index of path, or GRAPH_NONE. */
size_t graph_find(const struct graph *g, const char *path);
/* Add an import edge after graph_build (PKG_AFTER between packages);
 * via is copied. */
void graph_add_import(struct graph *g, size_t from, size_t to,
		      enum edge_kind kind, struct loc at, const char *via);

/* Strongly connected components (iterative Tarjan).  comp[i] is the
 * component of package i; components are numbered so that a component's
 * imports have smaller numbers.  Returns the number of components. */
size_t graph_scc(const struct graph *g, size_t *comp);
/* The same over the real imports only (#include and PKG_IMPORT), without
 * the implicit imports of main. */
size_t graph_scc_real(const struct graph *g, size_t *comp);

/* ---- order.c: initialization order ------------------------------------- */

enum order_mode { ORDER_LEX, ORDER_IMPORT };
/* What orders init functions: package imports (Go's rule), or what the
 * code reads and writes (deps.c). */
enum deps_mode { DEPS_INCLUDE, DEPS_USES };
extern const char *const deps_mode_names[];
/* Indexed by enum order_mode, NULL-terminated: --order and 'order:'. */
extern const char *const order_mode_names[];

/* Fill out[0..npkgs) with package indices in initialization order.
 * Returns 0, or 1 when there is a cycle (then out is undefined). */
int order_packages(const struct graph *g, enum order_mode mode, size_t *out);
/* The same order where imports may be cyclic (--deps uses, where they
 * only break ties): a cycle is entered at its first package in the mode's
 * own sense and then followed as if the import back were done.  Without
 * cycles it is order_packages' order. */
void order_packages_loose(const struct graph *g, enum order_mode mode,
			  size_t *out);

/* Find one import cycle: fills *edges with (from, edge index) pairs of
 * a cycle, starting at its byte-order-smallest package, shortest first.
 * Returns the number of edges, or 0 when the graph is acyclic. */
struct cycle_step {
	size_t from;            /* package index */
	size_t edge;            /* index into pkgs[from].imports */
};
size_t order_find_cycle(const struct graph *g, struct cycle_step **steps);

/* Print "import cycle not allowed" with every edge of one cycle.  Returns
 * EXIT_ORDER. */
int order_report_cycle(const struct graph *g);

const char *order_mode_name(enum order_mode m);
int order_mode_parse(const char *s, enum order_mode *m);

/* ---- deps.c: init order from what the code does ------------------------ */

/* The function facts of every record resolved into one call graph, and
 * the constraints between init functions (spec/uses.md).  Init functions
 * are numbered in graph order (package index, then their order in it). */
struct deps;
/* Returns 0, EXIT_ORDER (a bad PKG_AFTER) or, with need_facts, EXIT_INPUT
 * when a record has no facts; *d is set in every case (deps_free). */
int deps_build(struct deps **d, const struct scan_record *recs,
	       size_t nrecs, const struct graph *g, int need_facts,
	       int follow_addresses);
/* One line on stderr: functions, variables, calls, accesses, constraints
 * (-v). */
void deps_summary(const struct deps *d);
void deps_free(struct deps *d);
size_t deps_ninits(const struct deps *d);
const struct init_fn *deps_init(const struct deps *d, size_t i);
size_t deps_init_pkg(const struct deps *d, size_t i);
size_t deps_find_init(const struct deps *d, const char *name); /* or GRAPH_NONE */
/* The PKG_AFTER constraints: k-th one; 0 when k is past the last. */
int deps_after(const struct deps *d, size_t k, size_t *before, size_t *after,
	       struct loc *at);
/* Topological order of the init functions under the constraints (only
 * PKG_AFTER's with only_after), ready ones by smallest rank[i]; out gets
 * init numbers.  Returns 0, or prints one cycle with every link and
 * returns EXIT_ORDER. */
int deps_order(const struct deps *d, const size_t *rank, int only_after,
	       size_t *out);
/* pos[i] is init i's place in the order; every constraint it breaks is
 * an error with its chain.  Returns 0 or EXIT_ORDER. */
int deps_verify(const struct deps *d, const size_t *pos);
/* Print, as notes, every reason an init marked in after[] runs after one
 * marked in before[] (per init number, nonzero: marked), by the init that
 * runs after, then the one before; returns their number. */
size_t deps_explain(const struct deps *d, const unsigned char *after,
		    const unsigned char *before);

/* ---- plan.c: what the table runs ---------------------------------------- */

/* The order as the table, the report and the lock have it: tasks in run
 * order, each a package and some of its init functions.  With --deps
 * include every package is one task (also one without init functions, so
 * the report lists it in its place).  With --deps uses consecutive init
 * functions of one package make one task, so a package may have several;
 * the packages without init functions follow, in package order. */
struct plan_task {
	size_t pkg;
	const struct init_fn **inits;
	size_t ninits;
};
struct plan {
	enum order_mode mode;
	enum deps_mode deps;
	struct plan_task *tasks;
	size_t ntasks;
};
/* Order g and its init functions (d, deps_build's over g) into *p:
 * include mode by imports (PKG_AFTER adding imports and ordering a
 * package's own init functions), then verified against d unless verify
 * is 0; uses mode by d's constraints.  Returns 0 or EXIT_ORDER after
 * printing why. */
int plan_build(struct plan *p, struct graph *g, const struct deps *d,
	       enum order_mode mode, enum deps_mode deps, int verify);
/* A plan of package order[] as include mode has it, without checks. */
void plan_from_order(struct plan *p, const struct graph *g,
		     enum order_mode mode, const size_t *order);
void plan_free(struct plan *p);

/* ---- emit.c, report.c: outputs ----------------------------------------- */


/* What runs the table (pkginit link --driver): the runtime (rt0, the
 * default: emit_table's file), or the file itself, which then also holds
 * a runner, pkgrt_run_inits, called from a constructor (ctor) or by the
 * program (manual). */
enum driver { DRIVER_RT0, DRIVER_CTOR, DRIVER_MANUAL, DRIVER_SHLIB };
/* Indexed by enum driver, NULL-terminated: --driver. */
extern const char *const emit_driver_names[];
const char *emit_driver_name(enum driver d);
int emit_driver_parse(const char *s, enum driver *d);
/* The init table of plan p as driver d runs it.  With --driver=shlib
 * (DRIVER_SHLIB) it is the table of a shared library named module (the
 * library's file name, for traces; NULL or "" names it "shared library"),
 * which its constructor registers with the program's runtime or, with
 * none, runs itself (spec/shlib.md); other drivers ignore module. */
void emit_table(FILE *f, const struct graph *g, const struct plan *p,
		enum driver d, const char *module);
/* Why the table cannot declare and call an init function of this name
 * (main, the table's and the runtime's own names, reserved names, C
 * keywords, what the runner's headers declare), or NULL. */
const char *emit_reserved(const char *name);

/* A report or lock file, as read back. */
struct report_init {
	char *name, *file;
	unsigned line;
	struct loc at;          /* where in the YAML file, for diagnostics */
};
struct report_pkg {
	char *path;
	char **imports;
	size_t nimports;
	struct report_init *inits;
	size_t ninits;
	struct loc at;
};
struct report {
	char *order;
	char *deps;             /* "uses", or NULL (include) */
	char *main;
	struct report_pkg *pkgs;
	size_t npkgs;
};

void report_write(FILE *f, const struct graph *g, const struct plan *p);
/* Build the same structure report_write would print. */
void report_from_plan(struct report *r, const struct graph *g,
		      const struct plan *p);
int report_read(const char *path, struct report *r);
void report_free(struct report *r);

/* ---- yaml.c: YAML files as a small tree -------------------------------- */

/* A YAML file read into a tree of scalars, sequences and mappings, each
 * with its place in the file.  Anything outside that plain subset (tags,
 * anchors, aliases, several documents, deep nesting, duplicate or
 * non-scalar keys) is rejected when the file is read, so the record and
 * report readers only check their schema. */
enum yaml_kind { YAML_KIND_SCALAR, YAML_KIND_SEQ, YAML_KIND_MAP };

struct yaml_value {
	enum yaml_kind kind;
	struct loc at;          /* where it starts; at.file is the doc's path */
	struct loc end;         /* where it ends; for a mapping, where a
				   missing field is reported */
	char *str;              /* scalar: its text, never NULL */
	int plain;              /* scalar: written without quotes */
	char *key;              /* a mapping's value: its key, else NULL */
	struct loc key_at;
	struct yaml_value *items;       /* sequence items, or mapping values
					   (with key set) in file order */
	size_t n;
};

struct yaml_doc {
	char *path;             /* as given; every loc.file points here */
	struct yaml_value *root;
	int failed;             /* a checker printed an error (only the first
				   error is printed; later checks do nothing) */
};

#define YAML_MAX_DEPTH 64       /* collections nested deeper are an error */
#define YAML_MAX_NODES (4u << 20)       /* values (scalars, collections)
					   in one file */

/* Read a file ("-" is stdin) / a buffer named name.  Returns 0, or prints
 * one error and returns EXIT_INPUT (then *d holds nothing to free). */
int yaml_load(struct yaml_doc *d, const char *path);
int yaml_load_mem(struct yaml_doc *d, const char *name, const char *buf,
		  size_t len);
/* yaml_load with another limit than FILE_MAX_YAML; what names the kind
 * of file in the error beyond it. */
int yaml_load_max(struct yaml_doc *d, const char *path, size_t max,
		  const char *what);
void yaml_doc_free(struct yaml_doc *d);

/* The value of key in a mapping, or NULL (also when map is NULL or not a
 * mapping). */
const struct yaml_value *yaml_map_get(const struct yaml_value *map,
				      const char *key);

/* Schema checking.  Every checker prints at most one error for the whole
 * document: after the first, d->failed is set and checkers return
 * NULL / 0 without printing, so a reader checks every field in a row and
 * looks at d->failed once.  "what" names the value in messages, e.g.
 * "field 'line'" gives "field 'line' must be a positive integer". */
void yaml_fail(struct yaml_doc *d, struct loc at, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* The root is a mapping whose 'pkginit' is PKGINIT_FORMAT and whose
 * 'kind' is one of kinds (NULL-terminated).  Returns the kind found (an
 * element of kinds) or NULL. */
const char *yaml_check_header(struct yaml_doc *d, const char *const *kinds);
/* Every key of map is in known (NULL-terminated): "unknown field 'x'". */
void yaml_check_fields(struct yaml_doc *d, const struct yaml_value *map,
		       const char *const *known);
/* A value of the given type.  A string is any scalar but a plain null
 * ("", ~, null); an integer is a plain decimal from 1 to UINT_MAX; a
 * boolean is a plain true or false.  yaml_str returns a copy. */
char *yaml_str(struct yaml_doc *d, const struct yaml_value *v, const char *what);
unsigned yaml_uint(struct yaml_doc *d, const struct yaml_value *v,
		   const char *what);
int yaml_bool(struct yaml_doc *d, const struct yaml_value *v, const char *what);
const struct yaml_value *yaml_seq(struct yaml_doc *d, const struct yaml_value *v,
				  const char *what);
/* A string that is one of choices: the table's own string, or NULL after
 * "WHAT must be 'a' or 'b', not 'x'" (the options' wording, opt.c). */
const char *yaml_choice(struct yaml_doc *d, const struct yaml_value *v,
			const char *what, const char *const *choices);
const struct yaml_value *yaml_map(struct yaml_doc *d, const struct yaml_value *v,
				  const char *what);
/* Required fields of a mapping: "missing field 'key'" when absent, else
 * the checks above with what = "field 'key'". */
const struct yaml_value *yaml_get(struct yaml_doc *d,
				  const struct yaml_value *map, const char *key);
char *yaml_get_str(struct yaml_doc *d, const struct yaml_value *map,
		   const char *key);
unsigned yaml_get_uint(struct yaml_doc *d, const struct yaml_value *map,
		       const char *key);
int yaml_get_bool(struct yaml_doc *d, const struct yaml_value *map,
		  const char *key);
const struct yaml_value *yaml_get_seq(struct yaml_doc *d,
				      const struct yaml_value *map,
				      const char *key);
const struct yaml_value *yaml_get_map(struct yaml_doc *d,
				      const struct yaml_value *map,
				      const char *key);

/* Writing: a scalar, plain when every YAML reader takes it as that same
 * string, else double-quoted with escapes; and a flow sequence of them,
 * "[a, b]".  Output round-trips exactly through yaml_load (except bytes
 * that are not UTF-8, which YAML cannot carry: they are written as
 * \xNN, read back as U+00NN). */
int yaml_needs_quotes(const char *s);
void yaml_put_str(FILE *f, const char *s);
void yaml_put_str_seq(FILE *f, char *const *items, size_t n);

/* ---- pool.c: jobs on threads ------------------------------------------ */

/* Run fn(ctx, i) for every i < njobs on up to threads threads (fewer,
 * with a warning, when the system gives fewer; the calling thread when
 * it gives none), each with an 8 MiB stack.  What each job prints is
 * printed in job order.  Returns when every job is done. */
void pool_run(size_t njobs, unsigned threads, void (*fn)(void *ctx, size_t i),
	      void *ctx);

/* ---- diag.c: a status line ------------------------------------------- */

/* Show line (no newline) as the last line of stderr, replacing the one
 * before; NULL erases it.  Diagnostics printed meanwhile appear above
 * it.  For progress on a terminal only: the caller checks isatty. */
void diag_status(const char *line);

/* ---- hash.c: SHA-256 (nettle), XXH64 (libxxhash) ------------------------ */

#include <nettle/sha2.h>

#define HASH_SIZE 32
struct hash_ctx {
	struct sha256_ctx sha;
};
void hash_init(struct hash_ctx *h);
void hash_update(struct hash_ctx *h, const void *data, size_t n);
void hash_final(struct hash_ctx *h, unsigned char out[HASH_SIZE]);
void hash_buf(const void *data, size_t n, unsigned char out[HASH_SIZE]);
/* Add a string, length first (so a list of strings hashes unambiguously);
 * NULL differs from "". */
void hash_str(struct hash_ctx *h, const char *s);
/* Add which file path is now: device, inode, size and modification time
 * (not ctime, which every hard link changes), or "absent".  It names a
 * build of pkginit or of libclang in the scan cache's key. */
void hash_file_id(struct hash_ctx *h, const char *path);
void hash_hex(const unsigned char d[HASH_SIZE], char out[2 * HASH_SIZE + 1]);
/* XXH64 with seed 0: a fast checksum against damage, not a key. */
uint64_t hash_check64(const void *data, size_t n);

/* ---- glob.c: globs over root-relative names, with captures -------------- */

#define GLOB_MAX_WILD 9         /* wildcards in one glob: $1..$9 */

struct glob_cap {               /* what one wildcard matched: name[off..] */
	size_t off, len;
};
/* Does glob match the whole name?  (No, when it has too many wildcards.) */
int glob_match(const char *glob, const char *name);
/* The same for a glob that passed glob_problem; caps[0..wildcards) get
 * what each wildcard matched. */
int glob_match_caps(const char *glob, const char *name, struct glob_cap *caps);
/* Number of '*' / '**' wildcards (each is one capture). */
int glob_wildcards(const char *glob);
/* Why a glob cannot match a root-relative name ("it is absolute; ..."),
 * or NULL. */
const char *glob_problem(const char *glob);

/* ---- config.c: pkginit.yaml --------------------------------------------- */

#define CONFIG_FILE "pkginit.yaml"

struct config_rule {            /* files matching a glob are package ... */
	char **globs;           /* root-relative names, '*' '**' '?' */
	size_t nglobs;
	char *package;          /* may name captures: $1 is the first
				   wildcard's match */
	struct loc at;          /* the rule in the file */
};

struct config {
	char *path;             /* the file, or NULL when there is none */
	char **roots;           /* paths from the current directory */
	size_t nroots;
	struct config_rule *rules;      /* first match wins */
	size_t nrules;
	char **exclude;         /* globs: files that belong to no package */
	size_t nexclude;
	const char *order;      /* one of order_mode_names, or NULL */
	const char *deps;       /* one of deps_mode_names, or NULL */
	char *lock;             /* path from the current directory, or NULL */
};

/* Read path; 0, or one error at file:line:col and EXIT_INPUT. */
int config_load(struct config *c, const char *path);
/* given (--config), else ./pkginit.yaml when it exists, else an empty
 * configuration (path NULL). */
int config_find(struct config *c, const char *given);
void config_free(struct config *c);
/* The package of a root-relative file name: 1 and *package (allocated),
 * 0 when excluded (no package), -1 when a rule gives an invalid package
 * path (*package is that path, *rule_at the rule).  c may be NULL. */
int config_package(const struct config *c, const char *name, char **package,
		   struct loc *rule_at);
/* The name of absolute path abs under the innermost of the (absolute)
 * roots that holds it, or NULL: what config_package takes. */
char *config_root_name(const char *abs, const char *const *absroots,
		       size_t nroots);
/* Add what of c shapes scan records (rules, exclusions) to h. */
void config_fingerprint(const struct config *c, struct hash_ctx *h);


/* ---- compdb.c: compile_commands.json ------------------------------------ */

struct compdb_cmd {
	char *file;             /* as the entry names it */
	char *directory;        /* its working directory, as a path from
				   the current directory */
	char **args;            /* flags for libclang: without the compiler,
				   -c, -o OUT, the file, depfile flags */
	size_t nargs;
	struct loc at;          /* the entry in the JSON file */
};

struct compdb {
	char *path;             /* the JSON file */
	struct compdb_cmd *cmds;        /* in file order */
	size_t ncmds;
};

/* Read a compilation database: is_dir, path/compile_commands.json (-p),
 * else the file path (--compdb).  Returns 0, or prints errors at
 * file:line:col and returns EXIT_INPUT. */
int compdb_load(struct compdb *db, const char *path, int is_dir);
void compdb_free(struct compdb *db);
/* Check the JSON of a database (syntax, and the shape of each entry);
 * entries (when not NULL) gets where each entry starts.  0 or
 * EXIT_INPUT after one error. */
int compdb_check_json(const char *path, const char *buf, size_t len,
		      struct loc **entries, size_t *nentries);
/* What makes two entries the same scan: the file (abs, its absolute
 * path), the directory and the flags, as one string (allocated). */
char *compdb_cmd_key(const struct compdb_cmd *c, const char *abs);
/* A database entry's argv without what libclang must not see. */
char **compdb_strip_args(const char *const *argv, size_t argc,
			 const char *file, const char *directory, size_t *nout);

/* ---- filehash.c: each file's signature and hash, once per process ------- */

#include <sys/types.h>

/* What a file looked like: what changes whenever its contents do. */
struct filehash_sig {
	dev_t dev;
	ino_t ino;
	off_t size;
	struct timespec mtime, ctime;
};

/* One file, as this process has seen it: its signature now (stat), and
 * the hash of its contents, each found out on first need. */
struct filehash_file {
	int statted, stat_exists;       /* stat'ed; a regular file then */
	struct filehash_sig now;
	int hashed, exists;             /* read; a readable regular file */
	struct filehash_sig sig;        /* when hashed */
	int sig_safe;           /* sig was already old when hashed, so a
				   later write must change it */
	unsigned char hash[HASH_SIZE];
};

struct filehash;                /* the table; safe for several threads */
struct stat;
struct filehash *filehash_new(void);
void filehash_free(struct filehash *t);
/* The file as this process first saw it: with hash, its contents' hash
 * (and signature then), else its signature now. */
struct filehash_file filehash_get(struct filehash *t, const char *path,
				  int hash);
/* Which file path is (device and inode), when this process has already
 * seen it as a regular file: 1 and *dev, *ino; else 0, and nothing is
 * looked up. */
int filehash_ident(struct filehash *t, const char *path, dev_t *dev, ino_t *ino);
/* How many files had their contents read. */
unsigned filehash_hashed(struct filehash *t);
void filehash_sig_of(const struct stat *st, struct filehash_sig *s);
int filehash_sig_same(const struct filehash_sig *a,
		      const struct filehash_sig *b);
int filehash_before(struct timespec a, struct timespec b);    /* a < b */

/* ---- cache.c: the scan cache -------------------------------------------- */

#define CACHE_DIR ".pkginit-cache"

struct cache_stats {
	unsigned hits, misses, stored, corrupt, unstable;
	unsigned hashed;        /* files whose contents were hashed */
};

struct cache;
/* Open (creating) the cache directory; NULL with a warning when it
 * cannot be used (then scan without it).  files is the table of what
 * each file looks like that the cache uses and the caller frees after
 * cache_close (the caller's output check asks it too). */
struct cache *cache_open(const char *dir, struct filehash *files);
void cache_close(struct cache *c);
struct cache_stats cache_stats(const struct cache *c);
/* The key of scanning file with o (see cache.c for what it covers). */
void cache_key(const struct cache *c, const char *file,
	       const struct scan_opts *o, unsigned char key[HASH_SIZE]);
/* 1 and *r when a valid entry matches the files as they are now; else 0
 * (a corrupt entry is reported and deleted).  With text, the record is
 * not decoded: its YAML (record_text's bytes) is appended to *text and
 * only r->tu and r->deps are filled. */
int cache_get(struct cache *c, const unsigned char key[HASH_SIZE],
	      struct scan_record *r, struct strbuf *text);
/* Store r, scanned from started on (CLOCK_REALTIME_COARSE), unless a file
 * it read changed since (then nothing is stored); text is its YAML when
 * the caller has it already (else NULL: printed here). */
void cache_put(struct cache *c, const unsigned char key[HASH_SIZE],
	       const struct scan_record *r, const struct strbuf *text,
	       struct timespec started);

#endif /* PKGINIT_TOOL_H */
