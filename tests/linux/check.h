/*
 * check.h - tiny TAP-style self-checking helpers shared by the tests/linux C programs.
 *
 * Every test program prints one line per check:
 *     ok 3 - pipe: read returns what was written
 *     not ok 4 - pipe: EOF after close (got 5, want 0) [errno 0: Success] at pipes_dup.c:88
 * and finishes with `return check_done();`, which prints
 *     1..N
 *     # passed P failed F
 * and returns 0 only if nothing failed.
 *
 * Output goes straight to fd 1 with write(2) (no stdio buffering), so a
 * fork() never duplicates pending output and a crash never loses lines.
 * Only the original process should call CHECK*: children report back to
 * the parent through their exit status or a pipe.
 *
 * Macros (fmt is a printf-style description of the check):
 *   CHECK(cond, fmt, ...)           passes if cond is true; on failure prints
 *                                   errno as seen right after evaluating cond
 *                                   (errno is not reset first, so cond may
 *                                   itself test errno from an earlier call).
 *   CHECK_EQ(got, want, fmt, ...)   compares two integers (as long long) and
 *                                   prints "(got X, want Y)" on failure.
 *   CHECK_ERR(expr, err, fmt, ...)  expr (a syscall-like call) must return -1
 *                                   with errno == err.
 *   CHECK_STR(got, want, fmt, ...)  strcmp()-equal C strings.
 *   DIAG(fmt, ...)                  prints a "# ..." comment line.
 */
#ifndef HELCTIC_CHECK_H
#define HELCTIC_CHECK_H

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static int check_count;
static int check_failures;

static void check_write_all(const char *buf, size_t len)
{
	while (len > 0) {
		ssize_t n = write(1, buf, len);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return;
		}
		buf += n;
		len -= (size_t)n;
	}
}

static void check_printf(const char *fmt, ...) __attribute__((format(printf, 1, 2), unused));
static void check_printf(const char *fmt, ...)
{
	char buf[1024];
	va_list ap;
	int saved = errno;
	va_start(ap, fmt);
	int n = vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	if (n < 0)
		n = 0;
	if ((size_t)n >= sizeof buf)
		n = sizeof buf - 1;
	check_write_all(buf, (size_t)n);
	errno = saved;
}

/* detail: extra failure text ("" if none); err: errno to show (-1 = none) */
static int check_report(int ok, const char *detail, int err, const char *file,
			int line, const char *fmt, ...)
	__attribute__((format(printf, 6, 7), unused));
