/* SPDX-License-Identifier: MIT */
/* aoe-parallel's event loop (see server.h).
 *
 * Buffers: a fixed pool of bufcnt request buffers, allocated once. A frame is received into one
 * so that its data (byte 36 on) starts on a page: reads and writes go straight between the frame
 * and the backing store, which O_DIRECT requires, and the answer is sent from the same buffer.
 * bufcnt is also what Query Config advertises: an initiator that keeps bufcnt frames in flight
 * finds a free buffer for each, and while all are busy new frames wait in the socket.
 *
 * Ordering: requests run concurrently and finish in any order, as AoE allows. The one order kept
 * is the data's: a request that overlaps a write in flight (or a write overlapping anything in
 * flight) waits until that finishes, so every read sees the writes received before it, as with
 * vblade's one-at-a-time loop. A FLUSH with -f (fdatasync) likewise waits for the writes in
 * flight, so it covers every write answered before it. */
#define _GNU_SOURCE
#include "server.h"

#include <errno.h>
#include <liburing.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/uio.h>
#include <time.h>

#include "acct.h"
#include "aoe.h"
#include "merge.h"

#define PAGE 4096u
#define MERGE_MAX_ITEMS 64u       /* requests in one submission */
#define MERGE_MAX_SECTORS 2048u   /* 1 MiB per submission */
#define VERIFY_BYTES (256u * 512) /* READ VERIFY's sink: the largest count, page-rounded */
#define POLL_TAG ((uint64_t)1)    /* user_data of the socket's poll (ops are pointers, never 1) */
#define IDLE_NS 100000000ll       /* accounting: rewrite the counters 100 ms after the last frame */

typedef enum { R_FREE, R_PENDING, R_INFLIGHT } request_state;

typedef struct request {
    uint8_t *buf; /* frame; data at buf + 36 is page-aligned */
    size_t len;
    uint64_t t_us, t_ns; /* receive batch time (CLOCK_REALTIME us, CLOCK_MONOTONIC ns) */
    target_result res;
    request_state state;
    bool deferred;
} request;

typedef struct op {
    ata_action kind;
    request *reqs[MERGE_MAX_ITEMS]; /* in LBA order */
    unsigned nreq;
    struct iovec iov[MERGE_MAX_ITEMS];
    unsigned iov_first, niov; /* iov[iov_first..niov) is what is left after a short transfer */
    uint64_t offset;          /* bytes, of what is left */
    size_t total, done;
    bool busy;
} op;

static struct {
    aoe_target *t;
    const aoe_wire *w;
    int fd;
    int n;            /* bufcnt */
    size_t frame_cap; /* bytes from a frame's start */
    size_t data_cap;  /* bytes from its data */
    request *req;
    int *free_stack, nfree;
    request **pending; /* FIFO of requests waiting for an overlapping write */
    int npending;
    op *ops;
    uint8_t *verify_sink;
    struct io_uring ring;
    bool sock_ready, poll_armed;
    unsigned inflight, ops_inflight;
    /* answers of this turn, sent together */
    request **answers;
    uint8_t **answer_bufs;
    size_t *answer_lens;
    int nanswers;
} s;

static void *aligned(size_t bytes) {
    void *p;
    if (posix_memalign(&p, PAGE, bytes) != 0) {
        fprintf(stderr, "aoe-parallel: cannot allocate %zu bytes of buffers\n", bytes);
        exit(1);
    }
    memset(p, 0, bytes);
    return p;
}

static size_t round_up(size_t v, size_t to) { return (v + to - 1) / to * to; }

static void pool_init(int mtu) {
    size_t frame = (size_t)mtu + 14;
    if (frame < TARGET_MIN_BUFFER) frame = TARGET_MIN_BUFFER;
    s.data_cap = round_up(frame, PAGE);
    s.frame_cap = AOE_ATA_HDR_LEN + s.data_cap;
    size_t stride = PAGE + s.data_cap; /* the header's page, then the data's pages */
    uint8_t *block = aligned(stride * (size_t)s.n);
    s.req = calloc((size_t)s.n, sizeof *s.req);
    s.free_stack = calloc((size_t)s.n, sizeof *s.free_stack);
    s.pending = calloc((size_t)s.n, sizeof *s.pending);
    s.ops = calloc((size_t)s.n, sizeof *s.ops);
    s.answers = calloc((size_t)s.n, sizeof *s.answers);
    s.answer_bufs = calloc((size_t)s.n, sizeof *s.answer_bufs);
    s.answer_lens = calloc((size_t)s.n, sizeof *s.answer_lens);
    if (!s.req || !s.free_stack || !s.pending || !s.ops || !s.answers || !s.answer_bufs || !s.answer_lens) {
        fprintf(stderr, "aoe-parallel: out of memory\n");
        exit(1);
    }
    for (int i = 0; i < s.n; i++) {
        s.req[i].buf = block + (size_t)i * stride + PAGE - AOE_ATA_HDR_LEN;
        s.free_stack[i] = s.n - 1 - i;
    }
    s.nfree = s.n;
    s.verify_sink = aligned(VERIFY_BYTES);
}

