/*
 * fuzz.h - what the libFuzzer targets share (header-only: each target is
 * one program that includes it once).
 *
 * The tool's readers take a path, not a buffer, and that is what users
 * give them, so the targets go through the same door: fuzz_path() puts
 * the input in a memfd and returns its /proc/self/fd/N name, which
 * file_read opens and reads like any file.  One memfd is reused, so an
 * execution costs a few system calls and no disk.
 *
 * Diagnostics are the readers' normal output, not a finding: they go to
 * /dev/null (diag_set_stream).  The runtime writes its warnings with
 * write(2) on fd 2, so fuzz_quiet() points fd 2 at /dev/null around the
 * calls into it, and fuzz_loud() points it back; the sanitizers report
 * on a copy of the real stderr, so a finding inside still shows.  (Not
 * every target uses every helper.)
 */
#ifndef PKGINIT_FUZZ_H
#define PKGINIT_FUZZ_H

#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include <sanitizer/common_interface_defs.h>

/* Stop with a message: a violated property is a crash for libFuzzer. */
#define FUZZ_CHECK(cond, ...)                                               \
	do {                                                                \
		if (!(cond)) {                                              \
			fprintf(stderr, "fuzz: property violated: %s: ", #cond); \
			fprintf(stderr, __VA_ARGS__);                       \
			fputc('\n', stderr);                                \
			abort();                                            \
		}                                                           \
	} while (0)

__attribute__((unused)) static FILE *fuzz_devnull(void)
{
	static FILE *f;
	if (!f) f = fopen("/dev/null", "w");
	if (!f) abort();
	return f;
}

/* The input as a file: its path, valid until the next call. */
__attribute__((unused)) static const char *fuzz_path(const uint8_t *data, size_t size)
{
	static int fd = -1;
	static char path[64];
	if (fd < 0) {
		fd = memfd_create("fuzz-input", MFD_CLOEXEC);
		if (fd < 0) abort();
		snprintf(path, sizeof path, "/proc/self/fd/%d", fd);
	}
	if (ftruncate(fd, 0) != 0) abort();
	for (size_t done = 0; done < size;) {
		ssize_t n = pwrite(fd, data + done, size - done, (off_t)done);
		if (n <= 0) abort();
		done += (size_t)n;
	}
	return path;
}

/* fd 2 to /dev/null until fuzz_loud(); sanitizer reports still show. */
static int fuzz_stderr = -1, fuzz_null = -1;

__attribute__((unused)) static void fuzz_quiet(void)
{
	if (fuzz_stderr < 0) {
		fuzz_stderr = fcntl(2, F_DUPFD_CLOEXEC, 3);
		fuzz_null = open("/dev/null", O_WRONLY | O_CLOEXEC);
		if (fuzz_stderr < 0 || fuzz_null < 0) abort();
		__sanitizer_set_report_fd((void *)(intptr_t)fuzz_stderr);
	}
	if (dup2(fuzz_null, 2) < 0) abort();
}

__attribute__((unused)) static void fuzz_loud(void)
{
	if (fuzz_stderr >= 0 && dup2(fuzz_stderr, 2) < 0) abort();
}

/* The tool's targets (they include tool.h first): diagnostics are the
 * readers' output, not findings.  A target with other needs defines
 * FUZZ_OWN_INIT and its own LLVMFuzzerInitialize. */
#ifndef FUZZ_OWN_INIT
int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc, (void)argv;
	diag_set_stream(fuzz_devnull());
	return 0;
}
#endif

#endif /* PKGINIT_FUZZ_H */
