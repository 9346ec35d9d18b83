/*
 * Preloaded after libasan by test/asan/run.sh; works around a start-up
 * deadlock of the stock (uninstrumented) postgres binary under a preloaded
 * ASan runtime.
 *
 * With LD_PRELOAD, libasan's constructor runs after those of the server's
 * libraries, so ASan initializes lazily on the first malloc. On Debian 12
 * that malloc comes from bindtextdomain() in libgpg-error's constructor,
 * which holds glibc's _nl_state_lock for writing. ASan's init then looks up
 * the optional symbol swift_demangle with dlsym(); the lookup fails, and
 * dlerror() translates its message with dcgettext(), which takes the same
 * lock for reading and unbalances it. The postmaster later hangs for good in
 * its own bindtextdomain() call (set_pglocale_pgservice).
 *
 * Defining swift_demangle makes that dlsym() succeed, so dlerror() is never
 * called during ASan's init. ASan only calls it to demangle Swift symbol
 * names (there are none here); returning NULL means "not demangled".
 */
#include <stddef.h>

char	   *swift_demangle(const char *mangled, size_t mangled_len, char *out,
						   size_t *out_len, unsigned int flags);

char *
swift_demangle(const char *mangled, size_t mangled_len, char *out,
			   size_t *out_len, unsigned int flags)
{
	return NULL;
}