static void release(request *r) {
    r->state = R_FREE;
    s.free_stack[s.nfree++] = (int)(r - s.req);
}

static void queue_answer(request *r) {
    s.answers[s.nanswers] = r;
    s.answer_bufs[s.nanswers] = r->buf;
    s.answer_lens[s.nanswers] = r->res.answer_len;
    s.nanswers++;
}

/* Sends this turn's answers in one batch, accounts them, frees their buffers. */
static void flush_answers(void) {
    if (s.nanswers == 0) return;
    if (wire_send(s.w, s.answer_bufs, s.answer_lens, s.nanswers) < 0) {
        perror("aoe-parallel: write to network");
        exit(1);
    }
    uint64_t now = acct_enabled() ? clock_ns(CLOCK_MONOTONIC) : 0;
    for (int i = 0; i < s.nanswers; i++) {
        request *r = s.answers[i];
        if (r->res.is_ata && acct_enabled()) acct_request(&r->res, r->t_us, now - r->t_ns);
        release(r);
    }
    s.nanswers = 0;
}

static bool is_write(const request *r) { return r->res.io.action == ATA_WRITE; }

/* Must one of a and b wait for the other? Reads never wait for reads; a FLUSH waits for the
 * writes before it (and writes after it for the FLUSH); otherwise a write and anything touching
 * the same sectors. */
static bool overlaps(const request *a, const request *b) {
    if (!is_write(a) && !is_write(b)) return false;
    if (a->res.io.action == ATA_FLUSH || b->res.io.action == ATA_FLUSH) return true;
    return a->res.io.lba < b->res.io.lba + b->res.io.sectors && b->res.io.lba < a->res.io.lba + a->res.io.sectors;
}

/* May r start now? Not while it overlaps (with a write on either side) a request in flight or
 * one received before it that still waits. */
static bool may_start(const request *r, int pending_index) {
    for (int i = 0; i < s.n; i++)
        if (s.req[i].state == R_INFLIGHT && overlaps(r, &s.req[i])) return false;
    for (int i = 0; i < pending_index; i++)
        if (overlaps(r, s.pending[i])) return false;
    return true;
}

static struct io_uring_sqe *sqe(void) {
    struct io_uring_sqe *e = io_uring_get_sqe(&s.ring);
    if (!e) { /* the ring holds bufcnt + 1 entries and is submitted every turn: not expected */
        io_uring_submit(&s.ring);
        e = io_uring_get_sqe(&s.ring);
    }
    if (!e) {
        fprintf(stderr, "aoe-parallel: io_uring submission queue full\n");
        exit(1);
    }
    return e;
}

static void prep(op *o) {
    struct io_uring_sqe *e = sqe();
    switch (o->kind) {
    case ATA_READ:
    case ATA_VERIFY: io_uring_prep_readv(e, s.fd, o->iov + o->iov_first, o->niov - o->iov_first, o->offset); break;
    case ATA_WRITE: io_uring_prep_writev(e, s.fd, o->iov + o->iov_first, o->niov - o->iov_first, o->offset); break;
    default: io_uring_prep_fsync(e, s.fd, IORING_FSYNC_DATASYNC); break;
    }
    io_uring_sqe_set_data(e, o);
}

static op *new_op(ata_action kind) {
    for (int i = 0; i < s.n; i++)
        if (!s.ops[i].busy) {
            op *o = &s.ops[i];
            memset(o, 0, sizeof *o);
            o->busy = true;
            o->kind = kind;
            return o;
        }
    fprintf(stderr, "aoe-parallel: no free operation (bug)\n");
    exit(1);
}

