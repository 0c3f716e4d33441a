/* The kernel key retention service (add_key, request_key, keyctl) as Linux
 * does it: special keyrings made on demand, serial numbers, descriptions,
 * reading keys and keyrings (nothing copied into a short buffer), update
 * in place, payload and description rules, links, cycles, searches,
 * revocation, negative keys left by request_key without a helper,
 * permissions and possession across fork and setuid, quotas, thread,
 * fork and exec inheritance, session-to-parent, restrictions, moves and
 * /proc/sys/kernel/keys. Runs as root; works in a fresh session keyring. */
#define _GNU_SOURCE
#include "check.h"

#include <fcntl.h>
#include <pthread.h>
#include <stdint.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#define KEY_SPEC_THREAD_KEYRING -1
#define KEY_SPEC_PROCESS_KEYRING -2
#define KEY_SPEC_SESSION_KEYRING -3
#define KEY_SPEC_USER_KEYRING -4
#define KEY_SPEC_USER_SESSION_KEYRING -5
#define KEY_SPEC_GROUP_KEYRING -6
#define KEY_SPEC_REQKEY_AUTH_KEY -7
#define KEYCTL_GET_KEYRING_ID 0
#define KEYCTL_JOIN_SESSION_KEYRING 1
#define KEYCTL_UPDATE 2
#define KEYCTL_REVOKE 3
#define KEYCTL_CHOWN 4
#define KEYCTL_SETPERM 5
#define KEYCTL_DESCRIBE 6
#define KEYCTL_CLEAR 7
#define KEYCTL_LINK 8
#define KEYCTL_UNLINK 9
#define KEYCTL_SEARCH 10
#define KEYCTL_READ 11
#define KEYCTL_INSTANTIATE 12
#define KEYCTL_NEGATE 13
#define KEYCTL_SET_REQKEY_KEYRING 14
#define KEYCTL_SET_TIMEOUT 15
#define KEYCTL_ASSUME_AUTHORITY 16
#define KEYCTL_GET_SECURITY 17
#define KEYCTL_SESSION_TO_PARENT 18
#define KEYCTL_INVALIDATE 21
#define KEYCTL_RESTRICT_KEYRING 29
#define KEYCTL_MOVE 30
#define KEYCTL_CAPABILITIES 31

static long add_key(const char *type, const char *desc, const void *payload, size_t len, long ring)
{
	return syscall(SYS_add_key, type, desc, payload, len, ring);
}

static long request_key(const char *type, const char *desc, const char *callout, long dest)
{
	return syscall(SYS_request_key, type, desc, callout, dest);
}

static long keyctl(long cmd, long a, long b, long c, long d)
{
	return syscall(SYS_keyctl, cmd, a, b, c, d);
}

static long keyring_id(long special, int create)
{
	return keyctl(KEYCTL_GET_KEYRING_ID, special, create, 0, 0);
}

static const char *describe(long key)
{
	static char buf[256];
	buf[0] = 0;
	if (keyctl(KEYCTL_DESCRIBE, key, (long)buf, sizeof buf, 0) < 0)
		return "(error)";
	return buf;
}

/* Whether the keyring's serials read back contain `key`. */
static int keyring_has(long ring, long key)
{
	int32_t ids[64];
	long n = keyctl(KEYCTL_READ, ring, (long)ids, sizeof ids, 0);
	for (long i = 0; i >= 0 && i < n / 4 && i < 64; i++)
		if (ids[i] == key)
			return 1;
	return 0;
}

static long thread_seen;
static void *thread_main(void *arg)
{
	(void)arg;
	thread_seen = keyring_id(KEY_SPEC_THREAD_KEYRING, 0);
	return NULL;
}

/* After exec: the session survives, the process keyring does not. */
static int exec_child(long session)
{
	if (keyring_id(KEY_SPEC_SESSION_KEYRING, 0) != session)
		return 1;
	if (keyring_id(KEY_SPEC_PROCESS_KEYRING, 0) != -1 || errno != ENOKEY)
		return 2;
	if (keyring_id(KEY_SPEC_THREAD_KEYRING, 0) != -1 || errno != ENOKEY)
		return 3;
	return 0;
}

