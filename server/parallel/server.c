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
 * flight, so it covers every write answered before it.
 *
 * Overlays (-c/-C, overlay.h): each I/O is planned as pieces, each of one file: a write is one
 * piece in its client's overlay; a read is split by the client's sector map (cow_map.h) into
 * pieces from the overlay and from the image; without overlays every request is one piece of
 * the image. Pieces, not requests, are merged, and a request is answered when its last piece is
 * done. Requests of different clients never wait for each other then: they share no written
 * sector. A split piece's data is 512-byte aligned, which O_DIRECT on 512-byte-sector storage
 * accepts. */
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
#include "cow_map.h"
#include "merge.h"

#define PAGE 4096u
#define MERGE_MAX_ITEMS 64u       /* requests in one submission */
#define MERGE_MAX_SECTORS 2048u   /* 1 MiB per submission */
#define VERIFY_BYTES (256u * 512) /* READ VERIFY's sink: the largest count, page-rounded */
#define POLL_TAG ((uint64_t)1)    /* user_data of the socket's poll (ops are pointers, never 1) */
#define IDLE_NS 100000000ll       /* accounting: rewrite the counters 100 ms after the last frame */

typedef enum { R_FREE, R_PENDING, R_INFLIGHT } request_state;

struct request;

/* Part of a request's I/O that touches one file. */
typedef struct piece {
    struct request *r;
    overlay *ov; /* the overlay it reads or writes, NULL for the image */
    uint8_t *data;
    uint64_t lba;
    unsigned sectors;
} piece;

typedef struct request {
    uint8_t *buf; /* frame; data at buf + 36 is page-aligned */
    size_t len;
    uint64_t t_us, t_ns; /* receive batch time (CLOCK_REALTIME us, CLOCK_MONOTONIC ns) */
    target_result res;
    request_state state;
    bool deferred;
    uint8_t client[6]; /* the sender's MAC, kept before the answer is written over the frame */
    overlay *ov;       /* with overlays: the client's entry */
    piece *parts;      /* room for max_parts pieces */
    unsigned parts_left;
    long result; /* bytes moved by its pieces so far, or the first failure (-errno) */
} request;

typedef struct op {
    ata_action kind;
    int fd;
    overlay *ov;                    /* the file's overlay, NULL for the image */
    piece *pieces[MERGE_MAX_ITEMS]; /* in LBA order */
    unsigned npieces;
    struct iovec iov[MERGE_MAX_ITEMS];
    unsigned iov_first, niov; /* iov[iov_first..niov) is what is left after a short transfer */
    uint64_t offset;          /* bytes, of what is left */
    size_t total, done;
} op;

static struct {
    aoe_target *t;
    const aoe_wire *w;
    int fd;
    overlay_store *store; /* per-client overlays, or NULL */
    int n;                /* bufcnt */
    unsigned max_parts;   /* pieces a request can need: 1 without overlays */
    size_t frame_cap;     /* bytes from a frame's start */
    size_t data_cap;      /* bytes from its data */
    request *req;
    int *free_stack, nfree;
    request **pending; /* FIFO of requests waiting for an overlapping write */
    int npending;
    /* start_pending's scratch, one entry per piece that can start at once */
    request **go;
    piece **planned;
    merge_item *items;
    size_t *order;
    merge_run *runs;
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
    size_t pieces = (size_t)s.n * s.max_parts;
    piece *parts = calloc(pieces, sizeof *parts);
    s.go = calloc((size_t)s.n, sizeof *s.go);
    s.planned = calloc(pieces, sizeof *s.planned);
    s.items = calloc(pieces, sizeof *s.items);
    s.order = calloc(pieces, sizeof *s.order);
    s.runs = calloc(pieces, sizeof *s.runs);
    s.answers = calloc((size_t)s.n, sizeof *s.answers);
    s.answer_bufs = calloc((size_t)s.n, sizeof *s.answer_bufs);
    s.answer_lens = calloc((size_t)s.n, sizeof *s.answer_lens);
    if (!s.req || !s.free_stack || !s.pending || !parts || !s.go || !s.planned || !s.items || !s.order || !s.runs ||
        !s.answers || !s.answer_bufs || !s.answer_lens) {
        fprintf(stderr, "aoe-parallel: out of memory\n");
        exit(1);
    }
    for (int i = 0; i < s.n; i++) {
        s.req[i].buf = block + (size_t)i * stride + PAGE - AOE_ATA_HDR_LEN;
        s.req[i].parts = parts + (size_t)i * s.max_parts;
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
    if (s.store && memcmp(a->client, b->client, 6) != 0) return false; /* their writes go to different overlays */
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
    case ATA_VERIFY: io_uring_prep_readv(e, o->fd, o->iov + o->iov_first, o->niov - o->iov_first, o->offset); break;
    case ATA_WRITE: io_uring_prep_writev(e, o->fd, o->iov + o->iov_first, o->niov - o->iov_first, o->offset); break;
    default: io_uring_prep_fsync(e, o->fd, IORING_FSYNC_DATASYNC); break;
    }
    io_uring_sqe_set_data(e, o);
}

static op *new_op(ata_action kind, overlay *ov) {
    op *o = calloc(1, sizeof *o);
    if (!o) {
        fprintf(stderr, "aoe-parallel: out of memory\n");
        exit(1);
    }
    o->kind = kind;
    o->ov = ov;
    o->fd = ov ? ov->fd : s.fd;
    return o;
}

static void add_to_op(op *o, piece *p) {
    size_t bytes = (size_t)p->sectors * 512;
    if (o->npieces == 0) o->offset = p->lba * 512;
    o->pieces[o->npieces++] = p;
    if (o->kind != ATA_FLUSH) {
        o->iov[o->niov].iov_base = p->data;
        o->iov[o->niov].iov_len = bytes;
        o->niov++;
        o->total += bytes;
    }
}