static int check_report(int ok, const char *detail, int err, const char *file,
			int line, const char *fmt, ...)
{
	char desc[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(desc, sizeof desc, fmt, ap);
	va_end(ap);
	check_count++;
	if (ok) {
		check_printf("ok %d - %s\n", check_count, desc);
	} else {
		check_failures++;
		if (err >= 0)
			check_printf("not ok %d - %s %s[errno %d: %s] at %s:%d\n",
				     check_count, desc, detail, err,
				     strerror(err), file, line);
		else
			check_printf("not ok %d - %s %s at %s:%d\n", check_count,
				     desc, detail, file, line);
	}
	return ok;
}

#define CHECK(cond, ...)                                                       \
	({                                                                     \
		int check_ok_ = !!(cond);                                      \
		int check_errno_ = errno;                                      \
		check_report(check_ok_, "", check_errno_, __FILE__, __LINE__,  \
			     __VA_ARGS__);                                     \
	})

#define CHECK_EQ(got, want, ...)                                               \
	({                                                                     \
		long long check_got_ = (long long)(got);                       \
		int check_errno_ = errno;                                      \
		long long check_want_ = (long long)(want);                     \
		char check_detail_[96];                                        \
		snprintf(check_detail_, sizeof check_detail_,                  \
			 "(got %lld, want %lld) ", check_got_, check_want_);   \
		check_report(check_got_ == check_want_, check_detail_,         \
			     check_errno_, __FILE__, __LINE__, __VA_ARGS__);   \
	})

#define CHECK_ERR(expr, err, ...)                                              \
	({                                                                     \
		errno = 0;                                                     \
		long long check_got_ = (long long)(expr);                      \
		int check_errno_ = errno;                                      \
		int check_want_ = (err);                                       \
		char check_detail_[160];                                       \
		snprintf(check_detail_, sizeof check_detail_,                  \
			 "(got %lld errno %d, want -1 errno %d %s) ",          \
			 check_got_, check_errno_, check_want_,                \
			 strerror(check_want_));                               \
		check_report(check_got_ == -1 && check_errno_ == check_want_,  \
			     check_detail_, -1, __FILE__, __LINE__,            \
			     __VA_ARGS__);                                     \
	})

#define CHECK_STR(got, want, ...)                                              \
	({                                                                     \
		const char *check_got_ = (got);                                \
		const char *check_want_ = (want);                              \
		char check_detail_[400];                                       \
		snprintf(check_detail_, sizeof check_detail_,                  \
			 "(got \"%.150s\", want \"%.150s\") ",                 \
			 check_got_ ? check_got_ : "(null)",                   \
			 check_want_ ? check_want_ : "(null)");                \
		check_report(check_got_ && check_want_ &&                      \
				     strcmp(check_got_, check_want_) == 0,     \
			     check_detail_, -1, __FILE__, __LINE__,            \
			     __VA_ARGS__);                                     \
	})

#define DIAG(...)                                                              \
	do {                                                                   \
		check_printf("# ");                                            \
		check_printf(__VA_ARGS__);                                     \
		check_printf("\n");                                            \
	} while (0)

/* Abort the whole program (counts as a failure) when a precondition fails. */
#define CHECK_BAIL(cond, ...)                                                  \
	do {                                                                   \
		if (!CHECK(cond, __VA_ARGS__)) {                               \
			check_printf("Bail out! precondition failed\n");       \
			check_printf("# passed %d failed %d\n",                \
				     check_count - check_failures,             \
				     check_failures);                          \
			_exit(1);                                              \
		}                                                              \
	} while (0)

static int check_done(void) __attribute__((unused));
static int check_done(void)
{
	check_printf("1..%d\n", check_count);
	check_printf("# passed %d failed %d\n", check_count - check_failures,
		     check_failures);
	return check_failures == 0 && check_count > 0 ? 0 : 1;
}

/*
 * Waits for child `pid` (retrying on EINTR) and returns its exit status,
 * 1000 + the signal that killed it, -1 if the wait failed, -2 otherwise.
 */
#include <sys/wait.h>

static int check_wait(pid_t pid) __attribute__((unused));
static int check_wait(pid_t pid)
{
	int st;
	pid_t r;
	do
		r = waitpid(pid, &st, 0);
	while (r < 0 && errno == EINTR);
	if (r != pid)
		return -1;
	if (WIFEXITED(st))
		return WEXITSTATUS(st);
	if (WIFSIGNALED(st))
		return 1000 + WTERMSIG(st);
	return -2;
}

/* Reaps `pid` if it ends within `ms` milliseconds (polling, so a child
 * that never ends fails the check instead of hanging the test): its
 * status as check_wait gives it, or -1 if it did not end in time. */
static int check_wait_within(pid_t pid, int ms) __attribute__((unused));
static int check_wait_within(pid_t pid, int ms)
{
	int st = 0;
	for (int waited = 0; waited <= ms; waited += 10) {
		pid_t r = waitpid(pid, &st, WNOHANG);
		if (r == pid)
			return WIFEXITED(st) ? WEXITSTATUS(st) : WIFSIGNALED(st) ? 1000 + WTERMSIG(st) : -1;
		if (r < 0 && errno != EINTR)
			return -1;
		usleep(10000);
	}
	return -1;
}

/*
 * Scratch directory helper: creates a fresh directory
 * $TMPDIR/helctic-<tag>-<pid>-XXXXXX (or /tmp/...) and returns its path
 * in a static buffer. Remove it with check_rm_rf().
 */
#include <dirent.h>
#include <sys/stat.h>

static char *check_scratch_dir(const char *tag) __attribute__((unused));
static char *check_scratch_dir(const char *tag)
{
	static char path[512];
	const char *base = getenv("TMPDIR");
	if (!base || !*base)
		base = "/tmp";
	snprintf(path, sizeof path, "%s/helctic-%s-XXXXXX", base, tag);
	if (!mkdtemp(path))
		return NULL;
	return path;
}

static int check_rm_rf(const char *path) __attribute__((unused));
static int check_rm_rf(const char *path)
{
	struct stat st;
	if (lstat(path, &st) < 0)
		return errno == ENOENT ? 0 : -1;
	if (S_ISDIR(st.st_mode)) {
		chmod(path, 0700);
		DIR *d = opendir(path);
		if (d) {
			struct dirent *e;
			while ((e = readdir(d)) != NULL) {
				if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
					continue;
				char sub[1024];
				snprintf(sub, sizeof sub, "%s/%s", path, e->d_name);
				check_rm_rf(sub);
			}
			closedir(d);
		}
		return rmdir(path);
	}
	return unlink(path);
}

#endif
