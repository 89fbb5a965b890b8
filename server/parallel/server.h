/* SPDX-License-Identifier: MIT */
/* The event loop of aoe-parallel: frames from the wire go to the target (target.h); commands
 * that need the backing store become io_uring submissions, merged when adjacent (merge.h), and
 * many run at once; answers go back in batches as their I/O completes. */
#ifndef PARALLEL_SERVER_H
#define PARALLEL_SERVER_H

#include "link.h"
#include "overlay.h"
#include "target.h"

/* Serves t on w from the backing store fd (with store, read-only, beneath per-client overlays)
 * with bufcnt concurrent requests; returns only on a fatal error (exit status). */
int server_run(aoe_target *t, const aoe_wire *w, int fd, overlay_store *store, int bufcnt);

#endif
