/*
 * Kernel robustness: a child touches memory until the kernel has no more
 * to give. The kernel must kill it (SIGKILL, with a log line) rather than
 * fail itself, and must then keep doing ordinary work.
 *
 * Like syscall_fuzz, this runs only inside Helctic: on the build machine
 * it would consume the host's memory instead.
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

int main(void) {
    pid_t pid = fork();
    if (pid < 0) { perror("fork"); return 1; }
    if (pid == 0) {
        for (;;) {
            char *p = mmap(NULL, 1 << 20, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
            if (p == MAP_FAILED) _exit(2); /* address space, not memory, ran out */
            memset(p, 0x5a, 1 << 20);
        }
    }
    int status;
    if (waitpid(pid, &status, 0) != pid) { printf("not ok 1 - waitpid\n"); return 1; }
    int killed = WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL;
    printf("%s 1 - the memory hog was killed by SIGKILL (status %#x)\n", killed ? "ok" : "not ok", status);
    /* Ordinary work afterwards: memory came back. */
    char *again = malloc(8 << 20);
    int ok2 = again != NULL;
    if (again) memset(again, 1, 8 << 20);
    printf("%s 2 - 8 MiB can be allocated and touched afterwards\n", ok2 ? "ok" : "not ok");
    pid_t p2 = fork();
    if (p2 == 0) _exit(9);
    int st2 = 0;
    int ok3 = waitpid(p2, &st2, 0) == p2 && WIFEXITED(st2) && WEXITSTATUS(st2) == 9;
    printf("%s 3 - fork still works\n", ok3 ? "ok" : "not ok");
    int passed = killed + ok2 + ok3;
    printf("# passed %d failed %d\n", passed, 3 - passed);
    return passed == 3 ? 0 : 1;
}
