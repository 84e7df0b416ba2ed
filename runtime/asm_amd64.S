/*
 * asm_amd64.S - start-up and goroutine switching (Go: asm_amd64.s).
 *
 * Go's rt0_go calls args, osinit, schedinit, newproc(runtime.main) and
 * mstart, on the OS stack.  Here libc has started the process and calls
 * main; the link renames that call to __wrap_main, which is our rt0_go.
 * Every other call to main from another object file is renamed too (a
 * program may call its own main): after start-up, __wrap_main is just a
 * jump to the program's main.
 *
 * A goroutine is a stack plus its saved registers (struct gobuf).  Three
 * small routines move between g0 (the OS thread's stack, where the
 * scheduler runs) and a goroutine:
 *
 *   gosave(buf)  save the caller's registers in buf; return 0.  A later
 *                gogo(buf) continues after the call, and gosave returns 1
 *                (setjmp).  mstart uses it to record g0's stack.
 *   gogo(buf)    load the registers saved in buf, jump to buf->pc: switch
 *                to that goroutine (longjmp).  Does not return.
 *   mcall(fn)    from a goroutine: save its registers in g->sched, switch
 *                to g0's stack and call fn(g) there.  fn does not return;
 *                it continues g with gogo(&g->sched) (then mcall returns
 *                in g) or runs something else.
 *
 * The registers a gobuf holds are the ones C promises to keep across a
 * call (System V psABI): rsp, rbp, rbx, r12-r15, plus the pc to continue
 * at.  Everything else is caller-saved, so a switch that looks like a call
 * to C code need not keep it.  The psABI also makes the control bits of
 * MXCSR and the x87 control word (rounding, exception masks) callee-
 * saved; a gobuf does not hold them, as glibc's jmp_buf does not: they
 * are one state per thread that both sides of a switch share, and
 * neither the runtime nor the switch changes them (Go's gogo does not
 * keep them either).  What the program sets on g1 is what g0 has too.
 *
 * The current g is thread-local (runtime.h): %fs:runtime.tlsg@tpoff, its
 * offset from the thread pointer, fixed at link time (local-exec; the
 * runtime is always in the executable).  Without libc nothing sets up %fs,
 * and there is one thread: a plain variable.
 *
 * Unwinding.  Each routine has CFI (.cfi_*) so that gdb's `bt`, libgcc's
 * unwinder and backtrace(3) can walk across the switch: from the user's main
 * on g1 through runtime.main and runtime.goexit (at the top of g1's stack)
 * into g0's frames (mstart, __wrap_main, libc) and down to _start.  The rule
 * at goexit says "the caller's registers are the ones in g0->sched", with
 * DWARF expressions (.cfi_escape) since they are in memory, not on this
 * stack.  The bytes:
 *
 *   DW_CFA_def_cfa_expression 0x0f    CFA = value of the expression
 *   DW_CFA_expression         0x10    register saved at address = expression
 *   DW_OP_breg3 / DW_OP_breg7 0x73 / 0x77   rbx / rsp + signed LEB offset
 *   DW_OP_deref               0x06    load 8 bytes
 *   DW_OP_plus_uconst         0x23    add unsigned LEB constant
 *
 * DWARF register numbers: rbx 3, rbp 6, rsp 7, r12-r15 12-15, rip 16.
 * Offsets are written as two-byte LEB128 (padded encodings are valid), so
 * every expression has a fixed length.  The same two bytes serve both
 * encodings: DW_OP_breg* takes a signed LEB128, DW_OP_plus_uconst an
 * unsigned one, and for 0 <= v < 8192 they agree (bit 6 of the second
 * byte, the sign, is 0).  Every offset here is below 300; CHECK_LEB2
 * stops the build if one ever is not.
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

#ifdef PKGRT_NOLIBC
#define TLSG	runtime.tlsg(%rip)		/* no threads: a plain variable */
#else
#define TLSG	%fs:runtime.tlsg@tpoff		/* this thread's g (local-exec TLS) */
#endif

/* "register r is saved at *(rsp) + off": rsp points at a gobuf pointer. */
#define CFI_VIA_RSP_GOBUF(r, off) \
	.cfi_escape 0x10, r, 6, 0x77, 0x00, 0x06, 0x23, LEB2(off)
/* "register r is saved at rbx + off": rbx holds the g. */
#define CFI_VIA_RBX(r, off) \
	.cfi_escape 0x10, r, 3, 0x73, LEB2(off)

	.text

/*
 * int __wrap_main(int argc, char **argv, char **envp)
 *
 * libc's call to main, renamed by -Wl,--wrap=main.  This is Go's rt0_go
 * from "CALL runtime·args(SB)" on.  It runs on the OS stack, which becomes
 * g0's stack, and never returns: runtime.main exits the process.
 *
 * On entry: rdi = argc, rsi = argv, rdx = envp (from libc), exactly the
 * arguments of args().  rsp = 8 mod 16 (a return address was pushed).
 *
 * Without libc (PKGRT_NOLIBC) nothing calls main: the same code is
 * runtime.rt0_go, which _rt0_amd64_linux calls with the same arguments.
 */
