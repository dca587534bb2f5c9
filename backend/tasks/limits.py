"""A memory ceiling for each worker pool process (RLIMIT_AS), set when the process starts.

The decompression budgets (``backend/services/pdf_limits.py``) stop the bombs that can
be seen coming; this limit stops everything else (an encrypted bomb, a pathological
layout) the same way: an allocation past the limit raises MemoryError in the task,
which ends FAILED with a message, instead of the kernel's OOM killer taking the whole
process (and, with acks_late, the message coming back to kill the next one).

The limit is on address space, not resident memory: an idle prefork child of this app
maps 145 MB (VmSize; 92 MB resident, measured), and allocators reserve more than they
use. The default of 1024 MB leaves ~850 MB for a task, far above the largest real
peak (README: a 200-page statement parse peaks at 110 MB RSS).
"""

from __future__ import annotations

import logging
import resource

from backend.config import get_settings

logger = logging.getLogger(__name__)

MB = 1024 * 1024


def limit_process_memory(megabytes: int) -> None:
    """Cap this process's address space at ``megabytes`` (0: leave it unlimited).

    Never raises the hard limit (an unprivileged process could not), and never sets
    a soft limit above it.
    """
    if megabytes <= 0:
        return
    _, hard = resource.getrlimit(resource.RLIMIT_AS)
    soft = megabytes * MB
    if hard != resource.RLIM_INFINITY:
        soft = min(soft, hard)
    resource.setrlimit(resource.RLIMIT_AS, (soft, hard))
    logger.info("Worker process memory limited to %d MB of address space", soft // MB)


def limit_worker_process_memory(**_signal_kwargs: object) -> None:
    """``worker_process_init`` receiver: apply WORKER_MEMORY_LIMIT_MB to this pool process."""
    limit_process_memory(get_settings().worker_memory_limit_mb)
