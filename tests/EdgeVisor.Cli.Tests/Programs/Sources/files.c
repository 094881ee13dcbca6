/*
 * Files and directories in the working directory: create, write, read, seek, stat, list, rename, remove, pipes;
 * and /proc/self/maps, which must describe the guest's own memory (glibc finds the main thread's stack there).
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <unistd.h>
#include "common.h"

static void check_own_maps(void)
{
    int local = 0;
    uintptr_t me = (uintptr_t)&local, code = (uintptr_t)&check_own_maps;
    FILE *maps = fopen("/proc/self/maps", "r");
    char line[512];
    int in_stack = 0, in_code = 0;
    while (maps && fgets(line, sizeof line, maps)) {
        unsigned long lo, hi;
        char perms[8];
        if (sscanf(line, "%lx-%lx %7s", &lo, &hi, perms) != 3)
            continue;
        if (me >= lo && me < hi && strstr(line, "[stack]"))
            in_stack = 1;
        if (code >= lo && code < hi && perms[2] == 'x')
            in_code = 1;
    }
    if (maps)
        fclose(maps);
    pthread_attr_t attr;
    void *base = NULL;
    size_t size = 0;
    pthread_getattr_np(pthread_self(), &attr);
    pthread_attr_getstack(&attr, &base, &size);
    int within = me >= (uintptr_t)base && me < (uintptr_t)base + size;
    printf("maps: local in [stack]=%d code executable=%d pthread stack holds local=%d\n", in_stack, in_code, within);
}

static int by_name(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

int main(void)
{
    check_own_maps();
    if (mkdir("work", 0755) != 0) { perror("mkdir"); return 1; }
    int fd = open("work/data.bin", O_CREAT | O_RDWR | O_TRUNC, 0640);
    if (fd < 0) { perror("open"); return 1; }
    char block[4096];
    for (int i = 0; i < 4096; i++) block[i] = (char)(i * 7);
    for (int i = 0; i < 10; i++) if (write(fd, block, sizeof block) != (ssize_t)sizeof block) return 2;
    struct iovec iov[2] = { { "head", 4 }, { "tail\n", 5 } };
    printf("writev=%zd\n", writev(fd, iov, 2));
    printf("lseek=%ld\n", (long)lseek(fd, 100, SEEK_SET));
    char back[16];
    printf("read=%zd first=%d\n", read(fd, back, 16), back[0]);
    printf("pread=%zd value=%d\n", pread(fd, back, 4, 40960), back[0]);
    struct stat st;
    fstat(fd, &st);
    printf("size=%lld mode=%o regular=%d\n", (long long)st.st_size, st.st_mode & 0777, S_ISREG(st.st_mode));
    close(fd);

    FILE *text = fopen("work/notes.txt", "w");
    fprintf(text, "line one\nline two\n");
    fclose(text);
    text = fopen("work/notes.txt", "r");
    char line[64];
    while (fgets(line, sizeof line, text)) printf("got: %s", line);
    fclose(text);

    symlink("notes.txt", "work/link");
    char target[64] = { 0 };
    printf("readlink=%zd %s\n", readlink("work/link", target, sizeof target - 1), target);
    printf("rename=%d\n", rename("work/notes.txt", "work/renamed.txt"));
    printf("missing open errno=%d ENOENT=%d\n", open("work/nope", O_RDONLY) < 0 ? errno : 0, ENOENT);
    printf("stat dir=%d\n", stat("work", &st) == 0 && S_ISDIR(st.st_mode));

    DIR *dir = opendir("work");
    char *names[16]; int count = 0;
    struct dirent *entry;
    while ((entry = readdir(dir)) && count < 16) names[count++] = strdup(entry->d_name);
    closedir(dir);
    qsort(names, (size_t)count, sizeof names[0], by_name);
    for (int i = 0; i < count; i++) { printf("entry %s\n", names[i]); free(names[i]); }

    int pipefd[2];
    pipe(pipefd);
    write(pipefd[1], "through a pipe", 14);
    close(pipefd[1]);
    char piped[32] = { 0 };
    printf("pipe read=%zd %s\n", read(pipefd[0], piped, sizeof piped - 1), piped);
    printf("eof read=%zd\n", read(pipefd[0], piped, 1));
    close(pipefd[0]);

    int copy = dup(1);
    dprintf(copy, "via dup\n");
    close(copy);
    char cwd[4096];
    printf("cwd ends with work? %d\n", chdir("work") == 0 && getcwd(cwd, sizeof cwd) && strcmp(strrchr(cwd, '/'), "/work") == 0);
    printf("unlink=%d %d %d rmdir=%d\n", unlink("data.bin"), unlink("renamed.txt"), unlink("link"), (chdir("..") || rmdir("work")));
    printf("access=%d\n", access("work", F_OK) == 0);
    return 0;
}
