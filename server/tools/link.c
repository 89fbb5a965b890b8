/* SPDX-License-Identifier: MIT */
#include "link.h"

#include <arpa/inet.h>
#include <errno.h>
#include <linux/if_packet.h>
#include <net/ethernet.h>
#include <net/if.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "aoe.h"

uint64_t now_ns(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static int interface_info(int fd, const char *ifname, aoe_link *link) {
    struct ifreq ifr;
    memset(&ifr, 0, sizeof ifr);
    if (strlen(ifname) >= sizeof ifr.ifr_name) {
        fprintf(stderr, "aoe-probe: interface name '%s' is too long\n", ifname);
        return -1;
    }
    strcpy(ifr.ifr_name, ifname);
    if (ioctl(fd, SIOCGIFINDEX, &ifr) < 0) {
        fprintf(stderr, "aoe-probe: no interface '%s' (%s); check --if and the network namespace\n", ifname,
                strerror(errno));
        return -1;
    }
    link->ifindex = ifr.ifr_ifindex;
    /* MAC and MTU share the request's union: one ioctl at a time. */
    if (ioctl(fd, SIOCGIFHWADDR, &ifr) < 0) goto fail;
    memcpy(link->mac, ifr.ifr_hwaddr.sa_data, 6);
    if (ioctl(fd, SIOCGIFMTU, &ifr) < 0) goto fail;
    link->mtu = (unsigned)ifr.ifr_mtu;
    return 0;
fail:
    fprintf(stderr, "aoe-probe: cannot read MAC/MTU of '%s': %s\n", ifname, strerror(errno));
    return -1;
}

int link_open(aoe_link *link, const char *ifname) {
    int fd = socket(AF_PACKET, SOCK_RAW, htons(AOE_ETHERTYPE));
    if (fd < 0) {
        fprintf(stderr, "aoe-probe: cannot open an AF_PACKET socket (%s); run as root\n", strerror(errno));
        return -1;
    }
    link->fd = fd;
    if (interface_info(fd, ifname, link) < 0) goto fail;
    struct sockaddr_ll sa;
    memset(&sa, 0, sizeof sa);
    sa.sll_family = AF_PACKET;
    sa.sll_protocol = htons(AOE_ETHERTYPE);
    sa.sll_ifindex = link->ifindex;
    if (bind(fd, (struct sockaddr *)&sa, sizeof sa) < 0) {
        fprintf(stderr, "aoe-probe: bind to '%s' failed: %s\n", ifname, strerror(errno));
        goto fail;
    }
    /* Our own requests would otherwise come back on this socket. */
    int one = 1;
    setsockopt(fd, SOL_PACKET, PACKET_IGNORE_OUTGOING, &one, sizeof one);
    /* Room for a 64-frame window of jumbo responses. */
    int bufsize = 8 << 20;
    setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &bufsize, sizeof bufsize);
    setsockopt(fd, SOL_SOCKET, SO_SNDBUFFORCE, &bufsize, sizeof bufsize);
    return 0;
fail:
    close(fd);
    return -1;
}

int link_send(const aoe_link *link, const uint8_t *frame, size_t len) {
    for (;;) {
        ssize_t n = send(link->fd, frame, len, 0);
        if (n == (ssize_t)len) return 0;
        if (n < 0 && (errno == ENOBUFS || errno == EAGAIN || errno == EINTR)) continue;
        return -1;
    }
}

long link_recv(const aoe_link *link, uint8_t *buf, size_t cap, uint64_t timeout_ns) {
    ssize_t n = recv(link->fd, buf, cap, MSG_DONTWAIT);
    if (n >= 0) return (long)n;
    if (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR) return -1;
    struct pollfd pfd = { .fd = link->fd, .events = POLLIN };
    struct timespec ts = { .tv_sec = (time_t)(timeout_ns / 1000000000u), .tv_nsec = (long)(timeout_ns % 1000000000u) };
    int ready = ppoll(&pfd, 1, &ts, NULL);
    if (ready < 0) return errno == EINTR ? 0 : -1;
    if (ready == 0) return 0;
    n = recv(link->fd, buf, cap, MSG_DONTWAIT);
    if (n >= 0) return (long)n;
    return (errno == EAGAIN || errno == EINTR) ? 0 : -1;
}
