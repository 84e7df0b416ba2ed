/*
 * asm_arm64.S - start-up and goroutine switching on arm64 (Go: asm_arm64.s).
 *
 * The same five routines as asm_amd64.S, with the same contracts (read that
 * file's comment first): __wrap_main (runtime.rt0_go without libc), gosave,
 * gogo, mcall and goexit.
 *
 * Registers (AAPCS64).  Arguments and results in x0-x7; x8 the system
 * call number; x9-x15 temporaries; x16/x17 (IP0/IP1) scratch for veneers,
 * which we use to hold a jump target; x18 the platform register (left
 * alone); x19-x28 callee-saved; x29 the frame pointer; x30 the link
 * register (lr): `bl` puts the return address there, `ret` jumps to it;
 * sp must be 16-byte aligned whenever it is used to access memory.  The
 * callee-saved set, what a gobuf holds beside sp and pc, is x19-x29, sp
 * and the low 64 bits of v8-v15 (d8-d15).  x30 need not be kept: a call
 * clobbers it.  But a new goroutine's function gets its return address in
 * x30, not on the stack, so a gobuf also has lr, which gogo loads.
 *
 * Unwinding.  The CFI is asm_amd64.S's with arm64's registers.  The
 * return address column is x30; DWARF register numbers: x0-x30 are 0-30,
 * sp 31, d8-d15 72-79.  The expressions:
 *
 *   DW_CFA_def_cfa_expression 0x0f    CFA = value of the expression
 *   DW_CFA_expression         0x10    register saved at address = expression
 *   DW_OP_breg19 / DW_OP_breg31 0x83 / 0x8f   x19 / sp + signed LEB offset
 *   DW_OP_deref               0x06    load 8 bytes
 *   DW_OP_plus_uconst         0x23    add unsigned LEB constant
 *
 * with offsets as two-byte LEB128, so every expression has a fixed length
 * (signed for DW_OP_breg*, unsigned for DW_OP_plus_uconst: the same bytes
 * for 0 <= v < 8192, which CHECK_LEB2 makes sure of; asm_amd64.S).
 *
 * AAPCS64 also makes FPCR (rounding, flush-to-zero) callee-saved across a
 * call; a gobuf does not hold it, as on amd64 MXCSR: one state per thread
 * that both sides of a switch share and neither changes.
 *
 * The current g is thread-local (runtime.h): tpidr_el0 plus its offset,
 * fixed at link time (local-exec TLS); without libc a plain variable.
 */
#include "runtime.h"

#define LEB2(v)	(((v) & 0x7f) | 0x80), (((v) >> 7) & 0x7f)
	.macro	CHECK_LEB2 v
	.if (\v) < 0 || (\v) >= 8192
	.error "a CFI offset does not fit in a two-byte LEB128 that is both signed and unsigned"
	.endif
	.endm
	CHECK_LEB2 g_sched+gobuf__size
	CHECK_LEB2 gobuf__size

/* gobuf offsets of x19-x28 and d8-d15 */
#define GOBUF_X(n)	(gobuf_x19 + 8 * ((n) - 19))
#define GOBUF_D(n)	(gobuf_d8 + 8 * ((n) - 8))

/* "register r is saved at *(sp) + off": sp points at a gobuf pointer. */
#define CFI_VIA_SP_GOBUF(r, off) \
	.cfi_escape 0x10, r, 6, 0x8f, 0x00, 0x06, 0x23, LEB2(off)
/* "register r is saved at x19 + off": x19 holds the g. */
#define CFI_VIA_X19(r, off) \
	.cfi_escape 0x10, r, 3, 0x83, LEB2(off)
/* "register r cannot be recovered" (the offset is not used). */
#define CFI_UNDEFINED(r, off) \
	.cfi_undefined r

/* A hidden function of the runtime (Go: TEXT runtime·name(SB)). */
#define TEXT(name) \
	.globl name; .hidden name; .type name, %function; name:

/* reg = &runtime.tlsg, this thread's. */
#ifdef PKGRT_NOLIBC
#define TLSG_ADDR(reg) \
	adrp	reg, runtime.tlsg; \
	add	reg, reg, :lo12:runtime.tlsg
