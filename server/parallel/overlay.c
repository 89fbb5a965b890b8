/* SPDX-License-Identifier: MIT */
/* Per-client overlay files (overlay.h). */
#define _GNU_SOURCE
#include "overlay.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cow_map.h"

#define HEADER_BYTES 4096u /* the map's text header; the bitmap starts on the next page */
#define FORMAT "aoe-parallel overlay map 1"

static void file_name(char *out, size_t cap, const overlay_store *st, const uint8_t mac[6], const char *ext) {
    snprintf(out, cap, "%s/%02x%02x%02x%02x%02x%02x.%s", st->dir, mac[0], mac[1], mac[2], mac[3], mac[4], mac[5], ext);
}

/* "525400a0e003.img" or ".map": a file this program made. */
static bool is_overlay_file(const char *name) {
    size_t len = strlen(name);
    if (len != 16 || (strcmp(name + 12, ".img") != 0 && strcmp(name + 12, ".map") != 0)) return false;
    for (int i = 0; i < 12; i++)
        if (!strchr("0123456789abcdef", name[i])) return false;
    return true;
}

int overlay_store_open(overlay_store *st, const char *dir, uint64_t sectors, int omode, bool fresh) {
    memset(st, 0, sizeof *st);
    if (snprintf(st->dir, sizeof st->dir, "%s", dir) >= (int)sizeof st->dir) {
        fprintf(stderr, "aoe-parallel: overlay directory name too long\n");
        return -1;
    }
    st->sectors = sectors;
    st->omode = omode;
    if (mkdir(dir, 0755) < 0 && errno != EEXIST) {
        fprintf(stderr, "aoe-parallel: cannot create overlay directory %s: %s\n", dir, strerror(errno));
        return -1;
    }
    DIR *d = opendir(dir);
    if (!d) {
        fprintf(stderr, "aoe-parallel: overlay directory %s: %s\n", dir, strerror(errno));
        return -1;
    }
    unsigned found = 0;
    for (struct dirent *e; (e = readdir(d));) {
        if (!is_overlay_file(e->d_name)) continue;
        found++;
        if (fresh && unlinkat(dirfd(d), e->d_name, 0) < 0) {
            fprintf(stderr, "aoe-parallel: cannot discard overlay %s/%s: %s\n", dir, e->d_name, strerror(errno));
            closedir(d);
            return -1;
        }
    }
    closedir(d);
    printf("aoe-parallel: per-client overlays in %s, %s (%u files %s)\n", dir,
           fresh ? "fresh: discarded at start" : "kept across restarts", found, fresh ? "discarded" : "found");
    return 0;
}

