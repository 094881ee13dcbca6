/* newlib string and conversion functions: mem*, str*, strto*, ato*, ctype, with overlapping moves. */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include "diff.h"

/* Bounded copies that truncate are what this program tests. */
#pragma GCC diagnostic ignored "-Wstringop-truncation"

int main(void)
{
    char buffer[64] = "0123456789abcdefghij";
    memmove(buffer + 3, buffer, 10); /* overlapping, forwards */
    printf("memmove up   : %s\n", buffer);
    memmove(buffer, buffer + 5, 10); /* overlapping, backwards */
    printf("memmove down : %s\n", buffer);
    memset(buffer + 4, '*', 3);
    printf("memset       : %s\n", buffer);
    printf("memcmp       : %d %d %d\n", memcmp("abc", "abd", 3) < 0, memcmp("abc", "abc", 3), memcmp("b", "a", 1) > 0);
    printf("memchr       : %s\n", (const char *)memchr("find the x here", 'x', 15));

    const char *text = "the quick brown fox jumps over the lazy dog";
    printf("strlen %u strchr %s strrchr %s\n", (unsigned)strlen(text), strchr(text, 'q'), strrchr(text, 't'));
    printf("strstr %s | strspn %u strcspn %u\n", strstr(text, "fox"), (unsigned)strspn(text, "the "),
           (unsigned)strcspn(text, "xyz"));
    printf("strcmp %d %d strncmp %d\n", strcmp("abc", "abd") < 0, strcmp("b", "a") > 0, strncmp("abcdef", "abcxyz", 3));

    char copy[32];
    strncpy(copy, "truncated string", 9);
    copy[9] = '\0';
    printf("strncpy      : [%s]\n", copy);
    strcpy(copy, "join");
    strncat(copy, "-together-and-more", 9);
    printf("strncat      : [%s]\n", copy);

    char tokens[] = "alpha, beta;gamma,,delta";
    for (char *token = strtok(tokens, ",;"); token != NULL; token = strtok(NULL, ",;")) {
        printf("token <%s>\n", token);
    }

    char *end;
    printf("strtol %ld %ld %ld\n", strtol("  -12345xyz", &end, 10), strtol("0x7fffffff", NULL, 0), strtol("777", NULL, 8));
    printf("rest after strtol: %s\n", end);
    printf("strtoul %lu %lu\n", strtoul("4294967295", NULL, 10), strtoul("ffff", NULL, 16));
    printf("strtoll %lld atoi %d atol %ld\n", strtoll("-9000000000000", NULL, 10), atoi("  42abc"), atol("-77"));
    printf("strtod %.6f %.3e\n", strtod("3.14159", NULL), strtod("-2.5e-3", NULL));

    int counts[4] = { 0 };
    for (const char *p = "Hello, World 2024!\t"; *p != '\0'; p++) {
        counts[0] += isalpha((unsigned char)*p) != 0;
        counts[1] += isdigit((unsigned char)*p) != 0;
        counts[2] += isspace((unsigned char)*p) != 0;
        counts[3] += ispunct((unsigned char)*p) != 0;
    }
    printf("ctype alpha %d digit %d space %d punct %d, upper %c lower %c\n", counts[0], counts[1], counts[2], counts[3],
           toupper('q'), tolower('Q'));
    return 37;
}