#else
#define TLSG_ADDR(reg) \
	mrs	reg, tpidr_el0; \
	add	reg, reg, #:tprel_hi12:runtime.tlsg; \
	add	reg, reg, #:tprel_lo12_nc:runtime.tlsg
#endif
/* Load the current g (runtime.tlsg) into reg. */
#define LOAD_G(reg) \
	TLSG_ADDR(reg); \
	ldr	reg, [reg]

/* RULE(dwarf register, offset + its slot in a gobuf) for x19-x28 and
 * d8-d15 (DWARF 72-79): the unwind rules of mcall and goexit. */
#define CFI_X19_D15(RULE, off) \
	RULE(19, off + GOBUF_X(19)); RULE(20, off + GOBUF_X(20)); \
	RULE(21, off + GOBUF_X(21)); RULE(22, off + GOBUF_X(22)); \
	RULE(23, off + GOBUF_X(23)); RULE(24, off + GOBUF_X(24)); \
	RULE(25, off + GOBUF_X(25)); RULE(26, off + GOBUF_X(26)); \
	RULE(27, off + GOBUF_X(27)); RULE(28, off + GOBUF_X(28)); \
	RULE(72, off + GOBUF_D(8)); RULE(73, off + GOBUF_D(9)); \
	RULE(74, off + GOBUF_D(10)); RULE(75, off + GOBUF_D(11)); \
	RULE(76, off + GOBUF_D(12)); RULE(77, off + GOBUF_D(13)); \
	RULE(78, off + GOBUF_D(14)); RULE(79, off + GOBUF_D(15))