static void add_to_op(op *o, request *r) {
    void *base = r->res.io.action == ATA_VERIFY ? s.verify_sink : r->buf + AOE_ATA_HDR_LEN;
    size_t bytes = (size_t)r->res.io.sectors * 512;
    if (o->nreq == 0) o->offset = r->res.io.lba * 512;
    o->reqs[o->nreq++] = r;
    if (o->kind != ATA_FLUSH) {
        o->iov[o->niov].iov_base = base;
        o->iov[o->niov].iov_len = bytes;
        o->niov++;
        o->total += bytes;
    }
    r->state = R_INFLIGHT;
    s.inflight++;
}

static void submitted(op *o) {
    prep(o);
    s.ops_inflight++;
    if (o->kind != ATA_FLUSH) {
        pstats.io_ops++;
        pstats.io_requests += o->nreq;
        if (o->nreq > pstats.max_merge) pstats.max_merge = o->nreq;
    }
}

/* Starts what may start among the waiting requests, in arrival order: reads and writes merged
 * where adjacent, READ VERIFY and FLUSH on their own. */
static void start_pending(void) {
    request *go[s.n > 0 ? s.n : 1];
    merge_item items[s.n > 0 ? s.n : 1];
    size_t order[s.n > 0 ? s.n : 1];
    merge_run runs[s.n > 0 ? s.n : 1];
    int ngo = 0, keep = 0;
    for (int i = 0; i < s.npending; i++) {
        request *r = s.pending[i];
        if (may_start(r, keep)) {
            go[ngo++] = r;
            r->state = R_INFLIGHT; /* later waiting requests must see it as in flight */
        } else {
            if (!r->deferred) pstats.deferred++;
            r->deferred = true;
            s.pending[keep++] = r;
        }
    }
    s.npending = keep;
    size_t nitems = 0;
    request *rw[s.n > 0 ? s.n : 1];
    for (int i = 0; i < ngo; i++) {
        request *r = go[i];
        r->state = R_PENDING; /* add_to_op marks it in flight */
        if (r->res.io.action == ATA_READ || r->res.io.action == ATA_WRITE) {
            items[nitems] = (merge_item){ r->res.io.action == ATA_WRITE, r->res.io.lba, r->res.io.sectors };
            rw[nitems++] = r;
            continue;
        }
        op *o = new_op(r->res.io.action);
        add_to_op(o, r);
        submitted(o);
    }
    size_t nruns = merge_plan(items, nitems, MERGE_MAX_ITEMS, MERGE_MAX_SECTORS, order, runs);
    for (size_t k = 0; k < nruns; k++) {
        op *o = new_op(items[order[runs[k].first]].write ? ATA_WRITE : ATA_READ);
        for (size_t j = 0; j < runs[k].count; j++) add_to_op(o, rw[order[runs[k].first + j]]);
        submitted(o);
    }
    if (s.inflight > pstats.max_inflight) pstats.max_inflight = s.inflight;
    if (s.ops_inflight > pstats.max_ops_inflight) pstats.max_ops_inflight = s.ops_inflight;
}

/* One received frame: dropped, answered now, or queued for I/O. */
static void handle_frame(request *r) {
    r->res = target_receive(s.t, r->buf, r->len, s.frame_cap, s.data_cap);
    r->deferred = false;
    switch (r->res.verdict) {
    case TARGET_DROP: release(r); return;
    case TARGET_ANSWER: queue_answer(r); return;
    case TARGET_IO: break;
    }
    if (r->res.io.sectors == 0 && r->res.io.action != ATA_FLUSH) { /* nothing to move */
        target_finish_io(s.t, r->buf, &r->res, 0);
        queue_answer(r);
        return;
    }
    r->state = R_PENDING;
    s.pending[s.npending++] = r;
}

static void receive(void) {
    uint8_t *bufs[s.n > 0 ? s.n : 1];
    size_t lens[s.n > 0 ? s.n : 1];
    int room = s.nfree;
    for (int i = 0; i < room; i++) bufs[i] = s.req[s.free_stack[s.nfree - 1 - i]].buf;
    int got = wire_recv(s.w, bufs, s.frame_cap, lens, room);
    if (got < 0) {
        perror("aoe-parallel: read network");
        exit(1);
    }
    if (got < room) s.sock_ready = false; /* drained */
    if (got == 0) return;
    uint64_t t_us = acct_enabled() ? clock_ns(CLOCK_REALTIME) / 1000 : 0;
    uint64_t t_ns = acct_enabled() ? clock_ns(CLOCK_MONOTONIC) : 0;
    pstats.batches++;
    pstats.frames += (uint64_t)got;
    if ((uint64_t)got > pstats.max_batch) pstats.max_batch = (uint64_t)got;
    request *batch[s.n > 0 ? s.n : 1];
    for (int i = 0; i < got; i++) { /* take them all first: a dropped frame's buffer goes back at once */
        request *r = batch[i] = &s.req[s.free_stack[--s.nfree]];
        r->len = lens[i];
        r->t_us = t_us;
        r->t_ns = t_ns;
        r->state = R_PENDING;
    }
    for (int i = 0; i < got; i++) handle_frame(batch[i]);
}