static void submitted(op *o) {
    prep(o);
    s.ops_inflight++;
    if (o->kind != ATA_FLUSH) {
        pstats.io_ops++;
        pstats.io_requests += o->npieces;
        if (o->npieces > pstats.max_merge) pstats.max_merge = o->npieces;
    }
}

/* Plans r's pieces into r->parts (see the top of this file); returns how many. */
static unsigned plan_pieces(request *r) {
    static cow_run runs[256]; /* a request's sectors: READ VERIFY's 256 at most */
    const ata_io *io = &r->res.io;
    uint8_t *data = io->action == ATA_VERIFY ? s.verify_sink : r->buf + AOE_ATA_HDR_LEN;
    overlay *ov = r->ov && r->ov->state == OVERLAY_READY ? r->ov : NULL;
    if (!ov || io->action == ATA_WRITE || io->action == ATA_FLUSH) {
        r->parts[0] = (piece){ r, ov, data, io->lba, io->sectors };
        return 1;
    }
    size_t n = cow_runs(ov->map, io->lba, io->sectors, runs);
    for (size_t k = 0; k < n; k++)
        r->parts[k] = (piece){ r, runs[k].overlay ? ov : NULL, data + (runs[k].lba - io->lba) * 512, runs[k].lba,
                               runs[k].sectors };
    return (unsigned)n;
}

/* Starts what may start among the waiting requests, in arrival order: the pieces of reads and
 * writes merged where adjacent in one file, READ VERIFY and FLUSH on their own. */
static void start_pending(void) {
    int ngo = 0, keep = 0;
    for (int i = 0; i < s.npending; i++) {
        request *r = s.pending[i];
        if (may_start(r, keep)) {
            s.go[ngo++] = r;
            r->state = R_INFLIGHT; /* later waiting requests must see it as in flight */
            s.inflight++;
        } else {
            if (!r->deferred) pstats.deferred++;
            r->deferred = true;
            s.pending[keep++] = r;
        }
    }
    s.npending = keep;
    size_t nitems = 0;
    for (int i = 0; i < ngo; i++) {
        request *r = s.go[i];
        unsigned n = plan_pieces(r);
        r->parts_left = n;
        r->result = 0;
        for (unsigned k = 0; k < n; k++) {
            piece *p = &r->parts[k];
            if (r->res.io.action == ATA_READ || r->res.io.action == ATA_WRITE) {
                s.items[nitems] = (merge_item){ p->ov ? p->ov->id : 0, is_write(r), p->lba, p->sectors };
                s.planned[nitems++] = p;
                continue;
            }
            op *o = new_op(r->res.io.action, p->ov);
            add_to_op(o, p);
            submitted(o);
        }
    }
    size_t nruns = merge_plan(s.items, nitems, MERGE_MAX_ITEMS, MERGE_MAX_SECTORS, s.order, s.runs);
    for (size_t k = 0; k < nruns; k++) {
        piece *first = s.planned[s.order[s.runs[k].first]];
        op *o = new_op(first->r->res.io.action, first->ov);
        for (size_t j = 0; j < s.runs[k].count; j++) add_to_op(o, s.planned[s.order[s.runs[k].first + j]]);
        submitted(o);
    }
    if (s.inflight > pstats.max_inflight) pstats.max_inflight = s.inflight;
    if (s.ops_inflight > pstats.max_ops_inflight) pstats.max_ops_inflight = s.ops_inflight;
}

/* One received frame: dropped, answered now, or queued for I/O. */
static void handle_frame(request *r) {
    memcpy(r->client, r->buf + 6, 6);
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
    if (s.store) {
        r->ov = overlay_client(s.store, r->client);
        if (r->res.io.action == ATA_WRITE) overlay_make(s.store, r->ov);
        bool broken = r->ov->state == OVERLAY_BROKEN;
        if (broken || (r->ov->state == OVERLAY_NONE && r->res.io.action == ATA_FLUSH)) { /* nothing written yet */
            target_finish_io(s.t, r->buf, &r->res, broken ? -EIO : 0);
            queue_answer(r);
            return;
        }
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

/* One piece of r moved result (bytes, or -errno): r is answered when it was its last. */
static void piece_done(piece *p, long result) {
    request *r = p->r;
    if (r->result >= 0) r->result = result < 0 ? result : r->result + result;
    if (--r->parts_left > 0) return;
    target_finish_io(s.t, r->buf, &r->res, r->result);
    s.inflight--;
    queue_answer(r);
}

/* An operation's submission completed with res: continue a short transfer, or finish its pieces
 * (a write's sectors now live in the overlay; a FLUSH writes the client's map back after). */
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
    for (unsigned i = 0; i < o->npieces; i++) {
        piece *p = o->pieces[i];
        long result;
        if (o->kind == ATA_FLUSH) {
            result = res;
            if (res >= 0 && o->ov) result = overlay_sync_map(o->ov);
        } else {
            size_t want = (size_t)p->sectors * 512;
            size_t got = left < want ? left : want;
            left -= got;
            result = got == 0 && res < 0 ? res : (long)got;
            if (o->kind == ATA_WRITE && o->ov) cow_mark(o->ov->map, p->lba, (unsigned)(got / 512));
        }
        piece_done(p, result);
    }
    free(o);
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

int server_run(aoe_target *t, const aoe_wire *w, int fd, overlay_store *store, int bufcnt) {
    s.t = t;
    s.w = w;
    s.fd = fd;
    s.store = store;
    s.max_parts = store ? 256 : 1;
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
