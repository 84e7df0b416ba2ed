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
 * us).  Go's rt0_go takes over the process from here.  With libc, libc must
 * start the process itself (TLS, stdio, constructors, atexit), so we only
 * record where the initial stack is and jump to libc's `_start` with %rsp
 * and %rdx untouched: for libc it is as if the kernel had entered _start.
 * libc then calls main, which the link wraps: __wrap_main (asm_amd64.S) is
 * where the Go-like start-up runs.
 */
#include "runtime.h"

	.text
	.globl	_rt0_amd64_linux
	.type	_rt0_amd64_linux, @function
_rt0_amd64_linux:
	.cfi_startproc
	.cfi_undefined rip		// the outermost frame: nothing called us
	movq	%rsp, runtime.rt0sp(%rip)	// rsp = &argc: args reads argc, argv, envp, auxv from here
	movq	%rdx, runtime.rt0rdx(%rip)	// rdx = rtld fini; kept in rdx for libc, noted for starttrace
	jmp	_start			// libc's entry, with rsp and rdx as the kernel/ld.so left them
	.cfi_endproc
	.size	_rt0_amd64_linux, .-_rt0_amd64_linux

	// Written before libc runs, so in .bss (no relocation needed).
	.bss
	.balign	8
	.globl	runtime.rt0sp
	.hidden	runtime.rt0sp
	.type	runtime.rt0sp, @object
	.size	runtime.rt0sp, 8
runtime.rt0sp:
	.zero	8
	.globl	runtime.rt0rdx
	.hidden	runtime.rt0rdx
	.type	runtime.rt0rdx, @object
	.size	runtime.rt0rdx, 8
runtime.rt0rdx:
	.zero	8

	.section .note.GNU-stack,"",@progbits