#ifdef PKGRT_NOLIBC
#define __wrap_main runtime.rt0_go
	.hidden	runtime.rt0_go
#endif
	.globl	__wrap_main
	.type	__wrap_main, @function
__wrap_main:
	.cfi_startproc
#ifndef PKGRT_NOLIBC
	// Called again, by the program itself (main calling main from another
	// file): the start-up is done; be main.  rdi, rsi, rdx are its arguments,
	// the return address is the caller's: a tail jump.
	cmpb	$0, runtime.mainstarted(%rip)
	jne	__real_main
	movb	$1, runtime.mainstarted(%rip)	// the first call: from libc
#endif
	pushq	%rbp			// a frame: rsp is now 16-byte aligned for the calls
	.cfi_def_cfa_offset 16
	.cfi_offset rbp, -16
	movq	%rsp, %rbp		// rbp = our frame, for frame-pointer walkers
	.cfi_def_cfa_register rbp
	call	runtime.args		// args(argc, argv, envp): rdi, rsi, rdx untouched so far
	call	runtime.osinit		// ncpu, physPageSize
	call	runtime.schedinit	// m0, g0, debug variables, P array
	// create a new goroutine to start the program
	leaq	runtime.main(%rip), %rdi	// rdi = runtime.main, what g1 will run
	call	runtime.newproc		// g1, with its own stack, made runnable
	// start this M
	call	runtime.mstart		// schedule, gogo to g1: never returns
	ud2				// mstart returned (Go: CALL runtime·abort(SB))
	.cfi_endproc
	.size	__wrap_main, .-__wrap_main

/*
 * uintptr_t gosave(struct gobuf *buf)
 *
 * Save the caller's state in buf, as if it had just returned from this
 * call; return 0.  gogo(buf) later returns from it again, with 1.
 * (Go's mstart1 does this with getcallerpc/getcallersp; old Go had gosave.)
 */
	.globl	runtime.gosave
	.hidden	runtime.gosave
	.type	runtime.gosave, @function
runtime.gosave:
	.cfi_startproc
	movq	(%rsp), %rcx		// rcx = our return address: where the caller continues
	movq	%rcx, gobuf_pc(%rdi)
	leaq	8(%rsp), %rcx		// rcx = the caller's rsp once we have returned
	movq	%rcx, gobuf_sp(%rdi)
	movq	TLSG, %rcx		// rcx = the current g
	movq	%rcx, gobuf_g(%rdi)
	movq	$1, gobuf_ret(%rdi)	// when gogo continues here, rax (the result) is 1
	movq	%rbp, gobuf_bp(%rdi)	// the callee-saved registers, as the caller has them
	movq	%rbx, gobuf_bx(%rdi)
	movq	%r12, gobuf_r12(%rdi)
	movq	%r13, gobuf_r13(%rdi)
	movq	%r14, gobuf_r14(%rdi)
	movq	%r15, gobuf_r15(%rdi)
	xorl	%eax, %eax		// this time gosave returns 0
	ret
	.cfi_endproc
	.size	runtime.gosave, .-runtime.gosave

/*
 * void gogo(struct gobuf *buf)
 *
 * Restore state from buf; longjmp.  The current g becomes buf->g.
 */
	.globl	runtime.gogo
	.hidden	runtime.gogo
	.type	runtime.gogo, @function
runtime.gogo:
	.cfi_startproc
	movq	gobuf_g(%rdi), %rax	// rax = the goroutine we switch to
	movq	%rax, TLSG		// it is now the current g (Go: MOVQ DX, g(CX))
	movq	gobuf_bx(%rdi), %rbx	// its callee-saved registers; the caller's are gone:
	.cfi_undefined rbx		// gogo never returns to it
	movq	gobuf_r12(%rdi), %r12
	.cfi_undefined r12
	movq	gobuf_r13(%rdi), %r13
	.cfi_undefined r13
	movq	gobuf_r14(%rdi), %r14
	.cfi_undefined r14
	movq	gobuf_r15(%rdi), %r15
	.cfi_undefined r15
	movq	gobuf_bp(%rdi), %rbp	// its frame pointer
	.cfi_undefined rbp
	movq	gobuf_ret(%rdi), %rax	// rax = what its gosave/mcall call returns
	movq	gobuf_sp(%rdi), %rsp	// rsp = its stack: from here we are on the goroutine's stack
	.cfi_undefined rip		// and no longer in a frame that was called
	jmp	*gobuf_pc(%rdi)		// continue it at its pc (rdi still points at buf)
	.cfi_endproc
	.size	runtime.gogo, .-runtime.gogo

/*
 * void mcall(void (*fn)(struct g *))
 *
 * Switch to m->g0's stack, call fn(g).  fn must never return.  It should
 * gogo(&g->sched) to keep running g.  In a program only goexit1 calls it,
 * and only if runtime.main returned, which it never does (it exits): so
 * it never runs there; the unit tests and the benchmark's round trip run it.
 */
	.globl	runtime.mcall
	.hidden	runtime.mcall
	.type	runtime.mcall, @function