static int child_status(pid_t pid)
{
	int status = -1;
	if (waitpid(pid, &status, 0) != pid)
		return -1;
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

int main(int argc, char **argv)
{
	if (argc == 3 && strcmp(argv[1], "exec-child") == 0)
		return exec_child(atol(argv[2]));

	/* A session of our own, whatever the caller had. */
	long session = keyctl(KEYCTL_JOIN_SESSION_KEYRING, 0, 0, 0, 0);
	CHECK_BAIL(session > 0, "join a new session keyring");
	CHECK_EQ(keyring_id(KEY_SPEC_SESSION_KEYRING, 0), session, "the session keyring is the new one");
	CHECK_STR(describe(session), "keyring;0;0;3f030000;_ses", "describe an anonymous session keyring");
	CHECK_ERR(keyring_id(KEY_SPEC_THREAD_KEYRING, 0), ENOKEY, "no thread keyring until asked to create");
	CHECK_ERR(keyring_id(KEY_SPEC_PROCESS_KEYRING, 0), ENOKEY, "no process keyring until asked to create");
	CHECK_ERR(keyring_id(KEY_SPEC_GROUP_KEYRING, 1), EINVAL, "group keyring is EINVAL");
	CHECK_ERR(keyring_id(KEY_SPEC_REQKEY_AUTH_KEY, 1), ENOKEY, "no request-key authority");
	CHECK_ERR(keyring_id(0, 1), EINVAL, "id 0 is EINVAL");
	CHECK_ERR(keyring_id(-9, 1), EINVAL, "id -9 is EINVAL");
	long user = keyring_id(KEY_SPEC_USER_KEYRING, 0);
	CHECK(user > 0, "the user keyring exists on demand");
	CHECK_STR(describe(user), "keyring;0;65534;1f3f0000;_uid.0", "describe the user keyring");
	CHECK(keyring_has(keyring_id(KEY_SPEC_USER_SESSION_KEYRING, 0), user), "the user-session keyring links the user keyring");

	/* user keys: add, describe, read, update */
	long k1 = add_key("user", "k1", "hello", 5, KEY_SPEC_SESSION_KEYRING);
	CHECK(k1 > 0, "add a user key");
	CHECK_STR(describe(k1), "user;0;0;3f010000;k1", "describe a user key");
	char buf[64];
	memset(buf, 'Z', sizeof buf);
	CHECK_EQ(keyctl(KEYCTL_READ, k1, 0, 0, 0), 5, "READ with no buffer gives the length");
	CHECK_EQ(keyctl(KEYCTL_READ, k1, (long)buf, 3, 0), 5, "READ into a short buffer gives the length");
	CHECK(buf[0] == 'Z', "... and copies nothing");
	CHECK_EQ(keyctl(KEYCTL_READ, k1, (long)buf, sizeof buf, 0), 5, "READ the payload");
	CHECK(memcmp(buf, "hello", 5) == 0, "... which is what was added");
	CHECK_EQ(keyctl(KEYCTL_DESCRIBE, k1, (long)buf, 4, 0), 21, "DESCRIBE into a short buffer gives the length with NUL");
	CHECK_EQ(add_key("user", "k1", "again", 5, KEY_SPEC_SESSION_KEYRING), k1, "add_key of the same description updates");
	CHECK_EQ(keyctl(KEYCTL_READ, k1, (long)buf, sizeof buf, 0), 5, "read the update");
	CHECK(memcmp(buf, "again", 5) == 0, "... new payload");
	CHECK_EQ(keyctl(KEYCTL_UPDATE, k1, (long)"xyz", 3, 0), 0, "KEYCTL_UPDATE");
	CHECK_EQ(keyctl(KEYCTL_READ, k1, (long)buf, sizeof buf, 0), 3, "read after UPDATE");
	CHECK_ERR(keyctl(KEYCTL_UPDATE, k1, 0, 0, 0), EINVAL, "UPDATE with an empty payload");
	CHECK_ERR(keyctl(KEYCTL_UPDATE, session, (long)"x", 1, 0), EOPNOTSUPP, "UPDATE of a keyring");
	CHECK_EQ(keyctl(KEYCTL_GET_SECURITY, k1, (long)buf, sizeof buf, 0), 1, "GET_SECURITY: an empty label");

	/* payload and description rules */
	static char big[40000];
	CHECK(add_key("user", "max", big, 32767, KEY_SPEC_SESSION_KEYRING) > 0, "a 32767-byte user key");
	CHECK_ERR(add_key("user", "over", big, 32768, KEY_SPEC_SESSION_KEYRING), EINVAL, "a 32768-byte user key");
	CHECK_ERR(add_key("user", "empty", "", 0, KEY_SPEC_SESSION_KEYRING), EINVAL, "an empty user key");
	CHECK_ERR(add_key("keyring", "r", "x", 1, KEY_SPEC_SESSION_KEYRING), EINVAL, "a keyring with a payload");
	CHECK_ERR(add_key("no_such_type", "d", "x", 1, KEY_SPEC_SESSION_KEYRING), ENODEV, "an unknown type");
	CHECK_ERR(add_key(".internal", "d", "x", 1, KEY_SPEC_SESSION_KEYRING), EPERM, "a type starting with '.'");
	CHECK_ERR(add_key("keyring", ".dot", NULL, 0, KEY_SPEC_SESSION_KEYRING), EPERM, "a keyring named with '.'");
	CHECK_ERR(add_key("user", NULL, "x", 1, KEY_SPEC_SESSION_KEYRING), EINVAL, "no description");
	CHECK_ERR(add_key("logon", "nocolon", "x", 1, KEY_SPEC_SESSION_KEYRING), EINVAL, "a logon key without a service");
	long logon = add_key("logon", "svc:name", "secret", 6, KEY_SPEC_SESSION_KEYRING);
	CHECK(logon > 0, "a logon key");
	CHECK_ERR(keyctl(KEYCTL_READ, logon, (long)buf, sizeof buf, 0), EOPNOTSUPP, "a logon key cannot be read");
	CHECK_ERR(add_key("user", "d", "x", 1, 0), EINVAL, "keyring 0");
	CHECK_ERR(add_key("user", "d", NULL, 10, KEY_SPEC_SESSION_KEYRING), EFAULT, "a NULL payload");
	CHECK_ERR(add_key("user", "d", big, 1 << 20, KEY_SPEC_SESSION_KEYRING), EINVAL, "a 1 MiB payload");
	CHECK_ERR(add_key((char *)1, "d", "x", 1, KEY_SPEC_SESSION_KEYRING), EFAULT, "a bad type pointer");
	CHECK_ERR(add_key("user", "d", "x", 1, k1), ENOTDIR, "adding into a user key");

	/* keyrings: read, link, unlink, cycles, search */
	long r = add_key("keyring", "ring", NULL, 0, KEY_SPEC_SESSION_KEYRING);
	CHECK(r > 0, "add a keyring");
	long a = add_key("user", "a", "1", 1, r), b = add_key("user", "b", "2", 1, r);
	int32_t ids[2] = {0, 0};
	CHECK_EQ(keyctl(KEYCTL_READ, r, (long)ids, 4, 0), 8, "READ a keyring into a short buffer");
	CHECK(ids[0] == 0 && ids[1] == 0, "... copies nothing");
	CHECK_EQ(keyctl(KEYCTL_READ, r, (long)ids, 8, 0), 8, "READ a keyring");
	CHECK((ids[0] == a && ids[1] == b) || (ids[0] == b && ids[1] == a), "... lists its two keys");
	CHECK_EQ(keyctl(KEYCTL_LINK, k1, r, 0, 0), 0, "LINK a key into a keyring");
	CHECK(keyring_has(r, k1), "... it is listed");
	CHECK_EQ(keyctl(KEYCTL_UNLINK, k1, r, 0, 0), 0, "UNLINK");
	CHECK_ERR(keyctl(KEYCTL_UNLINK, k1, r, 0, 0), ENOENT, "UNLINK what is not linked");
	CHECK_ERR(keyctl(KEYCTL_LINK, k1, k1, 0, 0), ENOTDIR, "LINK into a user key");
	CHECK_ERR(keyctl(KEYCTL_CLEAR, k1, 0, 0, 0), ENOTDIR, "CLEAR a user key");
	CHECK_ERR(keyctl(KEYCTL_LINK, r, r, 0, 0), EDEADLK, "LINK a keyring into itself");
	long inner = add_key("keyring", "inner", NULL, 0, r);
	CHECK_ERR(keyctl(KEYCTL_LINK, r, inner, 0, 0), EDEADLK, "LINK closing a cycle");
	long deep = add_key("user", "deep", "d", 1, inner);
	CHECK_EQ(keyctl(KEYCTL_SEARCH, KEY_SPEC_SESSION_KEYRING, (long)"user", (long)"deep", 0), deep, "SEARCH finds a key in a nested keyring");
	CHECK_ERR(keyctl(KEYCTL_SEARCH, KEY_SPEC_SESSION_KEYRING, (long)"user", (long)"missing", 0), ENOKEY, "SEARCH for a missing key");
	CHECK_EQ(keyctl(KEYCTL_SEARCH, r, (long)"user", (long)"deep", KEY_SPEC_SESSION_KEYRING), deep, "SEARCH with a destination");
	CHECK(keyring_has(session, deep), "... links what it found there");
	CHECK_EQ(request_key("user", "a", NULL, 0), a, "request_key finds a key in the session");

	/* revocation */
	long rv = add_key("user", "revoked", "r", 1, KEY_SPEC_SESSION_KEYRING);
	CHECK_EQ(keyctl(KEYCTL_REVOKE, rv, 0, 0, 0), 0, "REVOKE");
	CHECK_ERR(keyctl(KEYCTL_READ, rv, (long)buf, sizeof buf, 0), EKEYREVOKED, "READ a revoked key");
	CHECK_ERR(keyctl(KEYCTL_DESCRIBE, rv, (long)buf, sizeof buf, 0), EKEYREVOKED, "DESCRIBE a revoked key");
	CHECK_ERR(keyctl(KEYCTL_REVOKE, rv, 0, 0, 0), EKEYREVOKED, "REVOKE again");
	CHECK_ERR(keyctl(KEYCTL_SET_TIMEOUT, rv, 10, 0, 0), EKEYREVOKED, "SET_TIMEOUT of a revoked key");
	CHECK_ERR(request_key("user", "revoked", NULL, 0), EKEYREVOKED, "request_key finds only a revoked key");
	CHECK_ERR(request_key("user", "x", NULL, rv), EKEYREVOKED, "request_key into a revoked keyring");
	CHECK_EQ(keyctl(KEYCTL_UNLINK, rv, KEY_SPEC_SESSION_KEYRING, 0, 0), 0, "UNLINK a revoked key");
	CHECK_EQ(keyctl(KEYCTL_SET_TIMEOUT, k1, 0, 0, 0), 0, "SET_TIMEOUT 0 keeps a key forever");

	/* request_key without /sbin/request-key: a negative key */
	CHECK_ERR(request_key("user", "wanted", NULL, 0), ENOKEY, "request_key without callout info");
	CHECK_ERR(request_key("no_such_type", "wanted", NULL, 0), ENOKEY, "request_key of an unknown type");
	CHECK_ERR(request_key(".type", "wanted", NULL, 0), EPERM, "request_key of a '.' type");
	CHECK_ERR(request_key("user", (char *)-1, NULL, 0), EFAULT, "request_key with a bad description");
	CHECK_ERR(request_key("user", "wanted", "info", KEY_SPEC_SESSION_KEYRING), ENOENT, "request_key with no helper to run");
	CHECK_ERR(keyctl(KEYCTL_SEARCH, KEY_SPEC_SESSION_KEYRING, (long)"user", (long)"wanted", 0), ENOKEY, "SEARCH finds the negative key as ENOKEY");
	CHECK_ERR(request_key("user", "wanted", "info", KEY_SPEC_SESSION_KEYRING), ENOKEY, "request_key again finds it negative");
	long pos = add_key("user", "wanted", "now", 3, KEY_SPEC_SESSION_KEYRING);
	CHECK(pos > 0, "add_key over a negative key");
	CHECK_EQ(request_key("user", "wanted", NULL, 0), pos, "... which request_key now finds");

	/* thread keyring and the request-key default */
	CHECK_EQ(keyctl(KEYCTL_SET_REQKEY_KEYRING, -1, 0, 0, 0), 0, "the request-key default starts at DEFAULT");
	CHECK_ERR(keyctl(KEYCTL_SET_REQKEY_KEYRING, 6, 0, 0, 0), EINVAL, "no group keyring default");
	CHECK_ERR(keyctl(KEYCTL_SET_REQKEY_KEYRING, 8, 0, 0, 0), EINVAL, "default 8");
	long thread = keyring_id(KEY_SPEC_THREAD_KEYRING, 1);
	CHECK(thread > 0, "create the thread keyring");
	CHECK_STR(describe(thread), "keyring;0;0;3f010000;_tid", "describe the thread keyring");
	CHECK_EQ(keyctl(KEYCTL_SET_REQKEY_KEYRING, 1, 0, 0, 0), 0, "default to the thread keyring");
	CHECK_EQ(keyring_id(KEY_SPEC_THREAD_KEYRING, 0), thread, "... which stays the same");
	CHECK_EQ(keyctl(KEYCTL_SET_REQKEY_KEYRING, -1, 0, 0, 0), 1, "the default reads back");
	CHECK_ERR(request_key("user", "tkey", "info", 0), ENOENT, "request_key constructs into the default");
	CHECK_EQ(keyctl(KEYCTL_READ, thread, (long)ids, sizeof ids, 0), 4, "... the thread keyring holds the negative key");
	keyctl(KEYCTL_SET_REQKEY_KEYRING, 0, 0, 0, 0);
	pthread_t th;
	CHECK_BAIL(pthread_create(&th, NULL, thread_main, NULL) == 0, "start a thread");
	pthread_join(th, NULL);
	CHECK(thread_seen > 0 && thread_seen != thread, "a new thread gets its own thread keyring");

	/* fork: the session is shared, the process and thread keyrings not */
	long process = keyring_id(KEY_SPEC_PROCESS_KEYRING, 1);
	CHECK(process > 0 && process != thread, "create the process keyring");
	CHECK_STR(describe(process), "keyring;0;0;3f010000;_pid", "describe the process keyring");
	pid_t pid = fork();
	if (pid == 0) {
		if (keyring_id(KEY_SPEC_SESSION_KEYRING, 0) != session)
			_exit(1);
		if (keyring_id(KEY_SPEC_PROCESS_KEYRING, 0) != -1 || errno != ENOKEY)
			_exit(2);
		if (keyring_id(KEY_SPEC_THREAD_KEYRING, 0) != -1 || errno != ENOKEY)
			_exit(3);
		_exit(0);
	}
	CHECK_EQ(child_status(pid), 0, "fork: same session, no process or thread keyring");
	char arg[32];
	snprintf(arg, sizeof arg, "%ld", session);
	pid = fork();
	if (pid == 0) {
		execl("/proc/self/exe", argv[0], "exec-child", arg, (char *)NULL);
		_exit(99);
	}
	CHECK_EQ(child_status(pid), 0, "exec keeps the session, drops the process and thread keyrings");

	/* possession and permissions across setuid */
	long secret = add_key("user", "secret", "s", 1, KEY_SPEC_SESSION_KEYRING);
	pid = fork();
	if (pid == 0) {
		if (setuid(12345) != 0)
			_exit(1);
		/* Possessed through the session: the possessor bits apply. */
		if (keyctl(KEYCTL_DESCRIBE, secret, (long)buf, sizeof buf, 0) < 0)
			_exit(2);
		if (keyctl(KEYCTL_SETPERM, secret, 0x3f3f3f3f, 0, 0) != -1 || errno != EACCES)
			_exit(3);
		if (keyctl(KEYCTL_JOIN_SESSION_KEYRING, 0, 0, 0, 0) < 0)
			_exit(4);
		/* No longer possessed: other's bits (none) apply. */
		if (keyctl(KEYCTL_DESCRIBE, secret, (long)buf, sizeof buf, 0) != -1 || errno != EACCES)
			_exit(5);
		if (keyctl(KEYCTL_READ, secret, (long)buf, sizeof buf, 0) != -1 || errno != EACCES)
			_exit(6);
		_exit(0);
	}
	CHECK_EQ(child_status(pid), 0, "setuid child: possessed key visible, then not after leaving the session");
	CHECK_ERR(keyctl(KEYCTL_SETPERM, secret, 0x40000000, 0, 0), EINVAL, "SETPERM with unknown bits");
	CHECK_EQ(keyctl(KEYCTL_SETPERM, secret, 0x3f010000 | 0x02, 0, 0), 0, "SETPERM");
	CHECK_STR(describe(secret), "user;0;0;3f010002;secret", "... shows");
	CHECK_EQ(keyctl(KEYCTL_CHOWN, secret, 5, -1, 0), 0, "CHOWN by root");
	CHECK_STR(describe(secret), "user;5;0;3f010002;secret", "... shows the new owner");
	CHECK_EQ(keyctl(KEYCTL_CHOWN, secret, -1, -1, 0), 0, "CHOWN changing nothing");

	/* quotas: an ordinary user may own 200 keys and 20000 bytes (what an
	 * earlier run left may not be collected yet on Linux: fewer fit then) */
	pid = fork();
	if (pid == 0) {
		if (setuid(12346) != 0 || keyctl(KEYCTL_JOIN_SESSION_KEYRING, 0, 0, 0, 0) < 0)
			_exit(1);
		char payload[100];
		memset(payload, 'q', sizeof payload);
		int n;
		for (n = 0; n < 1000; n++) {
			char d[16];
			snprintf(d, sizeof d, "q%d", n);
			if (add_key("user", d, payload, sizeof payload, KEY_SPEC_SESSION_KEYRING) < 0)
				break;
		}
		_exit(n <= 200 && errno == EDQUOT ? 0 : 2);
	}
	CHECK_EQ(child_status(pid), 0, "an ordinary user hits EDQUOT");

	/* session to parent: a grandchild hands its session to its parent
	 * (never init, which may not be given one: EPERM), which reports */
	pid = fork();
	if (pid == 0) {
		int p[2];
		if (pipe(p) != 0)
			_exit(1);
		pid_t g = fork();
		if (g == 0) {
			long s = keyctl(KEYCTL_JOIN_SESSION_KEYRING, (long)"handed-up", 0, 0, 0);
			if (s < 0 || keyctl(KEYCTL_SESSION_TO_PARENT, 0, 0, 0, 0) != 0)
				s = -1;
			write(p[1], &s, sizeof s);
			_exit(0);
		}
		long handed = -1;
		if (read(p[0], &handed, sizeof handed) != sizeof handed || child_status(g) != 0 || handed <= 0)
			_exit(2);
		if (keyring_id(KEY_SPEC_SESSION_KEYRING, 0) != handed)
			_exit(3);
		if (strcmp(describe(handed), "keyring;0;0;3f130000;handed-up") != 0)
			_exit(4);
		_exit(0);
	}
	CHECK_EQ(child_status(pid), 0, "SESSION_TO_PARENT gives the parent the child's session");
	CHECK_EQ(keyctl(KEYCTL_JOIN_SESSION_KEYRING, (long)"mine", 0, 0, 0) > 0, 1, "join a named session");
	CHECK_ERR(keyctl(KEYCTL_JOIN_SESSION_KEYRING, (long)".builtin_trusted_keys", 0, 0, 0), EPERM, "joining a '.' keyring");

	/* move, invalidate, restrict */
	long s2 = keyring_id(KEY_SPEC_SESSION_KEYRING, 0);
	long from = add_key("keyring", "from", NULL, 0, s2), to = add_key("keyring", "to", NULL, 0, s2);
	long m = add_key("user", "m", "1", 1, from);
	add_key("user", "m", "2", 1, to);
	CHECK_ERR(keyctl(KEYCTL_MOVE, m, from, to, 2), EINVAL, "MOVE with unknown flags");
	CHECK_ERR(keyctl(KEYCTL_MOVE, m, from, to, 1), EEXIST, "MOVE_EXCL onto a key of the same description");
	CHECK_EQ(keyctl(KEYCTL_MOVE, m, from, to, 0), 0, "MOVE");
	CHECK(keyring_has(to, m) && !keyring_has(from, m), "... the key moved");
	CHECK_ERR(keyctl(KEYCTL_MOVE, m, from, to, 0), ENOENT, "MOVE from a keyring without it");
	long inv = add_key("user", "inv", "1", 1, s2);
	CHECK_EQ(keyctl(KEYCTL_INVALIDATE, inv, 0, 0, 0), 0, "INVALIDATE");
	CHECK_EQ(keyctl(KEYCTL_RESTRICT_KEYRING, to, 0, 0, 0), 0, "RESTRICT_KEYRING");
	CHECK_ERR(add_key("user", "late", "1", 1, to), EPERM, "no links into a restricted keyring");
	CHECK_ERR(keyctl(KEYCTL_RESTRICT_KEYRING, to, 0, 0, 0), EEXIST, "RESTRICT twice");
	CHECK_ERR(keyctl(KEYCTL_RESTRICT_KEYRING, m, 0, 0, 0), ENOTDIR, "RESTRICT a user key");
	CHECK_EQ(keyctl(KEYCTL_CLEAR, from, 0, 0, 0), 0, "CLEAR a keyring");
	CHECK_EQ(keyctl(KEYCTL_READ, from, 0, 0, 0), 0, "... it is empty");

	/* the request-key authority, capabilities, unknown commands */
	CHECK_ERR(keyctl(KEYCTL_INSTANTIATE, k1, (long)"x", 1, 0), EPERM, "INSTANTIATE without authority");
	CHECK_ERR(keyctl(KEYCTL_NEGATE, k1, 10, 0, 0), EPERM, "NEGATE without authority");
	CHECK_EQ(keyctl(KEYCTL_ASSUME_AUTHORITY, 0, 0, 0, 0), 0, "ASSUME_AUTHORITY 0");
	CHECK_ERR(keyctl(KEYCTL_ASSUME_AUTHORITY, k1, 0, 0, 0), ENOKEY, "ASSUME_AUTHORITY of a key that is none");
	unsigned char caps[4] = {0, 0, 0xaa, 0xaa};
	CHECK_EQ(keyctl(KEYCTL_CAPABILITIES, (long)caps, sizeof caps, 0, 0), 2, "CAPABILITIES");
	CHECK((caps[0] & 0xa1) == 0xa1 && caps[2] == 0 && caps[3] == 0, "... capabilities, invalidate and move; the rest of the buffer cleared");
	CHECK_ERR(keyctl(99, 0, 0, 0, 0), EOPNOTSUPP, "an unknown keyctl command");

	/* /proc/sys/kernel/keys */
	int fd = open("/proc/sys/kernel/keys/maxkeys", O_RDWR);
	CHECK(fd >= 0, "open /proc/sys/kernel/keys/maxkeys");
	char text[32] = {0};
	CHECK(read(fd, text, sizeof text - 1) > 0 && atoi(text) > 0, "maxkeys reads as a number");
	CHECK_EQ(pwrite(fd, text, strlen(text), 0), (long)strlen(text), "root writes maxkeys back");
	CHECK_ERR(pwrite(fd, "-1\n", 3, 0), EINVAL, "a negative maxkeys");
	close(fd);
	CHECK(access("/proc/sys/kernel/keys/root_maxbytes", R_OK) == 0 && access("/proc/sys/kernel/keys/gc_delay", R_OK) == 0, "root_maxbytes and gc_delay exist");
	return check_done();
}
