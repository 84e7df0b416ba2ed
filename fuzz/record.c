/*
 * fuzz/record.c - the scan-record reader (record.c over yaml.c), which
 * `pkginit link` runs on files a build farm or a hand edit produced.
 *
 * Beyond "no crash, no leak, no undefined behaviour", one property: a
 * record that reads back is written in a form that reads back again to
 * the same record, i.e. write(read(x)) is a fixed point of write∘read.
 * That ties the reader, the writer and yaml.c's quoting together: a
 * string the writer cannot quote so that the reader gets it back shows
 * up as a difference.  The depfile writer runs on every record read too.
 */
#include "tool.h"
#include "fuzz.h"

static char *fuzz_write(const struct scan_record *r, size_t *len)
{
	char *buf = NULL;
	FILE *f = open_memstream(&buf, len);
	if (!f) abort();
	record_write(f, r);
	fclose(f);
	return buf;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct scan_record r;
	if (record_read(fuzz_path(data, size), &r)) return 0;
	record_write_depfile(fuzz_devnull(), &r, "out.rec", 1);

	size_t len1, len2;
	char *once = fuzz_write(&r, &len1);
	record_free(&r);
	int rc = record_read(fuzz_path((const uint8_t *)once, len1), &r);
	if (rc) {
		/* Say why, on the real stderr. */
		diag_set_stream(NULL);
		record_read(fuzz_path((const uint8_t *)once, len1), &r);
		FUZZ_CHECK(rc == 0, "a record as written does not read back:\n%s",
			   once);
	}
	char *twice = fuzz_write(&r, &len2);
	record_free(&r);
	FUZZ_CHECK(len1 == len2 && !memcmp(once, twice, len1),
		   "writing the record read back differs:\n%s---\n%s", once, twice);
	free(once);
	free(twice);
	return 0;
}