/* An operation's submission completed with res: continue a short transfer, or answer. */
static void complete(op *o, int res) {
    if (res > 0 && o->kind != ATA_FLUSH && o->done + (size_t)res < o->total) {
        o->done += (size_t)res;
        o->offset += (uint64_t)res;
        size_t left = (size_t)res;
        while (left >= o->iov[o->iov_first].iov_len) left -= o->iov[o->iov_first++].iov_len;
        o->iov[o->iov_first].iov_base = (uint8_t *)o->iov[o->iov_first].iov_base + left;
        o->iov[o->iov_first].iov_len -= left;
        prep(o); /* the rest, as its own submission */
        return;
    }
    s.ops_inflight--;
    if (res > 0) o->done += (size_t)res;
    size_t left = o->done;
    for (unsigned i = 0; i < o->nreq; i++) {
        request *r = o->reqs[i];
        long result;
        if (o->kind == ATA_FLUSH)
            result = res;
        else {
            size_t want = (size_t)r->res.io.sectors * 512;
            size_t got = left < want ? left : want;
            left -= got;
            result = got == 0 && res < 0 ? res : (long)got;
        }
        target_finish_io(s.t, r->buf, &r->res, result);
        s.inflight--;
        queue_answer(r);
    }
    o->busy = false;
}

/* Reaps every completion already posted. */
static void reap(void) {
    struct io_uring_cqe *cqe;
    while (io_uring_peek_cqe(&s.ring, &cqe) == 0) {
        uint64_t tag = cqe->user_data;
        int res = cqe->res;
        io_uring_cqe_seen(&s.ring, cqe);
        if (tag == POLL_TAG) {
            s.poll_armed = false;
            s.sock_ready = true;
        } else
            complete((op *)(uintptr_t)tag, res);
    }
}

static void arm_poll(void) {
    struct io_uring_sqe *e = sqe();
    io_uring_prep_poll_add(e, s.w->fd, POLLIN);
    io_uring_sqe_set_data64(e, POLL_TAG);
    s.poll_armed = true;
}

int server_run(aoe_target *t, const aoe_wire *w, int fd, int bufcnt) {
    s.t = t;
    s.w = w;
    s.fd = fd;
    s.n = bufcnt;
    pool_init(w->mtu);
    unsigned entries = 8;
    while (entries < (unsigned)bufcnt + 2) entries <<= 1;
    int err = io_uring_queue_init(entries, &s.ring, 0);
    if (err < 0) {
        fprintf(stderr, "aoe-parallel: io_uring_queue_init: %s\n", strerror(-err));
        return 1;
    }
    s.sock_ready = true;
    for (;;) {
        if (s.sock_ready && s.nfree > 0) receive();
        start_pending();
        flush_answers();
        if (!s.sock_ready && !s.poll_armed) arm_poll();
        io_uring_submit(&s.ring);
        if (acct_enabled()) acct_tick(clock_ns(CLOCK_MONOTONIC), false);
        if (!(s.sock_ready && s.nfree > 0)) {
            /* nothing to receive now: sleep until a completion or a frame (the poll) */
            struct io_uring_cqe *cqe;
            int rc;
            if (acct_enabled() && acct_dirty()) {
                struct __kernel_timespec idle = { 0, IDLE_NS };
                rc = io_uring_wait_cqe_timeout(&s.ring, &cqe, &idle);
                if (rc == -ETIME) acct_tick(clock_ns(CLOCK_MONOTONIC), true);
            } else
                rc = io_uring_wait_cqe(&s.ring, &cqe);
            if (rc < 0 && rc != -ETIME && rc != -EINTR) {
                fprintf(stderr, "aoe-parallel: io_uring wait: %s\n", strerror(-rc));
                return 1;
            }
        }
        reap();
        flush_answers();
    }
}
