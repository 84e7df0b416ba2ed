/*
 * sys_linux_amd64.S - the signal return trampoline (Go: sys_linux_amd64.s).
 *
 * The runtime installs its signal handlers with the raw rt_sigaction system
 * call (os_linux.c), not libc's sigaction, so it passes its own sa_restorer:
 * the code the handler returns to, which asks the kernel to restore the
 * interrupted context.  On x86-64 it must be exactly
 *
 *     48 c7 c0 0f 00 00 00    movq $15, %rax     (SYS_rt_sigreturn)
 *     0f 05                   syscall
 *
 * because that is how unwinders recognise a signal frame: libgcc (and so
 * backtrace(3)) compares these bytes, and gdb compares them too when the
 * function's name contains "sigaction" (which is why Go's is called
 * sigreturn__sigaction, and so is ours).  It has no CFI on purpose: an
 * unwinder looks up return address - 1, the nop below, finds no FDE, and
 * falls back to that byte comparison.
 */
#include "runtime.h"

	.text
	.balign	16
	nop				// return address - 1 of a signal frame: covered by no FDE
	.globl	runtime.sigreturn__sigaction
	.hidden	runtime.sigreturn__sigaction
	.type	runtime.sigreturn__sigaction, @function
runtime.sigreturn__sigaction:
	.byte	0x48, 0xc7, 0xc0, 0x0f, 0x00, 0x00, 0x00	// movq $15, %rax: rax = SYS_rt_sigreturn
	syscall				// the kernel restores the context saved on the signal stack
	ud2				// not reached
	.size	runtime.sigreturn__sigaction, .-runtime.sigreturn__sigaction

	.section .note.GNU-stack,"",@progbits
