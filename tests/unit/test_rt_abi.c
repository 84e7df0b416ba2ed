/*
 * test_rt_abi.c - the init table ABI (pkgrt.h): the layout that generated
 * tables repeat without including the header, and the versioned symbol.
 */
#include "unittest.h"

/* The structures exactly as a generated table spells them (it is compiled
 * with no -I, so it cannot include pkgrt.h). */
typedef void gen_initfn(void);
struct gen_inittask {
	unsigned int state;
	unsigned int nfns;
	const char *path;
	gen_initfn *const *fns;
	const char *const *names;
	const unsigned char *kinds;
};
struct gen_inittab {
	const char *abi;
	unsigned int ntasks;
	struct gen_inittask *tasks;
};

#define SAME(a, b, f) (offsetof(struct a, f) == offsetof(struct b, f))

static void
test_layout(void **state)
{
	(void)state;
	/* x86-64 / LP64: fixed byte offsets, which version 2 promises */
	assert_int_equal(offsetof(struct pkgrt_inittask, state), 0);
	assert_int_equal(offsetof(struct pkgrt_inittask, nfns), 4);
	assert_int_equal(offsetof(struct pkgrt_inittask, path), 8);
	assert_int_equal(offsetof(struct pkgrt_inittask, fns), 16);
	assert_int_equal(offsetof(struct pkgrt_inittask, names), 24);
	assert_int_equal(offsetof(struct pkgrt_inittask, kinds), 32);
	assert_int_equal(sizeof(struct pkgrt_inittask), 40);
	assert_int_equal(offsetof(struct pkgrt_inittab, abi), 0);
	assert_int_equal(offsetof(struct pkgrt_inittab, ntasks), 8);
	assert_int_equal(offsetof(struct pkgrt_inittab, tasks), 16);
	assert_int_equal(sizeof(struct pkgrt_inittab), 24);
	/* and the generated copy agrees with the header */
	assert_true(SAME(pkgrt_inittask, gen_inittask, state));
	assert_true(SAME(pkgrt_inittask, gen_inittask, nfns));
	assert_true(SAME(pkgrt_inittask, gen_inittask, path));
	assert_true(SAME(pkgrt_inittask, gen_inittask, fns));
	assert_true(SAME(pkgrt_inittask, gen_inittask, names));
	assert_true(SAME(pkgrt_inittask, gen_inittask, kinds));
	assert_int_equal(sizeof(struct pkgrt_inittask), sizeof(struct gen_inittask));
	assert_true(SAME(pkgrt_inittab, gen_inittab, abi));
	assert_true(SAME(pkgrt_inittab, gen_inittab, ntasks));
	assert_true(SAME(pkgrt_inittab, gen_inittab, tasks));
	assert_int_equal(sizeof(struct pkgrt_inittab), sizeof(struct gen_inittab));
}

#define STR_(x) #x
#define STR(x) STR_(x)

static void
test_abi_symbol(void **state)
{
	(void)state;
	assert_int_equal(PKGRT_ABI_VERSION, 2);
	assert_string_equal(STR(PKGRT_ABI_SYMBOL), "pkgrt_abi_v" STR(PKGRT_ABI_VERSION));
	assert_int_equal(PKGRT_TASK_UNINITIALIZED, 0);
	assert_int_equal(PKGRT_TASK_RUNNING, 1);
	assert_int_equal(PKGRT_TASK_DONE, 2);
	assert_int_equal(PKGRT_INITFN_VOID, 0);
	assert_int_equal(PKGRT_INITFN_INT, 1);
	/* the runtime defines it (else this would not link) */
	assert_string_equal(PKGRT_ABI_SYMBOL, "pkgrt init table ABI 2");
}

static int ran;
static void f1(void) { ran++; }
static int f2(void) { ran += 10; return 0; }
static gen_initfn *const fns[] = {f1};
static const char *const names[] = {"f1"};
/* As the generated table spells an int function: converted, and kind 1. */
static gen_initfn *const fns2[] = {f1, (void (*)(void))f2};
static const char *const names2[] = {"f1", "f2"};
static const unsigned char kinds2[] = {0, 1};
static struct gen_inittask gtasks[] = {{0, 1, "p", fns, names, 0},
				       {0, 2, "q", fns2, names2, kinds2}};

/* A table in the generated form works with the runtime's doInit. */
static void
test_generated_form(void **state)
{
	extern const char pkgrt_abi_v2[];
	const struct gen_inittab gtab = {pkgrt_abi_v2, 2, gtasks};
	(void)state;

	assert_ptr_equal(gtab.abi, PKGRT_ABI_SYMBOL);
	doInit((const struct pkgrt_inittab *)&gtab);
	assert_int_equal(ran, 12);
	assert_int_equal(gtasks[0].state, 2);
	assert_int_equal(gtasks[1].state, 2);
}

int
main(int argc, char **argv, char **envp)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_layout),
		cmocka_unit_test(test_abi_symbol),
		cmocka_unit_test(test_generated_form),
	};

	rt_setup(argc, argv, envp);
	return cmocka_run_group_tests_name("runtime table ABI", tests, NULL, NULL);
}
