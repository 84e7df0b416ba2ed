/*
 * rt0_linux_arm64.S - the ELF entry point on arm64 (Go: rt0_linux_arm64.s,
 * whose _rt0_arm64_linux loads argc and argv and goes on to runtime·rt0_go).
 *
 * A program linked with -Wl,-e,_rt0_arm64_linux starts here: the kernel
 * (static program) or the dynamic linker (dynamic program) jumps to the
 * entry point with
 *
 *     [sp]                   argc
 *     [sp, #8]               argv[0] ... argv[argc-1], then NULL
 *     after argv's NULL      envp[0] ... then NULL
 *     after envp's NULL      auxv: (type, value) pairs up to AT_NULL
 *     x0                     a function to register with atexit (the
 *                            dynamic linker's fini), or 0 (static program)
 *     sp                     16-byte aligned; lr (x30) holds nothing useful
 *
 * (not in x0/x1 as arguments: nobody called us).  This is the amd64 entry
 * (rt0_linux_amd64.S) with x0 in the role of %rdx.
 *
 * Hosted (with libc): record where the initial stack is and jump to libc's
 * `_start` with sp and x0 untouched; libc starts the process and calls
 * main, which the link wraps into __wrap_main (asm_arm64.S).  Only x9 and
 * x10 are used: temporaries in AAPCS64 that glibc's and musl's _start do
 * not read.
 *
 * Freestanding (-DPKGRT_NOLIBC, linked -nostdlib -static): this is the
 * whole entry; it finds argc, argv and envp on the stack and calls
 * runtime.rt0_go (asm_arm64.S), which never returns.
 */
#include "runtime.h"

	.text
	.globl	_rt0_arm64_linux
	.type	_rt0_arm64_linux, %function
_rt0_arm64_linux:
	.cfi_startproc
	.cfi_undefined x30			// the outermost frame: there is no return address
	mov	x9, sp				// x9 = &argc: args reads argc, argv, envp, auxv from here
	adrp	x10, runtime.rt0sp		// x10 = the page of runtime.rt0sp (pc-relative: no relocation)
	str	x9, [x10, :lo12:runtime.rt0sp]	// rt0sp = the entry stack pointer
	adrp	x10, runtime.rt0fini
	str	x0, [x10, :lo12:runtime.rt0fini]	// x0 = rtld fini; kept in x0 for libc, noted for starttrace
#ifdef PKGRT_NOLIBC
	mov	x29, #0				// x29 (fp) = 0: frame-pointer walkers stop at this frame
	mov	x30, #0				// lr = 0: nothing to return to
	ldr	x0, [sp]			// x0 = argc, rt0_go's first argument
	add	x1, sp, #8			// x1 = argv, just above argc
	add	x2, x1, x0, lsl #3		// x2 = &argv[argc], argv's NULL
	add	x2, x2, #8			// x2 = envp, just past it
	bl	runtime.rt0_go			// sp is 16-byte aligned, as AAPCS64 wants; never returns
	brk	#0				// rt0_go returned (Go: the crash after BL runtime·mstart)
#else
	b	_start				// libc's entry, with sp and x0 as the kernel/ld.so left them
#endif
	.cfi_endproc
	.size	_rt0_arm64_linux, .-_rt0_arm64_linux

	// Written before libc runs (or instead of it), so in .bss: no relocation needed.
	.bss
	.balign	8
ASM_BSS_WORD(runtime.rt0sp)
ASM_BSS_WORD(runtime.rt0fini)

	.section .note.GNU-stack,"",%progbits