runtime.mcall:
	.cfi_startproc
	movq	TLSG, %rax		// rax = g, the goroutine calling us
	// save state in g->sched, as if mcall had returned
	movq	(%rsp), %rcx		// rcx = caller's pc (our return address)
	movq	%rcx, g_sched+gobuf_pc(%rax)
	leaq	8(%rsp), %rcx		// rcx = caller's sp after the return
	movq	%rcx, g_sched+gobuf_sp(%rax)
	movq	$0, g_sched+gobuf_ret(%rax)
	movq	%rbp, g_sched+gobuf_bp(%rax)
	movq	%rbx, g_sched+gobuf_bx(%rax)
	movq	%r12, g_sched+gobuf_r12(%rax)
	movq	%r13, g_sched+gobuf_r13(%rax)
	movq	%r14, g_sched+gobuf_r14(%rax)
	movq	%r15, g_sched+gobuf_r15(%rax)
	movq	%rax, %rbx		// rbx = g from now on: fn keeps rbx (callee-saved), so
					// an unwinder in fn finds g, and g->sched, through it
	// From here the caller's frame is described by g->sched.
	.cfi_escape 0x0f, 4, 0x73, LEB2(g_sched+gobuf_sp), 0x06	// CFA = g->sched.sp
	CFI_VIA_RBX(16, g_sched+gobuf_pc)	// rip at &g->sched.pc
	CFI_VIA_RBX(6, g_sched+gobuf_bp)	// rbp at &g->sched.bp
	CFI_VIA_RBX(3, g_sched+gobuf_bx)	// rbx at &g->sched.bx
	CFI_VIA_RBX(12, g_sched+gobuf_r12)
	CFI_VIA_RBX(13, g_sched+gobuf_r13)
	CFI_VIA_RBX(14, g_sched+gobuf_r14)
	CFI_VIA_RBX(15, g_sched+gobuf_r15)
	// switch to m->g0 & its stack, call fn
	movq	g_m(%rbx), %rcx		// rcx = g->m
	movq	m_g0(%rcx), %rdx	// rdx = m->g0
	cmpq	%rdx, %rbx		// if g == m->g0 call badmcall
	je	1f
	movq	%rdx, TLSG		// g0 is the current g
	movq	g_sched+gobuf_sp(%rdx), %rsp	// rsp = g0->sched.sp: onto g0's stack, where mstart left it
	xorl	%ebp, %ebp		// no frame-pointer chain back into g's stack
	movq	%rdi, %rcx		// rcx = fn
	movq	%rbx, %rdi		// rdi = g, fn's argument
	call	*%rcx			// fn(g)
	call	runtime.badmcall2	// fn returned
1:	call	runtime.badmcall
	.cfi_endproc
	.size	runtime.mcall, .-runtime.mcall

/*
 * goexit: the return address at the top of every goroutine's stack.
 *
 * newproc makes a goroutine's stack look as if goexit had called fn: fn's
 * return address is goexit+1 (Go: goexit+PCQuantum), so that an unwinder,
 * which looks up return address - 1, lands inside goexit.  If fn returns,
 * goexit finishes the goroutine (goexit1).  The main goroutine's fn,
 * runtime.main, never returns.
 *
 * At goexit, 0(%rsp) holds &m->g0->sched (newproc put it there): goexit's
 * caller, for an unwinder, is g0 at the place mstart saved with gosave.
 */
	.globl	runtime.goexit
	.hidden	runtime.goexit
	.type	runtime.goexit, @function
runtime.goexit:
	.cfi_startproc
	.cfi_escape 0x0f, 7, 0x77, 0x00, 0x06, 0x23, LEB2(gobuf_sp), 0x06	// CFA = g0sched->sp
	CFI_VIA_RSP_GOBUF(16, gobuf_pc)	// rip at &g0sched->pc
	CFI_VIA_RSP_GOBUF(6, gobuf_bp)	// rbp, rbx, r12-r15 in g0sched too
	CFI_VIA_RSP_GOBUF(3, gobuf_bx)
	CFI_VIA_RSP_GOBUF(12, gobuf_r12)
	CFI_VIA_RSP_GOBUF(13, gobuf_r13)
	CFI_VIA_RSP_GOBUF(14, gobuf_r14)
	CFI_VIA_RSP_GOBUF(15, gobuf_r15)
	nop				// goexit+0; fn returns to goexit+1, the next instruction
	call	runtime.goexit1		// finish the goroutine; does not return
	ud2
	.cfi_endproc
	.size	runtime.goexit, .-runtime.goexit

#ifndef PKGRT_NOLIBC
	// Set by the first call of __wrap_main: start-up has begun.
	.bss
	.balign	8
ASM_BSS_WORD(runtime.mainstarted)
#endif

	.section .note.GNU-stack,"",@progbits
