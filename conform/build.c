/* Building a conformance program: the generated scenario.S with the runtime (start.S, super.c,
 * layout.h, link.ld) through Debian's cross compiler, in a scratch directory under relative names
 * so the same trace always gives the same bytes. */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "conform.h"

static const char *const rt_files[] = { "start.S", "super.c", "layout.h", "link.ld" };
#define NRT (sizeof rt_files / sizeof rt_files[0])

static int copy_file(const char *from, const char *to)
{
	FILE *a = fopen(from, "rb"), *b = a ? fopen(to, "wb") : NULL;
	char buf[8192];
	size_t n;
	int rc = a && b ? 0 : -1;
	while (!rc && (n = fread(buf, 1, sizeof buf, a)) > 0)
		if (fwrite(buf, 1, n, b) != n)
			rc = -1;
	if (a && ferror(a))
		rc = -1;
	if (a)
		fclose(a);
	if (b && fclose(b))
		rc = -1;
	return rc;
}

static const char *cross_cc(void)
{
	const char *cc = getenv("BOOKEDBG_CROSS_CC");
	return cc && *cc ? cc : "powerpc-linux-gnu-gcc";
}

/* Run the cross compiler in dir; its messages go to dir/cc.log. */
static int run_cc(const char *dir, bool e500mc)
{
	pid_t pid = fork();
	if (pid < 0)
		return -1;
	if (pid == 0) {
		int fd = -1;
		if (chdir(dir) == 0)
			fd = open("cc.log", O_WRONLY | O_CREAT | O_TRUNC, 0644);
		if (fd < 0)
			_exit(127);
		dup2(fd, 1);
		dup2(fd, 2);
		const char *cc = cross_cc();
		char *const argv[] = {
			(char *)cc, "-mcpu=powerpc", "-msoft-float", "-mno-altivec", "-msdata=none",
			"-fno-pic", "-fno-pie", "-ffreestanding", "-fno-builtin", "-fno-stack-protector",
			"-fno-asynchronous-unwind-tables", "-O2", "-Wall", "-Werror", "-Wa,-mregnames",
			e500mc ? "-Wa,-me500mc" : "-Wa,-me500", "-nostdlib", "-static", "-no-pie",
			"-Wl,--build-id=none", "-Wl,--discard-all", "-Wl,--no-warn-rwx-segments", "-Wa,--noexecstack", "-Wl,-T,link.ld", "-I.", "-o", "prog.elf", "start.S",
			"super.c", "scenario.S", NULL
		};
		execvp(cc, argv);
		_exit(127);
	}
	int status;
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			return -1;
	return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

static void first_line(const char *path, char *buf, size_t len)
{
	FILE *f = fopen(path, "r");
	buf[0] = 0;
	if (f) {
		if (!fgets(buf, (int)len, f))
			buf[0] = 0;
		fclose(f);
	}
	buf[strcspn(buf, "\n")] = 0;
}

static void cleanup(const char *dir)
{
	static const char *const made[] = { "start.S", "super.c", "layout.h", "link.ld", "scenario.S",
					     "cc.log", "prog.elf" };
	char path[4200];
	for (size_t i = 0; i < sizeof made / sizeof made[0]; i++) {
		snprintf(path, sizeof path, "%s/%s", dir, made[i]);
		unlink(path);
	}
	rmdir(dir);
}

int cf_build_elf(const struct cf_plan *p, const char *rt_dir, const char *out, char *err, size_t errlen)
{
	char dir[] = "/tmp/bookedbg-compile-XXXXXX", a[4200], b[4200];
	if (!mkdtemp(dir)) {
		snprintf(err, errlen, "%s:0: cannot make a scratch directory in /tmp", out);
		return -1;
	}
	int rc = -1;
	for (size_t i = 0; i < NRT; i++) {
		snprintf(a, sizeof a, "%s/%s", rt_dir, rt_files[i]);
		snprintf(b, sizeof b, "%s/%s", dir, rt_files[i]);
		if (copy_file(a, b)) {
			snprintf(err, errlen, "%s:0: cannot read the runtime file", a);
			goto done;
		}
	}
	snprintf(b, sizeof b, "%s/scenario.S", dir);
	FILE *f = fopen(b, "w");
	if (!f || cf_emit_asm(p, f) || fclose(f)) {
		snprintf(err, errlen, "%s:0: cannot write the generated assembly", b);
		goto done;
	}
	int cc = run_cc(dir, p->core == DBG_E500MC);
	if (cc) {
		char msg[300];
		snprintf(b, sizeof b, "%s/cc.log", dir);
		first_line(b, msg, sizeof msg);
		snprintf(err, errlen, "%s:0: %s failed (%s)%s", p->t->path, cross_cc(),
			 cc == 127 ? "not found: tools/deps.sh gcc-powerpc-linux-gnu" : msg,
			 cc == 127 ? "" : "");
		goto done;
	}
	snprintf(a, sizeof a, "%s/prog.elf", dir);
	snprintf(b, sizeof b, "%s.tmp", out);
	if (copy_file(a, b) || rename(b, out)) {
		unlink(b);
		snprintf(err, errlen, "%s:0: cannot write the program", out);
		goto done;
	}
	rc = 0;
done:
	cleanup(dir);
	return rc;
}
