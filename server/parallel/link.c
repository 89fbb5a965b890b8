/* SPDX-License-Identifier: MIT */
#define _GNU_SOURCE
#include "link.h"

#include <arpa/inet.h>
#include <errno.h>
#include <linux/if_packet.h>
#include <net/if.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

#define AOE_TYPE 0x88A2
#define MAX_BATCH 1024

int wire_open(aoe_wire *w, const char *ifname, int bufcnt) {
    struct ifreq ifr;
    memset(&ifr, 0, sizeof ifr);
    snprintf(ifr.ifr_name, sizeof ifr.ifr_name, "%s", ifname);
    w->fd = socket(AF_PACKET, SOCK_RAW, htons(AOE_TYPE));
    if (w->fd < 0) {
        perror("socket(AF_PACKET)");
        return -1;
    }
    if (ioctl(w->fd, SIOCGIFINDEX, &ifr) < 0) {
        perror(ifname);
        return -1;
    }
    struct sockaddr_ll sa = { .sll_family = AF_PACKET,
                              .sll_protocol = htons(AOE_TYPE),
                              .sll_ifindex = ifr.ifr_ifindex };
    if (bind(w->fd, (struct sockaddr *)&sa, sizeof sa) < 0) {
        perror("bind");
        return -1;
    }
    if (ioctl(w->fd, SIOCGIFHWADDR, &ifr) < 0) {
        perror("SIOCGIFHWADDR");
        return -1;
    }
    memcpy(w->mac, ifr.ifr_hwaddr.sa_data, 6);
    w->mtu = ioctl(w->fd, SIOCGIFMTU, &ifr) < 0 ? 1500 : ifr.ifr_mtu;
    /* room for the advertised buffer count each way, as vblade sizes its socket */
    int bytes = bufcnt * w->mtu;
    if (setsockopt(w->fd, SOL_SOCKET, SO_SNDBUF, &bytes, sizeof bytes) < 0) perror("SO_SNDBUF");
    if (setsockopt(w->fd, SOL_SOCKET, SO_RCVBUF, &bytes, sizeof bytes) < 0) perror("SO_RCVBUF");
    return 0;
}

int wire_recv(const aoe_wire *w, uint8_t *const *bufs, size_t cap, size_t *lens, int n) {
    struct mmsghdr msgs[MAX_BATCH];
    struct iovec iov[MAX_BATCH];
    if (n > MAX_BATCH) n = MAX_BATCH;
    memset(msgs, 0, sizeof msgs[0] * (size_t)n);
    for (int i = 0; i < n; i++) {
        iov[i].iov_base = bufs[i];
        iov[i].iov_len = cap;
        msgs[i].msg_hdr.msg_iov = &iov[i];
        msgs[i].msg_hdr.msg_iovlen = 1;
    }
    int got = recvmmsg(w->fd, msgs, (unsigned)n, MSG_DONTWAIT, NULL);
    if (got < 0) return errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR ? 0 : -1;
    for (int i = 0; i < got; i++) lens[i] = msgs[i].msg_len;
    return got;
}

int wire_send(const aoe_wire *w, uint8_t *const *bufs, const size_t *lens, int n) {
    struct mmsghdr msgs[MAX_BATCH];
    struct iovec iov[MAX_BATCH];
    for (int done = 0; done < n;) {
        int k = n - done < MAX_BATCH ? n - done : MAX_BATCH;
        memset(msgs, 0, sizeof msgs[0] * (size_t)k);
        for (int i = 0; i < k; i++) {
            iov[i].iov_base = bufs[done + i];
            iov[i].iov_len = lens[done + i];
            msgs[i].msg_hdr.msg_iov = &iov[i];
            msgs[i].msg_hdr.msg_iovlen = 1;
        }
        int sent = sendmmsg(w->fd, msgs, (unsigned)k, 0);
        if (sent < 0) {
            if (errno == EINTR) continue;
            return -1;
        }
        done += sent;
    }
    return 0;
}
