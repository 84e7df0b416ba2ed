#include <pkginit.h>
#include "greet/greet.h"        /* main imports greet */
#include "out/out.h"            /* and out */

PKG_INIT void main_init(void) { out_line("init main"); }

/* No libc: the runtime calls main directly; its return value is the
 * process's exit status. */
int main(void)
{
	out_line(greet_message());
	return out_lines() == 4 ? 0 : 1;
}