/* Maps the .map file (fd) of `bytes`; the bitmap starts after the header page. */
static int map_file(overlay *o, int fd, size_t bytes) {
    void *m = mmap(NULL, bytes, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    if (m == MAP_FAILED) return -errno;
    o->mapping = m;
    o->mapping_bytes = bytes;
    o->map = (uint8_t *)m + HEADER_BYTES;
    return 0;
}

/* Opens (or with create, makes) the client's two files; returns 0, 1 when there are none and
 * create is false, or -errno with *why saying which step failed. */
static int open_files(overlay_store *st, overlay *o, bool create, const char **why) {
    char img[4200], map[4200];
    file_name(img, sizeof img, st, o->mac, "img");
    file_name(map, sizeof map, st, o->mac, "map");
    size_t bytes = HEADER_BYTES + cow_map_bytes(st->sectors);
    int mfd = open(map, O_RDWR);
    bool made = false;
    if (mfd < 0 && errno == ENOENT && !create) return 1;
    if (mfd < 0 && errno == ENOENT) {
        *why = "create map";
        mfd = open(map, O_RDWR | O_CREAT | O_EXCL, 0644);
        made = true;
    } else
        *why = "open map";
    if (mfd < 0) return -errno;
    int err = 0;
    char header[HEADER_BYTES];
    if (made) {
        memset(header, 0, sizeof header);
        snprintf(header, sizeof header, "%s\nbase sectors %" PRIu64 "\nclient %02x:%02x:%02x:%02x:%02x:%02x\n", FORMAT,
                 st->sectors, o->mac[0], o->mac[1], o->mac[2], o->mac[3], o->mac[4], o->mac[5]);
        *why = "write map";
        if (ftruncate(mfd, (off_t)bytes) < 0 || pwrite(mfd, header, sizeof header, 0) != (ssize_t)sizeof header)
            err = -errno;
    } else {
        uint64_t sectors = 0;
        *why = "read map header";
        struct stat stt;
        if (pread(mfd, header, sizeof header, 0) != (ssize_t)sizeof header || fstat(mfd, &stt) < 0)
            err = -EIO;
        else if (strncmp(header, FORMAT "\n", strlen(FORMAT) + 1) != 0 ||
                 sscanf(header + strlen(FORMAT) + 1, "base sectors %" SCNu64, &sectors) != 1 ||
                 sectors != st->sectors || (size_t)stt.st_size != bytes) {
            *why = "match its map to the base image (made for another image or size)";
            err = -EINVAL;
        }
    }
    if (err == 0) {
        *why = "mmap the map";
        err = map_file(o, mfd, bytes);
    }
    close(mfd); /* the mapping keeps the file */
    if (err < 0) return err;
    *why = "open data file";
    o->fd = open(img, O_RDWR | (made ? O_CREAT : 0) | st->omode, 0644);
    if (o->fd < 0) return -errno;
    if (made && ftruncate(o->fd, (off_t)(st->sectors * 512)) < 0) return -errno;
    return 0;
}

/* Takes up (create false) or makes the client's files; a failure leaves it BROKEN, said once. */
static void attach(overlay_store *st, overlay *o, bool create) {
    const char *why = "";
    int err = open_files(st, o, create, &why);
    if (err == 0) {
        o->state = OVERLAY_READY;
        return;
    }
    if (o->mapping) munmap(o->mapping, o->mapping_bytes);
    if (o->fd >= 0) close(o->fd);
    o->mapping = NULL;
    o->fd = -1;
    if (err == 1) return; /* no overlay yet: NONE */
    char map[4200];
    file_name(map, sizeof map, st, o->mac, "map");
    fprintf(stderr,
            "aoe-parallel: overlay %s: cannot %s: %s; this client's I/O fails until its .img and .map are removed "
            "(or the server is restarted with -C, which discards every overlay)\n",
            map, why, strerror(-err));
    o->state = OVERLAY_BROKEN;
}

overlay *overlay_client(overlay_store *st, const uint8_t mac[6]) {
    for (unsigned i = 0; i < st->nclients; i++)
        if (memcmp(st->clients[i]->mac, mac, 6) == 0) return st->clients[i];
    overlay *o = calloc(1, sizeof *o);
    if (!o) {
        fprintf(stderr, "aoe-parallel: out of memory for overlays\n");
        exit(1);
    }
    memcpy(o->mac, mac, 6);
    o->fd = -1;
    o->state = OVERLAY_NONE;
    attach(st, o, false);
    if (st->nclients == st->cap) {
        unsigned cap = st->cap ? 2 * st->cap : 16;
        overlay **grown = realloc(st->clients, cap * sizeof *grown);
        if (!grown) {
            fprintf(stderr, "aoe-parallel: out of memory for overlays\n");
            exit(1);
        }
        st->clients = grown;
        st->cap = cap;
    }
    st->clients[st->nclients++] = o;
    o->id = st->nclients;
    return o;
}

void overlay_make(overlay_store *st, overlay *o) {
    if (o->state == OVERLAY_NONE) attach(st, o, true);
}

int overlay_sync_map(overlay *o) { return msync(o->mapping, o->mapping_bytes, MS_SYNC) < 0 ? -errno : 0; }
