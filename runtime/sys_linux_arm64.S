/*
 * sys_linux_arm64.S - the signal return trampoline on arm64 (Go:
 * sys_linux_arm64.s; see sys_linux_amd64.S for why the runtime has one).
 *
 * The arm64 kernel returns from a handler through the vDSO's sigtramp
 * unless sa_restorer is given; the runtime gives its own, so that both
 * architectures install handlers the same way (os_linux.c) and a
 * freestanding program needs nothing from the vDSO.  It must be exactly
 *
 *     d2801168    mov x8, #139     (SYS_rt_sigreturn)
 *     d4000001    svc #0
 *
 * which is the sequence libgcc's unwinder (aarch64 linux-unwind.h) and
 * gdb (aarch64-linux-tdep.c) compare with to recognise a signal frame.  No
 * CFI on purpose, as on amd64: return address - 1 falls in the nop before
 * it, covered by no FDE, so they fall back to that comparison.
 */
#include "sys_linux.h"

	.text
	.balign	16
	nop					// return address - 1 of a signal frame: covered by no FDE
	.globl	runtime.sigreturn__sigaction
	.hidden	runtime.sigreturn__sigaction
	.type	runtime.sigreturn__sigaction, %function
runtime.sigreturn__sigaction:
	mov	x8, #NR_rt_sigreturn		// x8 = the system call number (139)
	svc	#0				// the kernel restores the context saved on the signal stack
	brk	#0				// not reached
	.size	runtime.sigreturn__sigaction, .-runtime.sigreturn__sigaction

	.section .note.GNU-stack,"",%progbits