/*
 * STORE_CALLEE base, off: store x19-x28 and d8-d15, as they are now, in
 * the gobuf at base + off (gosave: the buf; mcall: g->sched).  Pairs
 * (stp) of neighbouring slots; every offset is 8-byte aligned.
 */
	.macro	STORE_CALLEE base, off
	stp	x19, x20, [\base, #\off + GOBUF_X(19)]	// x19-x28: the caller's callee-saved registers
	stp	x21, x22, [\base, #\off + GOBUF_X(21)]
	stp	x23, x24, [\base, #\off + GOBUF_X(23)]
	stp	x25, x26, [\base, #\off + GOBUF_X(25)]
	stp	x27, x28, [\base, #\off + GOBUF_X(27)]
	stp	d8, d9, [\base, #\off + GOBUF_D(8)]	// d8-d15: the low halves of v8-v15
	stp	d10, d11, [\base, #\off + GOBUF_D(10)]
	stp	d12, d13, [\base, #\off + GOBUF_D(12)]
	stp	d14, d15, [\base, #\off + GOBUF_D(14)]
	.endm

	.text

/*
 * int __wrap_main(int argc, char **argv, char **envp)
 *
 * libc's call to main, renamed by -Wl,--wrap=main: Go's rt0_go from
 * "BL runtime·args(SB)" on.  It runs on the OS stack, which becomes g0's
 * stack, and never returns.  On entry: x0 = argc, x1 = argv, x2 = envp,
 * exactly the arguments of args(); x30 = the return address into libc.
 * Without libc (PKGRT_NOLIBC) _rt0_arm64_linux calls it as runtime.rt0_go.
 */
#ifdef PKGRT_NOLIBC
#define __wrap_main runtime.rt0_go
	.hidden	runtime.rt0_go
#endif
	.globl	__wrap_main
	.type	__wrap_main, %function
__wrap_main:
	.cfi_startproc
#ifndef PKGRT_NOLIBC
	// Called again, by the program itself (main calling main from another
	// file): the start-up is done; be main.  x0-x2 are its arguments, x30
	// the caller's return address: a tail branch.
	adrp	x9, runtime.mainstarted
	ldrb	w10, [x9, :lo12:runtime.mainstarted]	// w10 = 1 once start-up has begun
	cbnz	w10, 9f
	mov	w10, #1
	strb	w10, [x9, :lo12:runtime.mainstarted]	// the first call: from libc
#endif
	stp	x29, x30, [sp, #-16]!		// a frame record (fp, lr); sp stays 16-byte aligned
	.cfi_def_cfa_offset 16
	.cfi_offset x29, -16
	.cfi_offset x30, -8
	mov	x29, sp				// x29 = our frame record, for frame-pointer walkers
	.cfi_def_cfa_register x29
	bl	runtime.args			// args(argc, argv, envp): x0, x1, x2 untouched so far
	bl	runtime.osinit			// ncpu, physPageSize
	bl	runtime.schedinit		// m0, g0, debug variables, P array
	// create a new goroutine to start the program
	adrp	x0, runtime.main		// x0 = runtime.main, what g1 will run (pc-relative)
	add	x0, x0, :lo12:runtime.main
	bl	runtime.newproc			// g1, with its own stack, made runnable
	// start this M
	bl	runtime.mstart			// schedule, gogo to g1: never returns
	brk	#0				// mstart returned (Go: the crash after it)
#ifndef PKGRT_NOLIBC
9:	b	__real_main			// (the frame record was not pushed on this path)
#endif
	.cfi_endproc
	.size	__wrap_main, .-__wrap_main

/*
 * uintptr_t gosave(struct gobuf *buf)
 *
 * Save the caller's state in buf, as if it had just returned from this
 * call; return 0.  gogo(buf) later returns from it again, with 1.
 * A leaf: no frame, so sp and x30 are still the caller's.
 */
TEXT(runtime.gosave)
	.cfi_startproc
	mov	x1, sp				// x1 = the caller's sp (the same once we have returned)
	str	x1, [x0, #gobuf_sp]
	str	x30, [x0, #gobuf_pc]		// x30 = our return address: where the caller continues
	str	x30, [x0, #gobuf_lr]		// and what x30 holds after a return
	LOAD_G(x1)				// x1 = the current g
	str	x1, [x0, #gobuf_g]
	mov	x1, #1
	str	x1, [x0, #gobuf_ret]		// when gogo continues here, x0 (the result) is 1
	str	x29, [x0, #gobuf_bp]		// the callee-saved registers, as the caller has them
	STORE_CALLEE x0, 0
	mov	x0, #0				// this time gosave returns 0
	ret					// to x30
	.cfi_endproc
	.size	runtime.gosave, .-runtime.gosave

/*
 * void gogo(struct gobuf *buf)
 *
 * Restore state from buf; longjmp.  The current g becomes buf->g.
 */
TEXT(runtime.gogo)
	.cfi_startproc
	ldr	x1, [x0, #gobuf_g]		// x1 = the goroutine we switch to
	TLSG_ADDR(x2)				// x2 = &tlsg
	str	x1, [x2]			// it is now the current g (Go: MOVD R6, g)
	ldp	x19, x20, [x0, #GOBUF_X(19)]	// its callee-saved registers; the caller's are gone:
	ldp	x21, x22, [x0, #GOBUF_X(21)]	// gogo never returns to it
	ldp	x23, x24, [x0, #GOBUF_X(23)]
	ldp	x25, x26, [x0, #GOBUF_X(25)]
	ldp	x27, x28, [x0, #GOBUF_X(27)]
	ldp	d8, d9, [x0, #GOBUF_D(8)]
	ldp	d10, d11, [x0, #GOBUF_D(10)]
	ldp	d12, d13, [x0, #GOBUF_D(12)]
	ldp	d14, d15, [x0, #GOBUF_D(14)]
	CFI_X19_D15(CFI_UNDEFINED, 0)		// (all of them: x19-x28, d8-d15)
	ldr	x29, [x0, #gobuf_bp]		// its frame pointer
	.cfi_undefined x29
	ldr	x30, [x0, #gobuf_lr]		// its lr: for a new goroutine, fn's return address goexit+4
	.cfi_undefined x30			// and we are no longer in a frame that was called
	ldr	x16, [x0, #gobuf_pc]		// x16 = where it continues
	ldr	x1, [x0, #gobuf_sp]
	mov	sp, x1				// sp = its stack: from here we are on the goroutine's stack
	ldr	x0, [x0, #gobuf_ret]		// x0 = what its gosave/mcall call returns (buf no longer needed)
	br	x16				// continue it at its pc
	.cfi_endproc
	.size	runtime.gogo, .-runtime.gogo

/*
 * void mcall(void (*fn)(struct g *))
 *
 * Switch to m->g0's stack, call fn(g).  fn must never return.  It should
 * gogo(&g->sched) to keep running g.  x0 = fn on entry.  As on amd64,
 * only goexit1 calls it in a program, which never happens (runtime.main
 * exits); the unit tests and the benchmark run it.
 */
TEXT(runtime.mcall)
	.cfi_startproc
	LOAD_G(x1)				// x1 = g, the goroutine calling us
	// save state in g->sched, as if mcall had returned
	mov	x2, sp				// x2 = caller's sp (we have no frame)
	str	x2, [x1, #g_sched+gobuf_sp]
	str	x30, [x1, #g_sched+gobuf_pc]	// the caller's pc: our return address
	str	x30, [x1, #g_sched+gobuf_lr]
	str	xzr, [x1, #g_sched+gobuf_ret]	// when g continues, mcall returns 0
	str	x29, [x1, #g_sched+gobuf_bp]
	STORE_CALLEE x1, g_sched
	mov	x19, x1				// x19 = g from now on: fn keeps x19 (callee-saved), so
						// an unwinder in fn finds g, and g->sched, through it
	// From here the caller's frame is described by g->sched.
	.cfi_escape 0x0f, 4, 0x83, LEB2(g_sched+gobuf_sp), 0x06	// CFA = g->sched.sp
	CFI_VIA_X19(30, g_sched+gobuf_pc)	// x30 (the return address) at &g->sched.pc
	CFI_VIA_X19(29, g_sched+gobuf_bp)	// x29 at &g->sched.bp
	CFI_X19_D15(CFI_VIA_X19, g_sched)	// x19-x28, d8-d15 at g->sched.x[], .d[]
	// switch to m->g0 & its stack, call fn
	ldr	x2, [x19, #g_m]			// x2 = g->m
	ldr	x3, [x2, #m_g0]			// x3 = m->g0
	cmp	x3, x19				// if g == m->g0 call badmcall
	b.eq	1f
	TLSG_ADDR(x4)				// x4 = &tlsg
	str	x3, [x4]			// g0 is the current g
	ldr	x4, [x3, #g_sched+gobuf_sp]	// x4 = g0->sched.sp: where mstart left g0's stack
	mov	sp, x4				// onto g0's stack
	mov	x29, #0				// no frame-pointer chain back into g's stack
	mov	x16, x0				// x16 = fn
	mov	x0, x19				// x0 = g, fn's argument
	blr	x16				// fn(g)
	bl	runtime.badmcall2		// fn returned
1:	bl	runtime.badmcall
	.cfi_endproc
	.size	runtime.mcall, .-runtime.mcall

/*
 * goexit: the return address of every goroutine's function.
 *
 * newproc puts goexit+4 (Go: goexit+PCQuantum) in the new goroutine's lr,
 * so an unwinder, which looks up return address - 1, lands inside goexit;
 * if fn returns, goexit finishes the goroutine (goexit1).  At goexit,
 * [sp] holds &m->g0->sched (newproc put it there; fn has popped its frame
 * and sp is back at stack.hi - 16): goexit's caller, for an unwinder, is
 * g0 at the place mstart saved with gosave.
 */
TEXT(runtime.goexit)
	.cfi_startproc
	.cfi_escape 0x0f, 7, 0x8f, 0x00, 0x06, 0x23, LEB2(gobuf_sp), 0x06	// CFA = g0sched->sp
	CFI_VIA_SP_GOBUF(30, gobuf_pc)		// x30 (the return address) at &g0sched->pc
	CFI_VIA_SP_GOBUF(29, gobuf_bp)		// x29, x19-x28, d8-d15 in g0sched too
	CFI_X19_D15(CFI_VIA_SP_GOBUF, 0)
	nop					// goexit+0; fn returns to goexit+4, the next instruction
	bl	runtime.goexit1			// finish the goroutine; does not return
	brk	#0
	.cfi_endproc
	.size	runtime.goexit, .-runtime.goexit

#ifndef PKGRT_NOLIBC
	// Set by the first call of __wrap_main: start-up has begun.
	.bss
	.balign	8
ASM_BSS_WORD(runtime.mainstarted)
#endif

	.section .note.GNU-stack,"",%progbits
