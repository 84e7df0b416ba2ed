/*
 * rt0_linux_amd64.S - the ELF entry point (Go: rt0_linux_amd64.s, whose
 * _rt0_amd64_linux jumps to _rt0_amd64 and on to runtime·rt0_go).
 *
 * A program linked with -Wl,-e,_rt0_amd64_linux starts here: the kernel
 * (static program) or the dynamic linker (dynamic program) jumps to the
 * entry point with
 *
 *     0(%rsp)                argc
 *     8(%rsp)                argv[0] ... argv[argc-1], then NULL
 *     after argv's NULL      envp[0] ... then NULL
 *     after envp's NULL      auxv: (type, value) pairs up to AT_NULL
 *     %rdx                   a function to register with atexit (the
 *                            dynamic linker's fini), or 0 (static program)
 *     %rsp                   16-byte aligned; there is no return address
 *
 * (not in %rdi/%rsi: those are the C calling convention, and nobody called
 * us).  Go's rt0_go takes over the process from here.
 *
 * Hosted (with libc), libc must start the process itself (TLS, stdio,
 * constructors, atexit), so we only record where the initial stack is and
 * jump to libc's `_start` with %rsp and %rdx untouched: for libc it is as
 * if the kernel had entered _start.  libc then calls main, which the link
 * wraps: __wrap_main (asm_amd64.S) is where the Go-like start-up runs.
 *
 * Freestanding (-DPKGRT_NOLIBC, libpkgrt-nolibc.a, linked -nostdlib
 * -static), this is the whole entry, as in Go: we find argc, argv and envp
 * on the stack and call runtime.rt0_go (asm_amd64.S, the same code as
 * __wrap_main under another name), which never returns.
 */
#include "runtime.h"

	.text
	.globl	_rt0_amd64_linux
	.type	_rt0_amd64_linux, @function
_rt0_amd64_linux:
	.cfi_startproc
	.cfi_undefined rip		// the outermost frame: nothing called us
	movq	%rsp, runtime.rt0sp(%rip)	// rsp = &argc: args reads argc, argv, envp, auxv from here
	movq	%rdx, runtime.rt0fini(%rip)	// rdx = rtld fini; kept in rdx for libc, noted for starttrace
#ifdef PKGRT_NOLIBC
	xorl	%ebp, %ebp		// rbp = 0: frame-pointer walkers stop at this frame
	movq	0(%rsp), %rdi		// rdi = argc, rt0_go's first argument
	leaq	8(%rsp), %rsi		// rsi = argv, just above argc
	leaq	16(%rsp,%rdi,8), %rdx	// rdx = envp = &argv[argc + 1], past argv's NULL
	call	runtime.rt0_go		// rsp is 16-byte aligned here (psABI), as for any call; never returns
	ud2				// rt0_go returned (Go: the crash after CALL runtime·mstart)
#else
	jmp	_start			// libc's entry, with rsp and rdx as the kernel/ld.so left them
#endif
	.cfi_endproc
	.size	_rt0_amd64_linux, .-_rt0_amd64_linux

	// Written before libc runs (or instead of it), so in .bss: no relocation needed.
	.bss
	.balign	8
ASM_BSS_WORD(runtime.rt0sp)
ASM_BSS_WORD(runtime.rt0fini)

	.section .note.GNU-stack,"",@progbits
