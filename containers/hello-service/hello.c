/* hello-service: answers every HTTP request with a greeting. PORT (default 8080) and GREETING from the
 * environment; --version prints the version, --once serves a single request (for tests). */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#ifndef VERSION
#define VERSION "0.0.0"
#endif

static void serve(int client, const char *greeting) {
    char request[4096];
    ssize_t n = read(client, request, sizeof request - 1);
    if (n < 0) n = 0;
    request[n] = '\0';
    char body[512];
    int len = snprintf(body, sizeof body, "%s from hello-service %s\n", greeting, VERSION);
    char response[1024];
    int total = snprintf(response, sizeof response,
                         "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: %d\r\nConnection: close\r\n\r\n%s",
                         len, body);
    if (write(client, response, (size_t)total) < 0) perror("write");
    close(client);
}

int main(int argc, char **argv) {
    int once = 0;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--version") == 0) { printf("hello-service %s\n", VERSION); return 0; }
        if (strcmp(argv[i], "--once") == 0) once = 1;
    }
    const char *greeting = getenv("GREETING") ? getenv("GREETING") : "hello";
    int port = getenv("PORT") ? atoi(getenv("PORT")) : 8080;
    signal(SIGPIPE, SIG_IGN);
    int server = socket(AF_INET, SOCK_STREAM, 0);
    int yes = 1;
    setsockopt(server, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes);
    struct sockaddr_in addr = { .sin_family = AF_INET, .sin_port = htons((unsigned short)port), .sin_addr.s_addr = htonl(INADDR_ANY) };
    if (bind(server, (struct sockaddr *)&addr, sizeof addr) != 0 || listen(server, 16) != 0) { perror("listen"); return 1; }
    fprintf(stderr, "hello-service %s listening on :%d\n", VERSION, port);
    do {
        int client = accept(server, NULL, NULL);
        if (client >= 0) serve(client, greeting);
    } while (!once);
    close(server);
    return 0;
}
